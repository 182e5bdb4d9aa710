"""Which modules register job handlers: the built-in list plus any the operator names.

Registration stays explicit (no import-time scanning): a module registers its tasks on
``default_registry`` when imported, and the worker imports the modules listed here.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

from cloud.jobs.errors import JobError

__all__ = ["BUILTIN_MODULES", "load_handlers"]

BUILTIN_MODULES: tuple[str, ...] = (
    "cloud.services.webhooks.delivery",  # webhooks.deliver
    "cloud.services.reconciliation.runner",  # reconciliation runs (seed 002)
    "cloud.services.catalog.jobs",  # product import/export, embeddings
    "cloud.services.stock.jobs",  # reservation expiry, and its recurring sweep
)


def _load_path(path: Path) -> None:
    name = f"tillbridge_handlers_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise JobError(f"cannot load handler file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def load_handlers(extra: Iterable[str] = (), *, builtin: bool = True) -> list[str]:
    """Import the built-in handler modules and ``extra`` (module names or ``.py`` paths)."""
    loaded = []
    for item in (*(BUILTIN_MODULES if builtin else ()), *extra):
        if item.endswith(".py"):
            _load_path(Path(item))
        else:
            importlib.import_module(item)
        loaded.append(item)
    return loaded
