"""Print operations: validate, render on the caller's thread (fast, pure), enqueue one job.

Rendering before enqueueing means bad data is refused with a 422 and nothing is queued; the
worker only moves bytes. Receipt and text jobs keep their document so a reprint or a recovery
resend can render them again as a COPY.
"""

from __future__ import annotations

import json
from typing import Protocol

from desktop.devices.errors import CapabilityNotSupported
from desktop.devices.printers.catalog import ProductCatalog
from desktop.devices.printers.config import PrinterConfig, PrinterKind
from desktop.devices.printers.document import ReceiptDocument
from desktop.devices.printers.drivers import LabelDriver, ReceiptDriver
from desktop.devices.printers.errors import (
    InvalidPrintRequest,
    ProductNotFound,
    WrongPrinterType,
)
from desktop.devices.printers.labels import LabelContent, TemplateError, render_labels
from desktop.devices.printers.queue import PrintQueue
from desktop.devices.printers.settings import HardwareSettings
from desktop.devices.printers.store import JobRecord, PrinterRecord
from desktop.devices.protocols.escpos.barcode import ean13_check_digit

__all__ = ["PrintHost", "Printing"]


class PrintHost(Protocol):
    """What printing needs of the hardware service (which builds one :class:`Printing` over
    itself): its settings, catalog and queue, and its printer and job lookups."""

    settings: HardwareSettings
    catalog: ProductCatalog
    queue: PrintQueue

    def printer(self, printer_id: str) -> PrinterRecord: ...

    def job(self, job_id: str) -> JobRecord: ...

    def default_printer(self, kind: PrinterKind) -> PrinterConfig | None: ...

_KIND_WORD = {PrinterKind.THERMAL: "receipt", PrinterKind.LABEL: "label"}


