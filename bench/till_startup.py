"""Cashier app start: process start → first frame (``startup_ms``, goal < 1,500) and resident
memory once a ``size``-product store is open, the local agent is up and a search and a scan
ran (``rss_mb``, goal < 250).

Baseline, same run and same method: a bare ``QApplication`` with an empty ``QMainWindow``
(what any PySide6 app pays before doing anything). Each side is started three times as a fresh
process; the parent takes ``time.monotonic()`` just before spawning, the child reports the
system-wide monotonic time of its first painted frame; medians are reported. The CPU time
the child spent up to that frame (``startup_cpu_ms``) is reported too: unlike wall time it does
not grow when other processes load the machine (the load average is in the params).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 3


def _rss_kb() -> tuple[int, int]:
    """(current, peak) resident set of this process from /proc, in KiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def _child_bare() -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    result: dict[str, float] = {}

    class FirstFrame(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not result:
                result["first_frame"] = time.monotonic()
                result["cpu_ms"] = time.process_time() * 1000
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        result["rss_kb"], result["peak_kb"] = _rss_kb()
        print(json.dumps(result), flush=True)
        app.quit()

    watcher = FirstFrame()
    window.installEventFilter(watcher)
    window.showMaximized()
    app.exec()


def _child_app(home: str, port: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import TillServices
    from desktop.config import TillConfig
    from desktop.ui.app import run_gui

    result: dict[str, float] = {}
    deadline = [0.0]
    window: list[Any] = []

    def agent_up() -> bool:
        with socket.socket() as s:
            s.settimeout(0.05)
            return s.connect_ex(("127.0.0.1", port)) == 0

    def measure() -> None:
        if not agent_up() and time.monotonic() < deadline[0]:
            QTimer.singleShot(50, measure)
            return
        till = window[0].ctx.till  # the window's own till, as a cashier's first search uses it
        t0 = time.perf_counter()
        try:
            till.search("lapte", 20)
            till.lookup("5949000000014")  # the curated milk (a scan)
        except Exception as exc:  # report and quit rather than hang the benchmark
            print(json.dumps({"error": repr(exc)}), file=sys.stderr, flush=True)
        result["search_ms"] = (time.perf_counter() - t0) * 1000
        result["agent_up"] = float(agent_up())
        result["rss_kb"], result["peak_kb"] = _rss_kb()
        print(json.dumps(result), flush=True)
        app = QApplication.instance()
        assert app is not None
        app.quit()

    def first_frame(shown: Any) -> None:
        result["first_frame"] = time.monotonic()
        result["cpu_ms"] = time.process_time() * 1000
        window.append(shown)
        deadline[0] = time.monotonic() + 30
        QTimer.singleShot(0, measure)

    run_gui(TillServices(TillConfig(home=Path(home), api_port=port)), first_frame=first_frame)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spawn(args: list[str], pycache: Path) -> tuple[float, dict[str, float]]:
    """One fresh process. Bytecode is cached under ``pycache`` (an installed till has its
    modules compiled; a source checkout run with PYTHONDONTWRITEBYTECODE would not)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(pycache))
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bench.till_startup", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    return (data["first_frame"] - t0) * 1000, data


def _store(home: Path, size: int) -> float:
    from desktop.app import build_till
    from desktop.config import TillConfig
    from desktop.core import PinHasher, Role, TillSettings
    from desktop.core.demo_catalog import curated_products, generate_products

    till = build_till(
        TillConfig(home=home), settings=TillSettings.for_country("RO"), pins=PinHasher(fast=True)
    )
    till.import_catalog([*curated_products("RO"), *generate_products(size)], replace=True)
    till.create_user("cashier", "Cashier", Role.CASHIER, "1234")
    till.close()
    return (home / "till.sqlite3").stat().st_size / 1e6


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "till"
        store_mb = _store(home, size)
        pyc = Path(tmp) / "pycache"
        app_args = ["--child", "app", str(home)]
        for args in (app_args, ["--child", "bare"]):  # warm-up: bytecode and OS file cache
            _spawn(args + ([str(_free_port())] if args is app_args else []), pyc)
        ours = [_spawn([*app_args, str(_free_port())], pyc) for _ in range(RUNS)]
        bare = [_spawn(["--child", "bare"], pyc) for _ in range(RUNS)]
    startup = statistics.median(ms for ms, _ in ours)
    base_startup = statistics.median(ms for ms, _ in bare)
    rss = statistics.median(d["rss_kb"] for _, d in ours) / 1024
    base_rss = statistics.median(d["rss_kb"] for _, d in bare) / 1024
    return (
        {
            "products": size,
            "runs": RUNS,
            "platform": "offscreen",
            "measured": "fresh process → first painted frame; RSS after agent up, search, scan",
        },
        {
            "startup_ms": startup,
            "baseline_startup_ms": base_startup,
            "ratio_startup_vs_bare_qt": startup / base_startup,
            "startup_cpu_ms": statistics.median(d["cpu_ms"] for _, d in ours),
            "baseline_startup_cpu_ms": statistics.median(d["cpu_ms"] for _, d in bare),
            "rss_mb": rss,
            "peak_rss_mb": statistics.median(d["peak_kb"] for _, d in ours) / 1024,
            "baseline_rss_mb": base_rss,
            "ratio_rss_vs_bare_qt": rss / base_rss,
            "store_mb": store_mb,
            "search_ms": statistics.median(d["search_ms"] for _, d in ours),
            "agent_up_ratio": statistics.mean(d["agent_up"] for _, d in ours),
        },
    )


if __name__ == "__main__":
    if sys.argv[1:3] == ["--child", "bare"]:
        _child_bare()
    elif sys.argv[1:3] == ["--child", "app"]:
        _child_app(sys.argv[3], int(sys.argv[4]))
    else:
        print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)[1], indent=1))
