"""ESC/POS builders produce the documented bytes (reference/devices.md §3) and match
python-escpos where both can express the same command."""

from __future__ import annotations

import pytest
from escpos import constants as C
from escpos.printer import Dummy

from desktop.devices.protocols.escpos import barcode as bc
from desktop.devices.protocols.escpos import text as tx
from desktop.devices.protocols.escpos.image import raster
from desktop.devices.protocols.escpos.paper import CutMode, cut, drawer_pulse


def test_text_commands_are_byte_exact() -> None:
    assert tx.INIT == b"\x1b\x40"
    assert tx.align(tx.Align.CENTER) == b"\x1b\x61\x01"
    assert tx.bold(True) == b"\x1b\x45\x01" and tx.bold(False) == b"\x1b\x45\x00"
    assert tx.size(2, 2) == b"\x1d\x21\x11"
    assert tx.size(1, 2) == b"\x1d\x21\x01"
    assert tx.select_codepage(46) == b"\x1b\x74\x2e"
    assert tx.feed(3) == b"\x1b\x64\x03"
    assert tx.underline(1) == b"\x1b\x2d\x01"


@pytest.mark.parametrize("bad", [lambda: tx.size(9, 1), lambda: tx.feed(256),
                                 lambda: tx.select_codepage(-1), lambda: tx.underline(3)])
def test_out_of_range_arguments_are_refused(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        bad()


def test_cut_and_drawer_match_python_escpos_constants() -> None:
    assert cut(CutMode.FULL) == C.PAPER_FULL_CUT
    assert cut(CutMode.PARTIAL) == C.PAPER_PART_CUT
    assert cut(CutMode.PARTIAL, feed=3) == b"\x1d\x56\x42\x03"
    assert cut(CutMode.NONE) == b""
    assert drawer_pulse(2) == C.CD_KICK_2
    assert drawer_pulse(5) == C.CD_KICK_5
    with pytest.raises(ValueError):
        drawer_pulse(3)


def test_native_qr_matches_python_escpos() -> None:
    url = "https://cabinet.tax.gov.ua/cashregs/check?fn=4000123456&id=77"
    ref = Dummy()
    ref.qr(url, ec=C.QR_ECLEVEL_M, size=5, native=True)
    assert bc.qr(url, size=5, ec=bc.QrError.M) == ref.output


def test_code128_payload_uses_subset_c_for_digit_runs() -> None:
    assert bc.code128_payload("AB") == b"{BAB"
    assert bc.code128_payload("123456") == b"{C" + bytes([12, 34, 56])
    # odd digit run: first digit stays in B
    assert bc.code128_payload("S-12345") == b"{BS-1{C" + bytes([23, 45])
    assert bc.code128_payload("a{b") == b"{Ba{{b"


def test_code128_command_and_modules() -> None:
    data = bc.code128_payload("S01-T01-0001-0001")
    cmd = bc.barcode_code128("S01-T01-0001-0001", height=48, width=2)
    assert cmd.endswith(b"\x1d\x6b\x49" + bytes([len(data)]) + data)
    assert b"\x1d\x48\x02" in cmd and b"\x1d\x68\x30" in cmd and b"\x1d\x77\x02" in cmd
    # subset C makes the number narrower than plain subset B
    plain = 11 * (1 + len("S01-T01-0001-0001") + 1) + 13 + 20
    assert bc.code128_modules(data) < plain


def test_ean13_validates_check_digit() -> None:
    assert bc.ean13_check_digit("400638133393") == "1"
    assert bc.barcode_ean13("4006381333931").endswith(b"\x1d\x6b\x43\x0d4006381333931")
    assert bc.barcode_ean13("400638133393").endswith(b"4006381333931")
    with pytest.raises(ValueError):
        bc.barcode_ean13("4006381333932")


def test_raster_header() -> None:
    out = raster(2, 3, b"\xff\x00" * 3)
    assert out[:8] == b"\x1d\x76\x30\x00\x02\x00\x03\x00"
    with pytest.raises(ValueError):
        raster(2, 3, b"\x00")
