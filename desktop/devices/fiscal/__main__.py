"""``python -m desktop.devices.fiscal``: drive the configured fiscal device from a shell.

Used by support staff (status, reconcile, documents needing attention) and by the crash-matrix
tests, which SIGKILL this process at a fault-injection point while it issues a document::

    python -m desktop.devices.fiscal --home DIR status
    python -m desktop.devices.fiscal --home DIR reconcile
    python -m desktop.devices.fiscal --home DIR issue document.json
    python -m desktop.devices.fiscal --home DIR open-shift --cashier Ana
    python -m desktop.devices.fiscal --home DIR close-shift
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.devices.fiscal.factory import build_service
from desktop.devices.fiscal.model import FiscalReceipt, document_from_json
from shared.errors import TillbridgeError
from shared.paths import data_home


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop.devices.fiscal")
    ap.add_argument("--home", type=Path, default=None, help="till data dir (default: till home)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("status")
    sub.add_parser("reconcile")
    sub.add_parser("attention")
    op = sub.add_parser("open-shift")
    op.add_argument("--cashier", default="")
    sub.add_parser("close-shift")
    issue = sub.add_parser("issue")
    issue.add_argument("document", type=Path)
    args = ap.parse_args(argv)
    home = args.home or data_home() / "till"
    svc = build_service(home)
    try:
        if args.cmd == "status":
            st = svc.device_state()
            out = {"device": st.device, "online": st.online, "errors": list(st.errors),
                   "warnings": list(st.warnings), "info": st.info}
        elif args.cmd == "open-shift":
            row = svc.open_shift(args.cashier)
            out = {"shift": row.info.id, "serial": row.info.serial}
        elif args.cmd == "close-shift":
            _, z = svc.close_shift()
            out = {"z": z.number, "fiscal_number": z.fiscal_number,
                   "sales_total": z.sales_total}
        elif args.cmd == "issue":
            doc = document_from_json(json.loads(args.document.read_text()))
            svc.start()
            r = svc.refund(doc) if isinstance(doc, FiscalReceipt) and doc.is_return \
                else (svc.sell(doc) if isinstance(doc, FiscalReceipt) else svc.cash(doc))
            out = {"receipt_id": str(r.receipt_id), "fiscal_number": r.fiscal_number,
                   "offline": r.offline}
        else:
            rows = svc.start() if args.cmd == "reconcile" else svc.attention()
            out = {"attention": [{"receipt_id": str(r.receipt_id), "state": r.state.value,
                                  "note": r.note} for r in rows]}
    except TillbridgeError as exc:
        print(json.dumps({"error": exc.message, "code": exc.code}), file=sys.stderr)
        return 1
    finally:
        svc.close()
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
