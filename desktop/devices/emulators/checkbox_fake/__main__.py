"""``python -m desktop.devices.emulators.checkbox_fake [--port N]``: serve until stopped;
prints ``url http://127.0.0.1:PORT`` first (login ``cashier``/``secret``, licence
``test-license``)."""

from __future__ import annotations

import argparse

from desktop.devices.emulators._run import wait_for_stop
from desktop.devices.emulators.checkbox_fake.fake import CheckboxFake


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop.devices.emulators.checkbox_fake")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    fake = CheckboxFake()
    fake.port = args.port
    print(f"url {fake.start()}", flush=True)
    wait_for_stop()
    fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
