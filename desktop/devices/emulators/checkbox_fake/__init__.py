"""A fake Checkbox PRRO server (FastAPI on 127.0.0.1) for tests and demos.

It implements the endpoints our client uses (devices.md §1) with state: cashier sign-in, shifts
(CREATED → OPENED, CLOSING → CLOSED with a Z report), X reports, sell/return receipts that
become DONE after ``polls_to_done`` lookups, service receipts, receipt lookup and search, and
offline operation (reserved codes, go-offline/go-online, ``sell-offline``).

Where things live::

    fake.py       CheckboxFake: the server, its switches (unreachable, hold, latency), the gate
    register.py   the cash register's state and rules (shifts, receipts, reports, offline)
    auth.py       cashier logins and tokens
    routes/       the HTTP API by area: cashier, shifts, receipts, cash_registers
    __main__.py   ``python -m desktop.devices.emulators.checkbox_fake``
"""

from __future__ import annotations

from desktop.devices.emulators.checkbox_fake.fake import CheckboxFake
from desktop.devices.emulators.checkbox_fake.register import UA_TAXES

__all__ = ["UA_TAXES", "CheckboxFake"]
