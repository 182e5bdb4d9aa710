"""Local Hardware API (seed 003): printers, printing, jobs and discovery on this till.

Thin shell over ``desktop.devices.printers.service``; request and response shapes follow the
seed (camelCase), errors its ``{error, code, details}`` format via the app's handlers. The
service is the till's (:attr:`desktop.app.TillServices.hardware`), shared with the window and
the document worker; its print workers start with the app.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from desktop.api.deps import Services
from desktop.api.errors import error_responses
from desktop.devices.printers.document import ReceiptDocument
from desktop.devices.printers.errors import InvalidPrintRequest
from desktop.devices.printers.labels import LabelContent
from desktop.devices.printers.service import HardwareService, PrinterView
from desktop.devices.printers.store import JobRecord

__all__ = ["router"]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# -- requests --------------------------------------------------------------------------------
class PrinterFields(_Camel):
    name: str | None = None
    type: Literal["thermal", "label"] | None = None
    connection: Literal["network", "usb", "serial", "file"] | None = None
    ip: str | None = None
    port: int | None = None
    default: bool | None = None
    device: str | None = None
    baudrate: int | None = None
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None
    profile: str | None = None
    cut: Literal["full", "partial", "none"] | None = None
    drawer_pin: int | None = None
    logo_path: str | None = None
    time_zone: str | None = None
    label_width_mm: float | None = None
    label_height_mm: float | None = None
    dpi: int | None = None


class PrinterCreate(PrinterFields):
    name: str
    type: Literal["thermal", "label"]
    connection: Literal["network", "usb", "serial", "file"]


class LabelData(_Camel):
    name: str = Field("", max_length=200)
    price: int | None = Field(None, ge=0, le=10**11, description="minor units")
    barcode: str | None = Field(None, max_length=48)
    sku: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    unit: Literal["kg", "l", "pcs"] | None = None
    unit_quantity: Decimal | None = Field(None, gt=0, le=100000)
    qr: str | None = Field(None, max_length=1000)
    old_price: int | None = Field(None, ge=0, le=10**11)
    template: str | None = Field(None, max_length=20000, description="custom: ZPL/TSPL")
    values: dict[str, str] = Field(default_factory=dict)


class LabelItem(_Camel):
    data: LabelData
    quantity: int = 1


class LabelRequest(_Camel):
    printer_id: str | None = None
    type: Literal["product", "shelf", "custom"] = "product"
    data: LabelData | None = None
    quantity: int = 1
    items: list[LabelItem] | None = Field(None, max_length=10000, description="batch")


class ProductLabelRequest(_Camel):
    product_id: str = Field(min_length=1, max_length=100)
    quantity: int = 1
    include_price: bool = True
    include_qr: bool = Field(False, alias="includeQR")
    printer_id: str | None = None
    template: Literal["product", "shelf"] = "product"


class PrintRequest(_Camel):
    printer_id: str | None = None
    type: Literal["receipt", "text", "label", "raw", "drawer"]
    content: str | dict[str, Any] | None = None
    format: Literal["text", "json", "zpl", "tspl", "escpos"] = "text"
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")
    copy_: bool = Field(False, alias="copy")
    reprint_of: str | None = None
    dedupe_key: str | None = Field(None, max_length=100)


# -- responses -------------------------------------------------------------------------------
class StatusDetails(_Camel):
    online: bool
    cover_open: bool
    paper_near_end: bool
    paper_out: bool
    error: bool
    detail: str
    checked_at: datetime | None


class PrinterItem(_Camel):
    id: str
    name: str
    type: str
    connection: str
    ip: str | None = None
    port: int | None = None
    status: str
    default: bool
    capabilities: list[str]
    profile: str
    status_details: StatusDetails


class PrinterList(_Camel):
    printers: list[PrinterItem]


class Stats(_Camel):
    total_prints: int
    failed_prints: int
    last_print: datetime | None


class PrinterDetail(PrinterItem):
    stats: Stats


class PrinterCreated(_Camel):
    id: str
    name: str
    status: str
    message: str


class Updated(_Camel):
    id: str
    message: str


class Message(_Camel):
    message: str


class PrintAccepted(_Camel):
    success: bool = True
    job_id: str
    message: str | None = None


class Job(_Camel):
    id: str
    printer_id: str
    type: str
    status: str
    attempts: int
    last_error: str | None
    is_copy: bool
    copy_of: str | None
    labels: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    done_at: datetime | None


class CandidateOut(_Camel):
    source: str
    name: str
    connection: str
    type: str
    profile: str
    ip: str | None = None
    port: int | None = None
    service: str | None = None
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None
    vendor: str = ""
    model: str = ""
    already_added: bool


class Discovery(_Camel):
    candidates: list[CandidateOut]
    notes: list[str]


_ERRORS = error_responses(400, 401, 403, 404, 409, 422, 502)

# -- service ------------------------------------------------------------------------------------


def _service(services: Services) -> HardwareService:
    return services.hardware.get()


Service = Annotated[HardwareService, Depends(_service)]
router = APIRouter(prefix="/api/hardware", tags=["hardware"], responses=_ERRORS)


# -- mapping --------------------------------------------------------------------------------------
def _item(v: PrinterView) -> dict[str, Any]:
    c, s = v.config, v.status
    out: dict[str, Any] = {
        "id": c.id, "name": c.name, "type": c.type.value, "connection": c.connection.value,
        "status": s.state.value, "default": c.default, "capabilities": c.capabilities,
        "profile": c.profile_id, "statusDetails": {
            "online": s.online, "coverOpen": s.cover_open, "paperNearEnd": s.paper_near_end,
            "paperOut": s.paper_out, "error": s.error, "detail": s.detail,
            "checkedAt": s.checked_at}}
    if c.connection.value == "network":
        out.update(ip=c.ip, port=c.tcp_port)
    return out


def _job(j: JobRecord) -> Job:
    return Job(id=j.id, printer_id=j.printer_id, type=j.kind, status=j.state.value,
               attempts=j.attempts, last_error=j.last_error, is_copy=j.is_copy,
               copy_of=j.copy_of, labels=j.labels, created_at=j.created_at,
               updated_at=j.updated_at, sent_at=j.sent_at, done_at=j.done_at)


def _content(data: LabelData, template: str, svc: HardwareService) -> LabelContent:
    return LabelContent(
        template, name=data.name, price=data.price,
        currency=data.currency or svc.settings.currency, language=svc.settings.language,
        unit=data.unit, unit_quantity=data.unit_quantity, barcode=data.barcode, sku=data.sku,
        qr=data.qr, old_price=data.old_price, custom_template=data.template,
        values=tuple(sorted({"name": data.name, "sku": data.sku or "",
                             "barcode": data.barcode or "", **data.values}.items())))


# -- routes ----------------------------------------------------------------------------------------
@router.get("/printers", response_model=PrinterList, response_model_by_alias=True)
def list_printers(svc: Service) -> dict[str, Any]:
    return {"printers": [_item(v) for v in svc.list_printers()]}


@router.post("/printers", status_code=201, response_model=PrinterCreated)
def add_printer(body: PrinterCreate, svc: Service) -> PrinterCreated:
    cfg = svc.add_printer(body.model_dump(exclude_none=True))
    return PrinterCreated(id=cfg.id, name=cfg.name, status="testing",
                          message="Принтер додано. Перевірте підключення.")


@router.get("/printers/{id}", response_model=PrinterDetail)
def get_printer(id: str, svc: Service) -> dict[str, Any]:
    v = svc.view(id, live=True)
    st = v.stats
    assert st is not None
    return {**_item(v), "stats": {"totalPrints": st.total, "failedPrints": st.failed,
                                  "lastPrint": st.last_print}}


@router.put("/printers/{id}", response_model=Updated)
def update_printer(id: str, body: PrinterFields, svc: Service) -> Updated:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise InvalidPrintRequest("nothing to update", field="body", reason="empty_update")
    if any(v is None for v in changes.values()):
        empty = next(k for k, v in changes.items() if v is None)
        raise InvalidPrintRequest(f"{to_camel(empty)} cannot be null", field=to_camel(empty),
                                  reason="invalid_printer_config")
    cfg = svc.update_printer(id, changes)
    return Updated(id=cfg.id, message="Налаштування оновлено")


@router.delete("/printers/{id}", response_model=Message)
def delete_printer(id: str, svc: Service) -> Message:
    svc.delete_printer(id)
    return Message(message="Принтер видалено")


@router.post("/print/label", response_model=PrintAccepted)
def print_label(body: LabelRequest, svc: Service) -> PrintAccepted:
    if body.items is not None:
        if body.data is not None:
            raise InvalidPrintRequest("send either data or items", field="items")
        batch = [(_content(it.data, body.type, svc), it.quantity) for it in body.items]
    elif body.data is None:
        raise InvalidPrintRequest("data is required", field="data", reason="missing_data")
    else:
        batch = [(_content(body.data, body.type, svc), body.quantity)]
    job = svc.printing.labels(batch, printer_id=body.printer_id)
    return PrintAccepted(job_id=job.id, message=f"Етикетки надіслано на друк ({job.labels} шт)")


@router.post("/print/product-label", response_model=PrintAccepted,
             response_model_exclude_none=True)
def print_product_label(body: ProductLabelRequest, svc: Service) -> PrintAccepted:
    job = svc.printing.product_labels(body.product_id, body.quantity,
                                      include_price=body.include_price,
                                      include_qr=body.include_qr, printer_id=body.printer_id,
                                      template=body.template)
    return PrintAccepted(job_id=job.id)


def _receipt(content: str | dict[str, Any] | None) -> ReceiptDocument:
    try:
        if isinstance(content, str):
            return ReceiptDocument.model_validate_json(content)
        return ReceiptDocument.model_validate(content or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise InvalidPrintRequest(f"receipt: {err.get('msg', 'invalid')}",
                                  field=f"content.{loc}" if loc else "content",
                                  reason="invalid_receipt") from None


def _text(content: str | dict[str, Any] | None) -> str:
    if not isinstance(content, str) or not content.strip():
        raise InvalidPrintRequest("content must be non-empty text", field="content",
                                  reason="missing_data")
    if len(content) > 100_000:
        raise InvalidPrintRequest("content is longer than 100000 characters", field="content")
    return content


@router.post("/print", response_model=PrintAccepted, response_model_exclude_none=True)
def print_any(body: PrintRequest, svc: Service) -> PrintAccepted:
    p, pid = svc.printing, body.printer_id
    if body.reprint_of:
        job = p.reprint(body.reprint_of)
    elif body.type == "drawer":
        job = p.drawer(printer_id=pid)
    elif body.type in ("receipt", "text") and body.format == "text":
        job = p.text(_text(body.content), printer_id=pid, language=body.language,
                     kind=body.type, is_copy=body.copy_)
    elif body.type == "receipt" and body.format == "json":
        doc = _receipt(body.content)
        if body.copy_:
            doc = doc.model_copy(update={"is_copy": True})
        job = p.receipt(doc, printer_id=pid, dedupe_key=body.dedupe_key)
    elif body.type == "label" and body.format in ("zpl", "tspl"):
        job = p.raw_label(_text(body.content), body.format, printer_id=pid)
    elif body.type == "raw" and body.format == "escpos":
        try:
            payload = base64.b64decode(_text(body.content), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidPrintRequest("content must be base64 ESC/POS bytes", field="content",
                                      reason="bad_encoding") from None
        job = p.raw_escpos(payload, printer_id=pid)
    else:
        raise InvalidPrintRequest(f"type {body.type!r} cannot be printed as {body.format!r}",
                                  field="format", reason="wrong_format")
    return PrintAccepted(job_id=job.id)


@router.get("/jobs/{id}", response_model=Job)
def get_job(id: str, svc: Service) -> Job:
    return _job(svc.job(id))


@router.get("/discover", response_model=Discovery)
def discover(svc: Service,
             timeout: Annotated[float, Query(ge=0.1, le=10)] = 2.0,
             sources: Annotated[str, Query(pattern=r"^(mdns|usb)(,(mdns|usb))*$")] = "mdns,usb",
             ) -> Discovery:
    result, known = svc.discover(timeout, sources=tuple(sources.split(",")))
    out = []
    for c in result.candidates:
        key = (f"network:{c.ip}:{c.port}" if c.connection == "network"
               else f"usb:{c.usb_vendor_id}:{c.usb_product_id}")
        out.append(CandidateOut(**c.to_dict(), already_added=key in known))
    return Discovery(candidates=out, notes=result.notes)
