"""``python -m bench <name>|all [--out DIR] [--size N]``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from bench import _catalogue  # noqa: F401  (registers the benchmarks)
from bench._harness import registry, write_result


def main(argv: list[str] | None = None) -> int:
    benches = registry()
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("name", choices=[*sorted(benches), "all"])
    ap.add_argument("--out", type=Path, default=Path("bench/results"))
    ap.add_argument("--size", type=int, default=None, help="problem size (default per bench)")
    args = ap.parse_args(argv)
    names = sorted(benches) if args.name == "all" else [args.name]
    for name in names:
        spec = benches[name]
        mod = importlib.import_module(spec.module)
        size = args.size if args.size is not None else spec.default_size
        params, metrics = mod.run(size)
        path = write_result(name, params, metrics, args.out)
        print(f"{name}: {json.dumps(metrics)} -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
