"""The till agent: the Qt-free work that follows every completed document.

* :mod:`desktop.agent.fiscalise` — :class:`FiscalisationWorker`, one thread that sends every
  completed sale, return and cash movement without a fiscal result through the
  :class:`~desktop.devices.fiscal.service.FiscalService` (whose journal makes it exactly-once)
  and records the answer with ``Till.record_fiscal_result``.
* :mod:`desktop.agent.printing` — :class:`ReceiptPrinting`, queues the customer receipt on the
  default receipt printer once the document is fiscalised (or at once without a device).
* :mod:`desktop.agent.runtime` — :class:`TillAgent`: till + fiscal worker + print queue (+ sync).
* :mod:`desktop.agent.documents` — receipts as printer/fiscal documents.

The headless till (``tillbridge-till run --headless``) runs a ``TillAgent``; so does the cashier
window (:class:`desktop.ui.window_agent.WindowAgent`, over the window's till and device ports),
which therefore also fiscalises and prints documents other programs complete in its store.
"""

from __future__ import annotations