class Printing:
    def __init__(self, service: PrintHost) -> None:
        self.svc = service

    # -- helpers -------------------------------------------------------------------------------
    def resolve(self, printer_id: str | None, kind: PrinterKind) -> PrinterConfig:
        """The named printer (must be of ``kind``) or the default one of that kind."""
        if printer_id:
            cfg = self.svc.printer(printer_id).config
            if cfg.type is not kind:
                raise WrongPrinterType(
                    f"printer {cfg.name!r} is a {cfg.type.value} printer; this needs a "
                    f"{_KIND_WORD[kind]} printer", field="printerId")
            return cfg
        cfg_or_none = self.svc.default_printer(kind)
        if cfg_or_none is None:
            raise InvalidPrintRequest(f"no {_KIND_WORD[kind]} printer is configured",
                                      field="printerId", reason="no_printer")
        return cfg_or_none

    def _receipt_driver(self, cfg: PrinterConfig) -> ReceiptDriver:
        drv = self.svc.queue.driver(cfg)
        assert isinstance(drv, ReceiptDriver)
        return drv

    def _label_driver(self, cfg: PrinterConfig) -> LabelDriver:
        drv = self.svc.queue.driver(cfg)
        assert isinstance(drv, LabelDriver)
        return drv

    def _check_quantity(self, qty: int, field: str = "quantity") -> None:
        top = self.svc.settings.max_quantity
        if not 1 <= qty <= top:
            raise InvalidPrintRequest(f"quantity must be 1..{top}, got {qty}", field=field,
                                      reason="quantity_out_of_range")

    # -- receipts --------------------------------------------------------------------------------
    def receipt(self, doc: ReceiptDocument, *, printer_id: str | None = None,
                dedupe_key: str | None = None) -> JobRecord:
        """Queue a receipt; ``dedupe_key`` (the sale id) makes a repeated call a no-op."""
        cfg = self.resolve(printer_id, PrinterKind.THERMAL)
        try:
            payload = self._receipt_driver(cfg).renderer.render(doc)
        except CapabilityNotSupported as exc:
            raise InvalidPrintRequest(str(exc), field="content", reason="not_supported") from exc
        document = json.dumps({"type": "receipt",
                               "receipt": doc.model_dump(mode="json", by_alias=True)})
        return self.svc.queue.enqueue(cfg.id, "receipt", payload, document=document,
                                      is_copy=doc.is_copy, dedupe_key=dedupe_key)

    def text(self, text: str, *, printer_id: str | None = None, language: str | None = None,
             kind: str = "text", is_copy: bool = False) -> JobRecord:
        cfg = self.resolve(printer_id, PrinterKind.THERMAL)
        lang = language or self.svc.settings.language
        payload = self._receipt_driver(cfg).renderer.render_text(text, language=lang,
                                                                 is_copy=is_copy)
        document = json.dumps({"type": "text", "text": text, "language": lang})
        return self.svc.queue.enqueue(cfg.id, kind, payload, document=document,
                                      is_copy=is_copy)

    def raw_escpos(self, payload: bytes, *, printer_id: str | None = None) -> JobRecord:
        if not payload:
            raise InvalidPrintRequest("no bytes to print", field="content")
        cfg = self.resolve(printer_id, PrinterKind.THERMAL)
        return self.svc.queue.enqueue(cfg.id, "raw", payload)

    def drawer(self, *, printer_id: str | None = None) -> JobRecord:
        cfg = self.resolve(printer_id, PrinterKind.THERMAL)
        try:
            payload = self._receipt_driver(cfg).renderer.render_drawer()
        except CapabilityNotSupported as exc:
            raise InvalidPrintRequest(str(exc), field="printerId",
                                      reason="not_supported") from exc
        return self.svc.queue.enqueue(cfg.id, "drawer", payload)

    def reprint(self, job_id: str) -> JobRecord:
        job = self.svc.job(job_id)
        rec = self.svc.printer(job.printer_id)
        if not job.document:
            raise InvalidPrintRequest("only receipts and text jobs can be reprinted",
                                      field="reprintOf", reason="not_reprintable")
        return self.svc.queue.reprint(job, rec.config)

    # -- labels ----------------------------------------------------------------------------------
    def raw_label(self, text: str, fmt: str, *, printer_id: str | None = None) -> JobRecord:
        cfg = self.resolve(printer_id, PrinterKind.LABEL)
        lang = self._label_driver(cfg).profile.language
        if fmt != lang:
            raise InvalidPrintRequest(f"printer {cfg.name!r} speaks {lang.upper()}, not "
                                      f"{fmt.upper()}", field="format", reason="wrong_format")
        if not text.strip():
            raise InvalidPrintRequest("no label data", field="content")
        return self.svc.queue.enqueue(cfg.id, "label", text.encode("utf-8"))

    def labels(self, items: list[tuple[LabelContent, int]], *,
               printer_id: str | None = None) -> JobRecord:
        """A batch of labels (each with its quantity) as one job."""
        if not items:
            raise InvalidPrintRequest("no labels to print", field="items")
        single = len(items) == 1
        for i, (content, qty) in enumerate(items):
            self._check_quantity(qty, "quantity" if single else f"items.{i}.quantity")
            self._check_content(content, "data" if single else f"items.{i}.data")
        total = sum(q for _, q in items)
        if total > self.svc.settings.max_batch_labels:
            raise InvalidPrintRequest(
                f"{total} labels in one job; at most {self.svc.settings.max_batch_labels}",
                field="items", reason="quantity_out_of_range")
        cfg = self.resolve(printer_id, PrinterKind.LABEL)
        try:
            payload = render_labels(self._label_driver(cfg).spec, items)
        except (TemplateError, ValueError) as exc:
            raise InvalidPrintRequest(str(exc), field="data", reason="bad_label_data") from exc
        return self.svc.queue.enqueue(cfg.id, "label", payload, labels=total)

    @staticmethod
    def _check_content(c: LabelContent, field: str) -> None:
        if c.template == "custom":
            if not c.custom_template:
                raise InvalidPrintRequest("a custom label needs data.template",
                                          field=f"{field}.template", reason="missing_data")
            return
        if not c.name.strip():
            raise InvalidPrintRequest("a label needs a name", field=f"{field}.name",
                                      reason="missing_data")
        if c.price is None and c.template == "shelf":
            raise InvalidPrintRequest("a shelf label needs a price", field=f"{field}.price",
                                      reason="missing_data")
        code = c.barcode
        if code is not None:
            if not code or any(not 32 <= ord(ch) < 127 for ch in code):
                raise InvalidPrintRequest("a barcode must be printable ASCII",
                                          field=f"{field}.barcode", reason="bad_barcode")
            if code.isdigit() and len(code) == 13 and ean13_check_digit(code[:12]) != code[12]:
                raise InvalidPrintRequest(f"{code} is not a valid EAN-13 (check digit)",
                                          field=f"{field}.barcode", reason="bad_barcode")

    def product_labels(self, product_id: str, quantity: int, *, include_price: bool = True,
                       include_qr: bool = False, printer_id: str | None = None,
                       template: str = "product") -> JobRecord:
        self._check_quantity(quantity)
        product = self.svc.catalog.label_product(product_id)
        if product is None:
            raise ProductNotFound(f"product {product_id!r} not found", field="productId")
        content = LabelContent(
            template, name=product.name, price=product.price if include_price else None,
            currency=product.currency, language=self.svc.settings.language,
            unit=product.unit if include_price else None, unit_quantity=product.unit_quantity,
            barcode=product.barcode, sku=product.sku,
            qr=(product.qr or product.barcode or product.sku or product.id) if include_qr
            else None)
        return self.labels([(content, quantity)], printer_id=printer_id)
