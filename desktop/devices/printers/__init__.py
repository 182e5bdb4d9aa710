"""Receipt and label printers: rendering, drivers, the durable print queue and the service
the local Hardware API and the till core use."""

from __future__ import annotations
