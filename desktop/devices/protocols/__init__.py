"""Device languages as pure functions: build bytes, parse bytes, no I/O.

``escpos`` (receipt printers), ``zpl`` and ``tspl`` (label printers). Drivers in
``desktop.devices.printers`` compose these and push the bytes through a transport.
"""

from __future__ import annotations
