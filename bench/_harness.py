"""Registry, timing helpers and the JSON result shape shared by every benchmark."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Benchmark", "percentile", "register", "registry", "timed", "write_result"]

Metrics = dict[str, float]
Params = dict[str, Any]


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str
    default_size: int


_REGISTRY: dict[str, Benchmark] = {}


def register(name: str, module: str, default_size: int) -> None:
    _REGISTRY[name] = Benchmark(name, module, default_size)


def registry() -> dict[str, Benchmark]:
    return dict(_REGISTRY)


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call takes (perf_counter)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile of ``samples``."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def write_result(name: str, params: Params, metrics: Metrics, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        "bench": name,
        "params": params,
        "metrics": {k: round(v, 6) for k, v in metrics.items()},
        "env": {"python": platform.python_version(), "machine": platform.machine(),
                "at": datetime.now(UTC).isoformat(timespec="seconds")},
    }
    path = out / f"{name}.json"
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return path
