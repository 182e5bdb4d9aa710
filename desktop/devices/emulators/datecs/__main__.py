"""``python -m desktop.devices.emulators.datecs [--protocol x|old] [--tcp PORT] [--pty]``:
serve until interrupted; prints ``tcp HOST PORT`` and/or ``pty PATH`` lines first."""

from __future__ import annotations

import argparse
import sys

from desktop.devices.emulators._run import wait_for_stop
from desktop.devices.emulators.datecs.emulator import DatecsEmulator


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop.devices.emulators.datecs")
    ap.add_argument("--protocol", choices=["x", "old"], default="x")
    ap.add_argument("--tcp", type=int, default=None, help="TCP port (0 = any free port)")
    ap.add_argument("--pty", action="store_true", help="also serve on a pseudo-terminal")
    args = ap.parse_args(argv)
    emu = DatecsEmulator(args.protocol)
    if args.tcp is not None:
        host, port = emu.serve_tcp(port=args.tcp)
        print(f"tcp {host} {port}", flush=True)
    if args.pty or args.tcp is None:
        print(f"pty {emu.serve_pty()}", flush=True)
    wait_for_stop()
    emu.close()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
