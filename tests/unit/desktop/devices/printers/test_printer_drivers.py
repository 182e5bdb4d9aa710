"""Drivers and connections over every transport: dummy, scripted, TCP, serial pty, file."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator
from desktop.devices.errors import DeviceOffline, ProtocolError
from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.connections import transport_for
from desktop.devices.printers.drivers import LabelDriver, ReceiptDriver, default_registry
from desktop.devices.printers.status import PrinterState
from desktop.devices.protocols.escpos import status as rt
from desktop.devices.protocols.tspl.status import TsplStatus, encode_status
from desktop.devices.protocols.zpl.status import ZplStatus, encode_host_status
from desktop.devices.transports import DummyTransport, ScriptedTransport


def _thermal(**kw: object) -> PrinterConfig:
    base: dict[str, object] = {"id": "p1", "name": "POS", "type": "thermal",
                               "connection": "network", "ip": "127.0.0.1", "port": 9}
    return PrinterConfig.model_validate({**base, **kw})


def _label(profile: str = "zebra-zd420", **kw: object) -> PrinterConfig:
    base: dict[str, object] = {"id": "l1", "name": "Labels", "type": "label",
                               "connection": "network", "ip": "127.0.0.1", "port": 9,
                               "profile": profile}
    return PrinterConfig.model_validate({**base, **kw})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_scripted_paper_out_status(scripted_transport: ScriptedTransport) -> None:
    """GIVEN a printer answering DLE EOT with paper-end bits WHEN asked for status
    THEN it reports paper out, after querying n=1, 2 and 4."""
    paper_out = rt.RealtimeStatus(paper_out=True, paper_end_stop=True)
    scripted_transport.feed(*(bytes([rt.encode(paper_out, n)]) for n in (1, 2, 4)))
    drv = ReceiptDriver(_thermal(), scripted_transport)
    with drv.session():
        st = drv.read_status()
    assert st.state is PrinterState.PAPER_OUT and st.paper_out
    assert bytes(scripted_transport.output) == rt.query(1) + rt.query(2) + rt.query(4)


def test_scripted_error_asks_for_the_cause(scripted_transport: ScriptedTransport) -> None:
    err = rt.RealtimeStatus(error=True, autocutter_error=True)
    scripted_transport.feed(*(bytes([rt.encode(err, n)]) for n in (1, 2, 3)))
    # the driver asks 1, 2, 4 and then 3 because of the error bit; n=4 answer is "paper ok"
    scripted_transport._answers.insert(2, bytes([rt.BASE]))
    drv = ReceiptDriver(_thermal(), scripted_transport)
    with drv.session():
        st = drv.read_status()
    assert st.state is PrinterState.ERROR and "autocutter" in st.detail


def test_garbage_status_is_a_protocol_error(scripted_transport: ScriptedTransport) -> None:
    scripted_transport.feed(b"\xff", b"\xff", b"\xff", b"\xff")
    drv = ReceiptDriver(_thermal(), scripted_transport)
    with drv.session(), pytest.raises(ProtocolError):
        drv.read_status()


def test_silent_printer_times_out(dummy_transport: DummyTransport) -> None:
    drv = ReceiptDriver(_thermal(), dummy_transport)
    drv.status_timeout = 0.05
    assert drv.probe().state is PrinterState.OFFLINE


def test_profile_without_realtime_status_is_unknown(dummy_transport: DummyTransport) -> None:
    drv = ReceiptDriver(_thermal(profile="star-tsp143"), dummy_transport)
    with drv.session():
        assert drv.read_status().state is PrinterState.UNKNOWN
        drv.confirm()  # nothing to confirm with


def test_tcp_escpos_connection(escpos_emulator: EscposPrinterEmulator) -> None:
    """GIVEN the TCP emulator with paper near end WHEN probed through python-escpos's Network
    THEN the driver says paper low (still printable) and the bytes arrive."""
    escpos_emulator.set_status("paper-low")
    cfg = _thermal(port=escpos_emulator.port)
    drv = default_registry().driver_for(cfg, transport_for(cfg))
    assert isinstance(drv, ReceiptDriver)
    with drv.session():
        st = drv.read_status()
        drv.write(b"\x1b@hello\n\x1dV\x00")
        drv.confirm()
    assert st.state is PrinterState.PAPER_LOW and st.ready
    assert escpos_emulator.receipts()[0].text == ["hello"]


def test_tcp_closed_port_is_offline() -> None:
    cfg = _thermal(port=_free_port(), timeout=1)
    st = ReceiptDriver(cfg, transport_for(cfg)).probe()
    assert st.state is PrinterState.OFFLINE and "refused" in st.detail.lower()


def test_serial_escpos_connection(serial_printer: tuple[EscposPrinterEmulator, str]) -> None:
    """GIVEN the emulator behind a pty WHEN used as a serial printer THEN status and data flow."""
    emu, path = serial_printer
    emu.set_status(cover_open=True)
    cfg = _thermal(connection="serial", ip=None, port=None, device=path, baudrate=115200)
    drv = ReceiptDriver(cfg, transport_for(cfg))
    with drv.session():
        assert drv.read_status().state is PrinterState.COVER_OPEN
        drv.write(b"\x1b@serial\n\x1dV\x01")
        drv.confirm()
    assert emu.printout().pages[0].text == ["serial"]


def test_file_connection_writes_and_cannot_read(device_file: Path) -> None:
    cfg = _thermal(connection="file", ip=None, port=None, device=str(device_file))
    drv = ReceiptDriver(cfg, transport_for(cfg))
    with drv.session():
        assert drv.read_status().state is PrinterState.UNKNOWN
        drv.write(b"\x1b@file\n")
        drv.confirm()
    assert device_file.read_bytes() == b"\x1b@file\n"


def test_missing_device_file_is_offline(tmp_path: Path) -> None:
    cfg = _thermal(connection="file", ip=None, port=None, device=str(tmp_path / "no" / "lp0"))
    with pytest.raises(DeviceOffline):
        ReceiptDriver(cfg, transport_for(cfg)).session().__enter__()


def test_zpl_status_over_tcp(label_emulator: LabelPrinterEmulator) -> None:
    label_emulator.set_status("head-up")
    cfg = _label(port=label_emulator.port)
    drv = LabelDriver(cfg, transport_for(cfg))
    assert drv.probe().state is PrinterState.COVER_OPEN
    label_emulator.set_status("ready")
    assert drv.probe().state is PrinterState.ONLINE
    assert label_emulator.status_requests == 2


def test_tspl_status_over_tcp(label_emulator: LabelPrinterEmulator) -> None:
    label_emulator.set_status("paper-out")
    cfg = _label("tsc-te200", port=label_emulator.port)
    assert LabelDriver(cfg, transport_for(cfg)).probe().state is PrinterState.PAPER_OUT


def test_scripted_label_answers(scripted_transport: ScriptedTransport) -> None:
    scripted_transport.feed(encode_host_status(ZplStatus(ribbon_out=True)))
    with LabelDriver(_label(), scripted_transport).session() as drv:
        assert drv.read_status().state is PrinterState.RIBBON_OUT
    scripted_transport.feed(bytes([encode_status(TsplStatus(paused=True))]))
    with LabelDriver(_label("tsc-te200"), scripted_transport).session() as drv:
        assert drv.read_status().state is PrinterState.PAUSED
