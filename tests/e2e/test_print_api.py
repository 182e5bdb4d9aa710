"""The local Hardware API end to end: HTTP in, bytes out of emulators on 127.0.0.1.

Covers the issue's acceptance: UA/RO receipts decode with diacritics, QR and cut; an offline
printer keeps the job and prints once when back; paper-out reaches the API; a ZPL product
label decodes; 100 labels go as one job; discovery finds an advertised emulator; bad input to
every endpoint answers in seed 003's error format and changes nothing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.config import TillConfig
from desktop.devices.discovery.mdns import Advertisement
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator
from desktop.devices.printers.catalog import LabelProduct, StaticCatalog
from desktop.devices.printers.samples import sample_receipt
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings

pytestmark = pytest.mark.e2e
TOKEN = "test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    tick = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        tick.wait(0.02)
    assert predicate(), what


@pytest.fixture
def service(tmp_path: Path) -> HardwareService:
    catalog = StaticCatalog([LabelProduct(
        "prod-123", "Ковбаса «Лікарська»", 18990, "UAH", barcode="4820000000017",
        sku="PROD-001", unit="kg", unit_quantity=Decimal("0.5"),
        qr="https://shop.example/p/123")])
    settings = HardwareSettings(retry_base=0.02, retry_cap=0.1, status_interval=0,
                                discovery_interfaces=("127.0.0.1",))
    return HardwareService(tmp_path / "till", settings=settings, catalog=catalog)


@pytest.fixture
def client(tmp_path: Path, service: HardwareService) -> Iterator[TestClient]:
    app = create_app(TillServices(TillConfig(home=tmp_path / "till"), hardware=service.start()),
                     token=TOKEN)
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


def _add(client: TestClient, port: int, **extra: Any) -> str:
    body = {"name": f"printer-{port}", "type": "thermal", "connection": "network",
            "ip": "127.0.0.1", "port": port, **extra}
    r = client.post("/api/hardware/printers", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _done(client: TestClient, job_id: str) -> dict[str, Any]:
    _wait(lambda: client.get(f"/api/hardware/jobs/{job_id}").json()["status"] == "done",
          f"job {job_id} done")
    return dict(client.get(f"/api/hardware/jobs/{job_id}").json())


def _receipt(client: TestClient, printer: str, lang: str, number: str) -> str:
    doc = sample_receipt(lang, number=number).model_dump(mode="json", by_alias=True)
    r = client.post("/api/hardware/print", json={"printerId": printer, "type": "receipt",
                                                 "format": "json", "content": doc})
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True
    return str(r.json()["jobId"])


# -- acceptance ------------------------------------------------------------------------------
def test_ukrainian_and_romanian_receipts_print_readably(
        client: TestClient, escpos_emulator: EscposPrinterEmulator) -> None:
    """GIVEN an 80 mm printer WHEN a Ukrainian and a Romanian sale are printed through the API
    THEN the paper reads back with intact diacritics, the fiscal QR and a cut each."""
    pid = _add(client, escpos_emulator.port)
    _done(client, _receipt(client, pid, "uk", "S01-T01-0010-0001"))
    _done(client, _receipt(client, pid, "ro", "S01-T01-0010-0002"))
    uk, ro = escpos_emulator.receipts()
    assert "Касир: Іванна Ґудзь" in uk.text and "Ґринджоли дитячі «Їжачок»" in uk.text
    assert uk.qr_codes == ["https://cabinet.tax.gov.ua/cashregs/check?fn=4000123456"]
    assert "Casier: Ţuţu Ştefănescu" in ro.text and "Pâine ţărănească feliată" in ro.text
    assert ro.qr_codes == ["https://anaf.ro/bon?id=RO12345678-000123"]
    for page in (uk, ro):
        assert page.cut == "partial" and "?" not in "".join(page.text)


def test_offline_printer_then_back_prints_once(
        client: TestClient, escpos_emulator: EscposPrinterEmulator) -> None:
    pid = _add(client, escpos_emulator.port)
    escpos_emulator.stop()
    job = _receipt(client, pid, "uk", "S01-T01-0011-0001")
    _wait(lambda: client.get(f"/api/hardware/jobs/{job}").json()["attempts"] >= 1, "attempted")
    assert client.get(f"/api/hardware/jobs/{job}").json()["status"] == "queued"
    assert client.get(f"/api/hardware/printers/{pid}").json()["status"] == "offline"
    escpos_emulator.start()
    _done(client, job)
    assert sum("S01-T01-0011-0001" in " ".join(p.text) for p in escpos_emulator.receipts()) == 1


def test_paper_out_reaches_the_printer_status(
        client: TestClient, escpos_emulator: EscposPrinterEmulator) -> None:
    pid = _add(client, escpos_emulator.port)
    escpos_emulator.set_status("paper-out")
    detail = client.get(f"/api/hardware/printers/{pid}").json()
    assert detail["status"] == "paper_out"
    assert detail["statusDetails"]["paperOut"] is True
    listed = client.get("/api/hardware/printers").json()["printers"]
    assert [p["status"] for p in listed] == ["paper_out"]
    escpos_emulator.set_status("cover-open")
    assert client.get(f"/api/hardware/printers/{pid}").json()["status"] == "cover_open"


def test_product_label_and_batch(client: TestClient, label_emulator: LabelPrinterEmulator) -> None:
    """GIVEN a ZPL label printer WHEN the seed's label request is sent THEN the label decodes
    to name, price, SKU and EAN-13, ten copies; AND 100 products go as one job."""
    pid = _add(client, label_emulator.port, type="label", profile="zebra-zd420")
    r = client.post("/api/hardware/print/label", json={
        "printerId": pid, "type": "product", "quantity": 10,
        "data": {"barcode": "4006381333931", "name": "iPhone 15 Pro", "price": 4500000,
                 "sku": "PROD-001"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] and body["message"] == "Етикетки надіслано на друк (10 шт)"
    _done(client, body["jobId"])
    (label,) = label_emulator.zpl_labels()
    assert label.texts() == ["iPhone 15 Pro", "45 000,00 грн", "PROD-001"]
    assert label.of_kind("ean13")[0].data == "4006381333931" and label.copies == 10

    label_emulator.clear()
    items = [{"data": {"name": f"Товар {i}", "price": 1000 + i, "sku": f"SKU-{i}"},
              "quantity": 1} for i in range(100)]
    r = client.post("/api/hardware/print/label", json={"printerId": pid, "items": items})
    job = _done(client, r.json()["jobId"])
    assert job["labels"] == 100
    with_labels = [bytes(j) for j in label_emulator.jobs if b"^XA" in j]
    assert len(with_labels) == 1  # one job, one connection
    assert len(label_emulator.zpl_labels()) == 100


def test_product_label_from_the_catalog(client: TestClient,
                                        label_emulator: LabelPrinterEmulator) -> None:
    _add(client, label_emulator.port, type="label", profile="zebra-zd420")
    r = client.post("/api/hardware/print/product-label", json={
        "productId": "prod-123", "quantity": 5, "includePrice": True, "includeQR": True})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"success", "jobId"}
    _done(client, r.json()["jobId"])
    (label,) = label_emulator.zpl_labels()
    assert label.texts() == ["Ковбаса «Лікарська»", "189,90 грн", "379,80 грн/кг", "PROD-001"]
    assert label.of_kind("qr")[0].data == "https://shop.example/p/123"
    assert label.copies == 5


def test_discovery_finds_an_advertised_emulator(
        client: TestClient, escpos_emulator: EscposPrinterEmulator) -> None:
    with EscposPrinterEmulator() as other, \
            Advertisement("Bar POS", "_pdl-datastream._tcp.local.", other.port), \
            Advertisement("Counter POS", "_pdl-datastream._tcp.local.", escpos_emulator.port):
        _add(client, escpos_emulator.port)
        # RFC 6762 §6: a responder multicasts a record at most once a second, so an answer
        # may wait a second after the announcement.
        r = client.get("/api/hardware/discover", params={"timeout": 2.5, "sources": "mdns"})
    assert r.status_code == 200, r.text
    found = {c["name"]: c for c in r.json()["candidates"]}
    assert found["Bar POS"]["port"] == other.port and found["Bar POS"]["alreadyAdded"] is False
    assert found["Counter POS"]["alreadyAdded"] is True
    assert found["Bar POS"]["connection"] == "network" and found["Bar POS"]["ip"] == "127.0.0.1"


# -- shapes ----------------------------------------------------------------------------------
def test_printer_crud_follows_the_seed(client: TestClient,
                                       escpos_emulator: EscposPrinterEmulator) -> None:
    r = client.post("/api/hardware/printers", json={
        "name": "New Printer", "type": "thermal", "connection": "network", "ip": "127.0.0.1",
        "port": escpos_emulator.port, "default": False})
    assert r.status_code == 201
    created = r.json()
    assert created == {"id": created["id"], "name": "New Printer", "status": "testing",
                       "message": "Принтер додано. Перевірте підключення."}
    pid = created["id"]
    (item,) = client.get("/api/hardware/printers").json()["printers"]
    assert {k: item[k] for k in ("id", "name", "type", "connection", "ip", "default")} == {
        "id": pid, "name": "New Printer", "type": "thermal", "connection": "network",
        "ip": "127.0.0.1", "default": True}  # the first printer of its type becomes default
    assert {"receipt", "barcode", "qr"} <= set(item["capabilities"])
    job = _receipt(client, pid, "uk", "S01-T01-0012-0001")
    _done(client, job)
    detail = client.get(f"/api/hardware/printers/{pid}").json()
    assert detail["status"] == "online"
    assert detail["stats"]["totalPrints"] == 1 and detail["stats"]["failedPrints"] == 0
    assert detail["stats"]["lastPrint"] is not None
    r = client.put(f"/api/hardware/printers/{pid}", json={"name": "Updated Name",
                                                          "default": True})
    assert r.json() == {"id": pid, "message": "Налаштування оновлено"}
    assert client.get(f"/api/hardware/printers/{pid}").json()["name"] == "Updated Name"
    r = client.post("/api/hardware/print", json={"type": "receipt", "reprintOf": job})
    copy = _done(client, r.json()["jobId"])
    assert copy["isCopy"] is True and copy["copyOf"] == job
    assert escpos_emulator.receipts()[-1].text[0] == "*** КОПІЯ ***"
    assert client.delete(f"/api/hardware/printers/{pid}").json() == {"message": "Принтер видалено"}
    assert client.get("/api/hardware/printers").json() == {"printers": []}


def test_universal_print_formats(client: TestClient, escpos_emulator: EscposPrinterEmulator,
                                 label_emulator: LabelPrinterEmulator) -> None:
    pid = _add(client, escpos_emulator.port)
    lid = _add(client, label_emulator.port, type="label", profile="zebra-zd420")
    r = client.post("/api/hardware/print", json={"printerId": pid, "type": "receipt",
                                                 "content": "===== ЧЕК =====\nРазом 10,00",
                                                 "format": "text"})
    _done(client, r.json()["jobId"])
    assert escpos_emulator.receipts()[0].text == ["===== ЧЕК =====", "Разом 10,00"]
    r = client.post("/api/hardware/print", json={"printerId": pid, "type": "drawer"})
    _done(client, r.json()["jobId"])
    assert escpos_emulator.printout().pages[-1].drawer_pulses == [2]
    r = client.post("/api/hardware/print", json={
        "printerId": lid, "type": "label", "format": "zpl",
        "content": "^XA^FO10,10^A0N,30,30^FDraw^FS^XZ"})
    _done(client, r.json()["jobId"])
    assert label_emulator.zpl_labels()[0].texts() == ["raw"]


# -- bad input ---------------------------------------------------------------------------------
def _error(r: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "code", "details"} and body["code"] == code, body
    assert isinstance(body["error"], str) and body["error"]
    if field is not None:
        assert body["details"]["field"] == field, body
    return dict(body)


@pytest.fixture
def printers(client: TestClient, escpos_emulator: EscposPrinterEmulator,
             label_emulator: LabelPrinterEmulator) -> dict[str, str]:
    return {"pos": _add(client, escpos_emulator.port),
            "zebra": _add(client, label_emulator.port, type="label", profile="zebra-zd420")}


def _snapshot(client: TestClient, service: HardwareService) -> tuple[Any, int]:
    """Printer settings (not their live status) and the number of jobs."""
    printers = [{k: v for k, v in p.items() if k not in ("status", "statusDetails")}
                for p in client.get("/api/hardware/printers").json()["printers"]]
    return printers, service.store.count_jobs()


def test_bad_printer_input_changes_nothing(client: TestClient, service: HardwareService,
                                          printers: dict[str, str]) -> None:
    before = _snapshot(client, service)
    ok = {"name": "X", "type": "thermal", "connection": "network", "ip": "127.0.0.1",
          "port": 9100}
    post = "/api/hardware/printers"
    _error(client.post(post, json={**ok, "type": "fax"}), 422, "VALIDATION_ERROR", "type")
    _error(client.post(post, json={k: v for k, v in ok.items() if k != "name"}), 422,
           "VALIDATION_ERROR", "name")
    _error(client.post(post, json={**ok, "ip": "999.1.1.1"}), 422, "VALIDATION_ERROR", "ip")
    _error(client.post(post, json={**ok, "ip": "0.0.0.0"}), 422, "VALIDATION_ERROR", "ip")
    _error(client.post(post, json={**ok, "ip": "224.0.0.251"}), 422, "VALIDATION_ERROR")
    _error(client.post(post, json={**ok, "port": 70000}), 422, "VALIDATION_ERROR", "port")
    _error(client.post(post, json={**ok, "ip": None}), 422, "VALIDATION_ERROR")
    _error(client.post(post, json={**ok, "profile": "no-such-model"}), 422, "VALIDATION_ERROR")
    _error(client.post(post, json={**ok, "colour": "red"}), 422, "VALIDATION_ERROR", "colour")
    unreachable = _error(client.post(post, json={**ok, "port": _free_port()}), 502,
                         "EXTERNAL_SERVICE_ERROR", "ip")
    assert unreachable["details"]["reason"] == "unreachable"
    taken = client.get(f"/api/hardware/printers/{printers['pos']}").json()["name"]
    _error(client.post(post, json={**ok, "name": taken}), 409, "DUPLICATE_RESOURCE", "name")
    _error(client.post(post, content=b"{not json", headers={"Content-Type":
                                                             "application/json"}),
           400, "INVALID_REQUEST")
    pid = printers["pos"]
    _error(client.get("/api/hardware/printers/nope"), 404, "RESOURCE_NOT_FOUND", "id")
    _error(client.put("/api/hardware/printers/nope", json={"name": "Y"}), 404,
           "RESOURCE_NOT_FOUND")
    _error(client.delete("/api/hardware/printers/nope"), 404, "RESOURCE_NOT_FOUND")
    _error(client.put(f"/api/hardware/printers/{pid}", json={}), 422, "VALIDATION_ERROR")
    _error(client.put(f"/api/hardware/printers/{pid}", json={"type": "fax"}), 422,
           "VALIDATION_ERROR", "type")
    _error(client.put(f"/api/hardware/printers/{pid}", json={"name": None}), 422,
           "VALIDATION_ERROR", "name")
    _error(client.put(f"/api/hardware/printers/{pid}", json={"port": _free_port()}), 502,
           "EXTERNAL_SERVICE_ERROR")
    assert _snapshot(client, service) == before


def test_bad_print_input_queues_nothing(client: TestClient, service: HardwareService,
                                        printers: dict[str, str]) -> None:
    before = _snapshot(client, service)
    pos, zebra = printers["pos"], printers["zebra"]
    label = "/api/hardware/print/label"
    data = {"name": "Milk", "price": 1999}
    _error(client.post(label, json={"printerId": "nope", "data": data}), 404,
           "RESOURCE_NOT_FOUND", "id")
    wrong = _error(client.post(label, json={"printerId": pos, "data": data}), 422,
                   "VALIDATION_ERROR", "printerId")
    assert wrong["details"]["reason"] == "wrong_printer_type"
    _error(client.post(label, json={"printerId": zebra}), 422, "VALIDATION_ERROR", "data")
    _error(client.post(label, json={"printerId": zebra, "data": {"price": 5}}), 422,
           "VALIDATION_ERROR", "data.name")
    for qty in (0, -1, 1_000_000):
        absurd = _error(client.post(label, json={"printerId": zebra, "data": data,
                                                 "quantity": qty}),
                        422, "VALIDATION_ERROR", "quantity")
        assert absurd["details"]["reason"] == "quantity_out_of_range"
    _error(client.post(label, json={"printerId": zebra, "data": {**data, "price": -5}}), 422,
           "VALIDATION_ERROR", "data.price")
    _error(client.post(label, json={"printerId": zebra, "data": {**data,
                                                                "barcode": "4006381333932"}}),
           422, "VALIDATION_ERROR", "data.barcode")
    _error(client.post(label, json={"printerId": zebra, "type": "custom",
                                    "data": {"template": "^XA^FD{missing}^FS^XZ"}}),
           422, "VALIDATION_ERROR")
    _error(client.post(label, json={"printerId": zebra, "type": "poster", "data": data}), 422,
           "VALIDATION_ERROR", "type")
    _error(client.post(label, json={"printerId": zebra, "quantity": "ten", "data": data}),
           422, "VALIDATION_ERROR", "quantity")

    product = "/api/hardware/print/product-label"
    _error(client.post(product, json={"productId": "prod-999"}), 404, "RESOURCE_NOT_FOUND",
           "productId")
    _error(client.post(product, json={"productId": "prod-123", "quantity": 5000}), 422,
           "VALIDATION_ERROR", "quantity")
    _error(client.post(product, json={}), 422, "VALIDATION_ERROR", "productId")

    anyp = "/api/hardware/print"
    _error(client.post(anyp, json={"printerId": "nope", "type": "receipt", "content": "x"}),
           404, "RESOURCE_NOT_FOUND")
    _error(client.post(anyp, json={"printerId": zebra, "type": "receipt", "content": "x"}),
           422, "VALIDATION_ERROR", "printerId")
    _error(client.post(anyp, json={"printerId": pos, "type": "fax", "content": "x"}), 422,
           "VALIDATION_ERROR", "type")
    _error(client.post(anyp, json={"printerId": pos, "type": "receipt", "content": ""}), 422,
           "VALIDATION_ERROR", "content")
    _error(client.post(anyp, json={"printerId": pos, "type": "label", "format": "text",
                                   "content": "x"}), 422, "VALIDATION_ERROR", "format")
    _error(client.post(anyp, json={"printerId": zebra, "type": "label", "format": "tspl",
                                   "content": "PRINT 1"}), 422, "VALIDATION_ERROR", "format")
    _error(client.post(anyp, json={"printerId": pos, "type": "raw", "format": "escpos",
                                   "content": "%%%"}), 422, "VALIDATION_ERROR", "content")
    _error(client.post(anyp, json={"printerId": pos, "type": "receipt", "format": "json",
                                   "content": {"receiptNumber": "1"}}), 422,
           "VALIDATION_ERROR")
    _error(client.post(anyp, json={"type": "receipt", "reprintOf": "nope"}), 404,
           "RESOURCE_NOT_FOUND")
    _error(client.get("/api/hardware/jobs/nope"), 404, "RESOURCE_NOT_FOUND", "id")
    _error(client.get("/api/hardware/discover", params={"timeout": 100}), 422,
           "VALIDATION_ERROR", "timeout")
    _error(client.get("/api/hardware/discover", params={"sources": "bluetooth"}), 422,
           "VALIDATION_ERROR", "sources")
    assert _snapshot(client, service) == before


def test_no_label_printer_and_no_token(tmp_path: Path, service: HardwareService) -> None:
    app = create_app(TillServices(TillConfig(home=tmp_path / "till"), hardware=service.start()),
                     token=TOKEN)
    with TestClient(app) as anon:
        _error(anon.get("/api/hardware/printers"), 401, "AUTHENTICATION_FAILED")
        authed = {"Authorization": f"Bearer {TOKEN}"}
        r = anon.post("/api/hardware/print/product-label", json={"productId": "prod-123"},
                      headers=authed)
        body = _error(r, 422, "VALIDATION_ERROR", "printerId")
        assert body["details"]["reason"] == "no_printer"
