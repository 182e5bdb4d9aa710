"""`make demo`: the cloud on embedded SQLite plus a till with emulated devices, on 127.0.0.1.

Runs until Ctrl-C (``--once`` stops after the walkthrough, for smoke tests). Data lives in
``.demo/`` so a demo never touches a real till's store.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"process for {url} exited with {proc.returncode}")
        try:
            resp = httpx.get(url, timeout=1)
            if resp.status_code == 200:
                return resp.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not become healthy in {timeout:.0f}s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--once", action="store_true", help="exit after the walkthrough")
    ap.add_argument("--cloud-port", type=int, default=int(os.environ.get("CLOUD_PORT", 8000)))
    ap.add_argument("--till-port", type=int, default=int(os.environ.get("TILL_PORT", 8765)))
    args = ap.parse_args()

    home = Path(os.environ.get("TILLBRIDGE_HOME", ROOT / ".demo"))
    # The walkthroughs open the till's store in this process too: same home as the children.
    os.environ["TILLBRIDGE_HOME"] = str(home)
    env = {**os.environ, "TILLBRIDGE_HOME": str(home),
           "TILLBRIDGE_CLOUD_URL": f"http://127.0.0.1:{args.cloud_port}",
           # The reconciliation walkthrough's fake shops listen on 127.0.0.1.
           "OUTBOUND_ALLOWED_TARGETS": os.environ.get("OUTBOUND_ALLOWED_TARGETS",
                                                      "127.0.0.1/32")}
    procs: list[subprocess.Popen[bytes]] = []

    def stop(*_: object) -> None:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        cloud = subprocess.Popen([str(BIN / "tillbridge-cloud"), "serve",
                                  "--port", str(args.cloud_port)], env=env)
        procs.append(cloud)
        health = wait_healthy(f"http://127.0.0.1:{args.cloud_port}/health", cloud)
        print(f"\n== cloud up: {health}")
        jobs = subprocess.Popen([str(BIN / "tillbridge-cloud"), "worker"], env=env)
        procs.append(jobs)
        print(f"== job worker up (pid {jobs.pid}): webhooks, reconciliation runs")
        till = subprocess.Popen([str(BIN / "tillbridge-till"), "run",
                                 "--port", str(args.till_port)], env=env)
        procs.append(till)
        till_health = wait_healthy(f"http://127.0.0.1:{args.till_port}/health", till)
        print(f"== till up: {till_health}")
        from desktop.devices.printers.demo import print_walkthrough
        printers = print_walkthrough(f"http://127.0.0.1:{args.till_port}", home)  # noqa: F841
        from recon_walkthrough import recon_walkthrough  # scripts/ is this script's path[0]
        recon = recon_walkthrough(f"http://127.0.0.1:{args.cloud_port}", home)  # noqa: F841
        from sync_walkthrough import sync_walkthrough  # scripts/ is this script's path[0]
        sync_walkthrough(f"http://127.0.0.1:{args.cloud_port}",
                         f"http://127.0.0.1:{args.till_port}", home)
        print(f"""
Tillbridge demo is running (data in {home}):
  cloud API docs     http://127.0.0.1:{args.cloud_port}/docs
  cloud health       curl http://127.0.0.1:{args.cloud_port}/health
  till local API     http://127.0.0.1:{args.till_port}/docs
""")
        if args.once:
            return 0
        print("Ctrl-C stops everything.")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
