"""Keep the UI translations with Qt's own tools: ``pyside6-lupdate`` extracts every
``translate("Context", "text")`` from ``desktop/ui`` into ``i18n/tillbridge_<lang>.ts`` (the
committed sources translators edit, e.g. in Qt Linguist), ``pyside6-lrelease`` compiles them to
the ``.qm`` files the app loads. English needs only its plural forms (``-pluralonly``).

``python -m desktop.ui.translations build`` (``make i18n``) compiles what changed;
``python -m desktop.ui.translations update`` refreshes the ``.ts`` files after code changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from desktop.ui.locale import I18N_DIR, LANGUAGES

__all__ = ["build", "qm_path", "sources", "tool", "ts_path", "update"]

UI_DIR = Path(__file__).parent
_TARGET = {"uk": "uk_UA", "ro": "ro_RO", "en": "en_GB"}


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"tillbridge_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"tillbridge_{lang}.qm"


def sources() -> list[Path]:
    """Every Python file of the UI, in a stable order."""
    return sorted(p for p in UI_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def tool(name: str) -> str:
    """``pyside6-<name>`` next to this interpreter (the venv), else on PATH."""
    local = Path(sys.executable).with_name(f"pyside6-{name}")
    if local.exists():
        return str(local)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"pyside6-{name} not found (install PySide6-Essentials)")
    return found


def update(ts_dir: Path | None = None) -> list[Path]:
    """Refresh the ``.ts`` files (existing translations kept, vanished texts dropped)."""
    out = []
    for lang in LANGUAGES:
        ts = (ts_dir / ts_path(lang).name) if ts_dir else ts_path(lang)
        cmd = [
            tool("lupdate"),
            *map(str, sources()),
            "-ts",
            str(ts),
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            _TARGET[lang],
        ]
        if lang == "en":
            cmd.append("-pluralonly")
        subprocess.run(cmd, check=True, capture_output=True)
        out.append(ts)
    return out


def build(*, force: bool = False) -> list[Path]:
    """Compile each ``.ts`` whose ``.qm`` is missing or older; returns the ``.qm`` written."""
    written = []
    for lang in LANGUAGES:
        ts, qm = ts_path(lang), qm_path(lang)
        if not ts.exists():
            continue
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run(
                [tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
            )
            written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["update"]:
        for ts in update():
            print(f"updated {ts}")
    elif args[:1] in (["build"], []):
        for qm in build(force="--force" in args):
            print(f"built {qm}")
    else:
        print("usage: python -m desktop.ui.translations [build [--force] | update]")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
