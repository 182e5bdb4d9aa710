"""The printing part of ``make demo``: emulated printers behind the running till's API.

Starts an ESC/POS receipt printer and a ZPL label printer emulator on free 127.0.0.1 ports,
adds them through ``/api/hardware/printers``, prints a Ukrainian receipt and a price label,
and shows what came out of the "printers" as text.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator
from desktop.devices.printers.samples import sample_receipt

__all__ = ["print_walkthrough"]


def _wait_done(client: httpx.Client, job_id: str, timeout: float = 20.0) -> str:
    tick = threading.Event()
    status = "queued"
    for _ in range(int(timeout / 0.1)):
        status = client.get(f"/api/hardware/jobs/{job_id}").json()["status"]
        if status in ("done", "failed"):
            break
        tick.wait(0.1)
    return str(status)


def print_walkthrough(till_url: str, home: Path) -> tuple[EscposPrinterEmulator,
                                                           LabelPrinterEmulator]:
    """Run the walkthrough; the returned emulators keep serving until the process ends."""
    pos, labels = EscposPrinterEmulator().start(), LabelPrinterEmulator().start()
    token = (home / "till" / "api-token").read_text().strip()
    with httpx.Client(base_url=till_url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        pos_id = client.post("/api/hardware/printers", json={
            "name": f"Demo receipt printer :{pos.port}", "type": "thermal",
            "connection": "network", "ip": "127.0.0.1", "port": pos.port}).json()["id"]
        label_id = client.post("/api/hardware/printers", json={
            "name": f"Demo label printer :{labels.port}", "type": "label",
            "connection": "network", "ip": "127.0.0.1", "port": labels.port,
            "profile": "zebra-zd420"}).json()["id"]
        doc = sample_receipt("uk").model_dump(mode="json", by_alias=True)
        job = client.post("/api/hardware/print", json={
            "printerId": pos_id, "type": "receipt", "format": "json", "content": doc}).json()
        receipt_state = _wait_done(client, job["jobId"])
        job = client.post("/api/hardware/print/label", json={
            "printerId": label_id, "type": "product", "quantity": 2,
            "data": {"name": "Молоко 2,5% 0,9 л", "price": 4290, "sku": "MILK-09",
                     "barcode": "4820000000017", "unit": "l", "unitQuantity": "0.9"}}).json()
        label_state = _wait_done(client, job["jobId"])
    print(f"== receipt printer 127.0.0.1:{pos.port} ({receipt_state}):")
    for page in pos.receipts():
        print("   | " + "\n   | ".join(page.text))
        print(f"   | [QR {page.qr_codes}] [barcodes {[b.data for b in page.barcodes]}] "
              f"[cut {page.cut}]")
    print(f"== label printer 127.0.0.1:{labels.port} ({label_state}):")
    for lb in labels.zpl_labels():
        print(f"   {lb.texts()} x{lb.copies} {[(f.kind, f.data) for f in lb.fields[4:]]}")
    return pos, labels
