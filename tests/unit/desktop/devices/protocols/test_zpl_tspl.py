"""ZPL and TSPL builders, their parsers, and the status answers."""

from __future__ import annotations

import pytest

from desktop.devices.protocols.tspl import build as tspl
from desktop.devices.protocols.tspl.parse import parse as parse_tspl
from desktop.devices.protocols.tspl.status import TsplStatus, encode_status, parse_status
from desktop.devices.protocols.zpl import build as zpl
from desktop.devices.protocols.zpl.parse import parse as parse_zpl
from desktop.devices.protocols.zpl.status import (
    ZplStatus,
    encode_host_status,
    parse_host_status,
)


def test_zpl_reference_example_parses() -> None:
    text = ("^XA^CI28^FO30,30^A0N,40,40^FDЦіна 12.50^FS"
            "^FO30,90^BY2^BCN,80,Y,N,N^FD4820000000019^FS^FO400,30^BQN,2,5^FDQA,https://x^FS^XZ")
    (label,) = parse_zpl(text).labels
    assert label.charset == 28
    assert [(f.kind, f.data) for f in label.fields] == [
        ("text", "Ціна 12.50"), ("code128", "4820000000019"), ("qr", "https://x")]
    assert label.fields[0].height == 40 and label.fields[1].height == 80


def test_zpl_field_data_cannot_break_out() -> None:
    evil = "A^XZ^XA~HS_x>1"
    label_text = zpl.start(400, 300) + zpl.text(10, 10, evil, height=30) + \
        zpl.code128(10, 60, "AB>C", height=40) + zpl.end(3)
    parsed = parse_zpl(label_text)
    assert parsed.host_status_requests == 0
    (label,) = parsed.labels
    assert label.texts() == [evil]
    assert label.of_kind("code128")[0].data == "AB>C"
    assert label.copies == 3 and label.width == 400 and label.length == 300


def test_zpl_ean13_reads_back_with_check_digit() -> None:
    (label,) = parse_zpl(zpl.start(400, 300) + zpl.ean13(0, 0, "400638133393", height=50)
                         + zpl.end()).labels
    assert label.of_kind("ean13")[0].data == "4006381333931"
    with pytest.raises(ValueError):
        zpl.ean13(0, 0, "4006381333931", height=50)


def test_zpl_host_status_round_trip() -> None:
    raw = encode_host_status(ZplStatus(paper_out=True, labels_remaining=7))
    assert raw.count(b"\x02") == 3 and raw.count(b"\x03\r\n") == 3
    st = parse_host_status(raw)
    assert st.paper_out and not st.ready and st.labels_remaining == 7
    assert parse_host_status(encode_host_status(ZplStatus())).ready
    with pytest.raises(ValueError):
        parse_host_status(b"\x02garbage\x03\r\n")


def test_tspl_build_and_parse() -> None:
    lines = [*tspl.header(58, 40), tspl.text(16, 16, 'Сир "Гауда"'),
             tspl.barcode(16, 100, "400638133393", kind="EAN13", height=60),
             tspl.qrcode(300, 16, "https://x"), tspl.print_(4)]
    (label,) = parse_tspl("\r\n".join(lines) + "\r\n")
    assert label.size == "58 mm,40 mm" and label.codepage == "UTF-8"
    assert label.texts() == ['Сир "Гауда"']
    assert [(f.kind, f.data) for f in label.fields[1:]] == [("barcode", "400638133393"),
                                                            ("qr", "https://x")]
    assert label.copies == 4


def test_tspl_status_byte() -> None:
    assert parse_status(0).ready
    st = parse_status(0x04 | 0x20)
    assert st.paper_out and st.printing and not st.ready
    s = TsplStatus(head_open=True, ribbon_out=True)
    assert parse_status(encode_status(s)) == s
