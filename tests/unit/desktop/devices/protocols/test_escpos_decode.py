"""The tokenizer and decoder read ESC/POS back into what a person sees."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.devices.protocols.escpos import barcode as bc
from desktop.devices.protocols.escpos import text as tx
from desktop.devices.protocols.escpos.decode import decode, decode_code128
from desktop.devices.protocols.escpos.image import raster
from desktop.devices.protocols.escpos.paper import CutMode, cut, drawer_pulse
from desktop.devices.protocols.escpos.status import query
from desktop.devices.protocols.escpos.tokens import Token, tokenize


def _merged(tokens: list[Token]) -> list[Token]:
    """Adjacent text runs joined (a network read may split a run anywhere)."""
    out: list[Token] = []
    for t in tokens:
        if out and t.kind == "text" and out[-1].kind == "text":
            out[-1] = Token("text", "", out[-1].raw + t.raw)
        else:
            out.append(t)
    return out

STREAM = (tx.INIT + tx.select_codepage(46) + tx.align(tx.Align.CENTER) + tx.bold(True)
          + "Чек".encode("cp1251") + b"\n" + tx.bold(False) + tx.align(tx.Align.LEFT)
          + raster(2, 2, b"\x10\x04\x01\x02") + "Ґанок 1,00".encode("cp1251") + b"\n"
          + bc.qr("https://x.example/q?1") + bc.barcode_code128("S1-T1-0001-0002")
          + drawer_pulse(2) + tx.feed(2) + cut(CutMode.PARTIAL)
          + tx.select_codepage(18) + "Ştefan".encode("cp852") + b"\n" + cut(CutMode.FULL))


def test_decodes_text_qr_barcode_cut_per_page() -> None:
    out = decode(STREAM)
    first, second = out.pages
    assert first.text == ["Чек", "Ґанок 1,00"]
    assert first.lines[0].bold and first.lines[0].align == 1
    assert first.qr_codes == ["https://x.example/q?1"]
    assert [(b.kind, b.data) for b in first.barcodes] == [("CODE128", "S1-T1-0001-0002")]
    assert first.images == [(16, 2)] and first.drawer_pulses == [2]
    assert first.cut == "partial"
    assert second.text == ["Ştefan"] and second.cut == "full"


def test_status_request_inside_image_data_is_not_a_request() -> None:
    assert decode(STREAM).status_queries == []
    assert decode(query(1) + query(4)).status_queries == [1, 4]


def test_code128_decode_round_trip() -> None:
    for text in ("S01-T02-0015-000123", "12345678", "A{B", "x"):
        assert decode_code128(bc.code128_payload(text)) == text


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(STREAM)))
def test_incremental_tokenizing_gives_the_same_tokens(split: int) -> None:
    whole, _ = tokenize(STREAM)
    head, used = tokenize(STREAM[:split], final=False)
    tail, used2 = tokenize(STREAM[used:], final=False)
    assert used + used2 == len(STREAM)
    assert _merged(head + tail) == whole


def test_truncated_command_is_reported_not_crashed() -> None:
    out = decode(b"abc\n" + b"\x1d\x76\x30\x00\x10\x00\x10\x00\x00")
    assert out.pages[0].text == ["abc"]
    assert out.unknown == ["GS v"]
