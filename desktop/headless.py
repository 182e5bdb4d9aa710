"""The headless till (``tillbridge-till run --headless``, or no display): a till process
without a window.

It serves the local API (:class:`desktop.api.server.LocalApiServer`, in the foreground) and
runs the :class:`~desktop.documents.worker.DocumentWorker` over the same
:class:`~desktop.app.TillServices` — so every completed document (from the API, the CLI or
another program on this store) is fiscalised and printed over the API's fiscal connection and
print queue, and the sync runner pulls into this same till (cloud changes to users and
settings reach its receipts at once).
"""

from __future__ import annotations

from desktop.api.server import LocalApiServer
from desktop.app import TillServices, tune_gc
from desktop.documents.printing import ReceiptPrinting
from desktop.documents.worker import DocumentWorker

__all__ = ["run_headless"]


def run_headless(services: TillServices) -> None:
    """Serve until the process is told to stop (SIGTERM, Ctrl+C), then close everything."""
    tune_gc()
    till = services.till.get()  # before the API starts: its sync runner syncs through it
    worker = DocumentWorker(till, services.home, fiscal=services.fiscal.get,
                      printing=ReceiptPrinting(services.hardware.get,
                                               language=lambda: till.settings.language)).start()
    try:
        LocalApiServer(services, headless=True).run()
    finally:
        worker.stop()
        services.close()
