"""Crash matrix: the till process is SIGKILLed while fiscalising a sale; after restart each sale
has exactly one fiscal document on the device.

The till process is ``python -m desktop.devices.fiscal`` (the same FiscalService the local API
uses); it kills itself at a fault-injection point named by ``TILLBRIDGE_FISCAL_KILL_AT``:
(a) ``intent_recorded``, (b) ``request_sent``, (c) ``answer_received``. The emulated Datecs
(TCP and pty) and the fake Checkbox live in the test process, so they outlive the kill. After
the kill: one run reconciles (the till's start-up), and one run submits the same sale again
(the till retrying it) — neither may create a second document.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.fiscal.config import CheckboxConfig, DatecsConfig, FiscalConfig, save_config
from desktop.devices.fiscal.factory import build_service
from desktop.devices.fiscal.faults import ENV
from desktop.devices.fiscal.journal import DocState, Journal
from desktop.devices.fiscal.model import FiscalReceipt, Payment, PaymentKind, line
from shared.ids import uuid7

ROOT = Path(__file__).resolve().parents[2]
POINTS = ["intent_recorded", "request_sent", "answer_received"]


@dataclass
class Device:
    name: str
    home: Path
    country: str
    count: Callable[[str], int]
    """How many fiscal documents the device holds for a receipt id."""
    settle: Callable[[], bool]
    """Wait until the device has processed everything a killed client sent."""
    z_reports: Callable[[], int]
    """How many Z reports the device made."""


def _till(home: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TILLBRIDGE_HOME": str(home)}
    env.pop(ENV, None)
    if kill_at:
        env[ENV] = kill_at
    return subprocess.run([sys.executable, "-m", "desktop.devices.fiscal", "--home", str(home),
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _open_shift(dev: Device) -> str:
    """Open the shift and make one sale in-process, so counters are not at zero."""
    svc = build_service(dev.home)
    try:
        svc.start()
        svc.open_shift("Ana")
        doc = json.loads(_sale(dev, 350).read_text())
        from desktop.devices.fiscal.model import document_from_json

        result = svc.sell(document_from_json(doc))  # type: ignore[arg-type]
        return str(result.receipt_id)
    finally:
        svc.close()


@pytest.fixture
def device(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Device]:
    home = tmp_path / "till"
    if request.param.startswith("datecs"):
        emu = DatecsEmulator("x")
        if request.param == "datecs-tcp":
            host, port = emu.serve_tcp()
            d = DatecsConfig(transport="tcp", host=host, port=port)
        else:
            d = DatecsConfig(transport="serial", serial_port=emu.serve_pty())
        d.vat_overrides = {"exempt": "E"}
        save_config(home, FiscalConfig(device="datecs", country="RO", datecs=d))

        def count(rid: str) -> int:
            tag = f"#{rid.replace('-', '')}"
            return sum(1 for doc in emu.documents("sale") if tag in doc.texts)

        yield Device(request.param, home, "RO", count, emu.wait_idle,
                     lambda: len(emu.memory.z_history))
        emu.close()
    else:
        with CheckboxFake() as fake:
            cb = CheckboxConfig(base_url=fake.base_url, license_key="test-license",
                                login="cashier", password="secret", timeout=5,
                                poll_interval=0.01)
            save_config(home, FiscalConfig(device="checkbox", country="UA",
                                           timezone="Europe/Kyiv", checkbox=cb))

            def count_cb(rid: str) -> int:
                return sum(1 for r in fake.documents() if r["id"] == rid)

            yield Device("checkbox", home, "UA", count_cb, fake.wait_idle,
                         lambda: sum(1 for sh in fake.register.shifts.values() if sh["z_report"]))


def _sale(dev: Device, price: int) -> Path:
    at = datetime.now(UTC)
    lines = (line("Paine" if dev.country == "RO" else "Хліб", "2", price, "reduced",
                  country=dev.country, at=at, sku="bread"),
             line("Mere", Decimal("0.735"), 699, "reduced", country=dev.country, at=at,
                  sku="apples"))
    total = sum(ln.gross for ln in lines)
    r = FiscalReceipt(uuid7(), lines, (Payment(PaymentKind.CASH, total),), at, dev.country)
    path = dev.home / f"sale-{r.receipt_id}.json"
    path.write_text(json.dumps(r.to_json()))
    return path


def _state(dev: Device, rid: str) -> DocState | None:
    j = Journal(dev.home / "fiscal.sqlite3")
    try:
        import uuid

        row = j.get(uuid.UUID(rid))
        return row.state if row else None
    finally:
        j.close()


# Every point on Datecs over TCP and on Checkbox; the pty link at the hardest point (its
# unread reply stays in the pty buffer for the next process).
MATRIX = [("datecs-tcp", p) for p in POINTS] + [("checkbox", p) for p in POINTS] + [
    ("datecs-pty", "request_sent")]


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize(("device", "point"), MATRIX, indirect=["device"])
def test_sigkill_at_each_point_leaves_exactly_one_document(device: Device, point: str) -> None:
    before = _open_shift(device)
    doc = _sale(device, 360)
    rid = json.loads(doc.read_text())["receipt_id"]

    killed = _till(device.home, "issue", str(doc), kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert device.settle()
    # what the device holds right after the crash, per point
    assert device.count(rid) == (0 if point == "intent_recorded" else 1)
    assert _state(device, rid) is DocState.PENDING

    restarted = _till(device.home, "reconcile")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert json.loads(restarted.stdout.strip().splitlines()[-1]) == {"attention": []}
    assert device.count(rid) == 1
    assert _state(device, rid) is DocState.DONE

    again = _till(device.home, "issue", str(doc))
    assert again.returncode == 0, again.stdout + again.stderr
    out = json.loads(again.stdout.strip().splitlines()[-1])
    assert out["receipt_id"] == rid and out["fiscal_number"]
    assert device.count(rid) == 1
    assert device.count(before) == 1


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize(("device", "point"), [
    ("datecs-tcp", "z_intent_recorded"), ("datecs-tcp", "z_answer_received"),
    ("checkbox", "z_answer_received")], indirect=["device"])
def test_sigkill_around_the_z_report_makes_exactly_one_z(device: Device, point: str) -> None:
    """Killed after the Z left (or before it was sent): after restart the local shift matches
    the device, and closing again never prints a second Z for the same day."""
    _open_shift(device)
    killed = _till(device.home, "close-shift", kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert device.settle()
    made = 1 if point == "z_answer_received" else 0
    assert device.z_reports() == made

    assert _till(device.home, "reconcile").returncode == 0
    closing = _till(device.home, "close-shift")
    if made:
        assert closing.returncode == 1
        assert json.loads(closing.stderr.strip().splitlines()[-1])["code"] == \
            "FISCAL_SHIFT_NOT_OPEN"
    else:
        assert closing.returncode == 0, closing.stdout + closing.stderr
    assert device.z_reports() == 1
