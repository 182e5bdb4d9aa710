"""The documents printers and fiscal devices take: one implementation, in
:mod:`desktop.agent.documents` (the headless agent and the window must send the same bytes)."""

from __future__ import annotations

from desktop.agent.documents import fiscal_receipt, receipt_document, report_text, vat_letters

__all__ = ["fiscal_receipt", "receipt_document", "report_text", "vat_letters"]
