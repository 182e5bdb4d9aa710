"""The document worker: the Qt-free work that follows every completed document (fiscalise it,
then print its receipt), whoever completed it — the window, the local API, the CLI.

* :mod:`desktop.documents.fiscalise` — :class:`FiscalisationWorker`, one thread that sends every
  completed sale, return and cash movement without a fiscal result through the
  :class:`~desktop.devices.fiscal.service.FiscalService` (whose journal makes it exactly-once)
  and records the answer with ``Till.record_fiscal_result``.
* :mod:`desktop.documents.printing` — :class:`ReceiptPrinting`, queues the customer receipt on
  the default receipt printer once the document is fiscalised (or at once without a device).
* :mod:`desktop.documents.worker` — :class:`DocumentWorker`: till + fiscal worker + printing.
* :mod:`desktop.documents.render` — receipts as printer/fiscal documents.
* :mod:`desktop.documents.state` — the worker's durable positions (``home/agent.json``).

The headless till (:mod:`desktop.headless`) runs a ``DocumentWorker``; so does the cashier
window (:class:`desktop.ui.window_documents.WindowDocuments`, over the window's till and
device ports), which therefore also fiscalises and prints documents other programs complete in
its store.
"""

from __future__ import annotations
