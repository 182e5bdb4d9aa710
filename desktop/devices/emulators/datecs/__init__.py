"""A Datecs fiscal printer emulator speaking the real framed protocol on a pty and on TCP.

It keeps a fiscal memory (receipt and document counters, day totals per VAT letter, cash in/out,
Z history, an electronic journal of issued documents), enforces the device's rules (no sale
without an open receipt, one receipt at a time, no close before full payment, a fiscal day
older than 24 h blocks documents until a Z — on a controllable clock) and can be told to fail
at a step (``fail_at``).

Where things live::

    emulator.py   DatecsEmulator: frames in and out, repeated SEQ, injected faults
    commands.py   one handler per command code, over the fiscal memory
    memory.py     counters, totals, journal, Z history and the device's rules
    server.py     the TCP and pty links
    __main__.py   ``python -m desktop.devices.emulators.datecs``
"""

from __future__ import annotations

from desktop.devices.emulators.datecs.emulator import RO_RATES, DatecsEmulator
from desktop.devices.emulators.datecs.memory import IssuedDoc, ZRecord

__all__ = ["RO_RATES", "DatecsEmulator", "IssuedDoc", "ZRecord"]
