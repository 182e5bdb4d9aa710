"""Fiscal devices: a device-neutral interface, Datecs (RO) and Checkbox (UA) drivers, the
crash-safe journal and the service the till uses.

Import submodules directly (``desktop.devices.fiscal.service`` …); nothing here does I/O.
"""

from __future__ import annotations
