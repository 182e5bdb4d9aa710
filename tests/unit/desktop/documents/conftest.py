"""A demo till, a Datecs emulator configured as the till's fiscal device (``home/fiscal.json``)
and an ESC/POS emulator as its receipt printer, all on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from document_helpers import configure_datecs, open_till

from desktop.app import TillServices
from desktop.config import TillConfig
from desktop.core import Till
from desktop.devices.emulators.datecs import DatecsEmulator


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = open_till(tmp_path / "till.sqlite3")
    try:
        yield t
    finally:
        t.close()


@pytest.fixture
def services(home: Path) -> Iterator[TillServices]:
    """The till's services over ``home``: the agent takes its fiscal service from here."""
    s = TillServices(TillConfig(home=home))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def datecs(home: Path) -> Iterator[DatecsEmulator]:
    emu = DatecsEmulator("x")
    _, port = emu.serve_tcp()
    configure_datecs(home, port)
    try:
        yield emu
    finally:
        emu.close()
