"""DLE EOT real-time status: request bytes, parsing, and the emulator's inverse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.devices.protocols.escpos import status as rt


def test_query_bytes() -> None:
    assert rt.query(1) == b"\x10\x04\x01"
    assert rt.query(4) == b"\x10\x04\x04"
    with pytest.raises(ValueError):
        rt.query(5)


def test_reference_bytes() -> None:
    # idle printer: every answer is the base 0x12
    ok = rt.parse({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    assert ok.ready and not ok.paper_near_end
    # n=4 0x7E: near end (0C) and paper end (60)
    out = rt.parse({4: 0x7E})
    assert out.paper_out and out.paper_near_end and not out.ready
    assert rt.parse({4: 0x1E}).paper_near_end and rt.parse({4: 0x1E}).ready
    assert rt.parse({2: 0x16}).cover_open
    assert rt.parse({1: 0x1A}).offline
    assert rt.parse({3: 0x1A}).autocutter_error


def test_rejects_bytes_without_fixed_bits() -> None:
    with pytest.raises(ValueError):
        rt.parse({1: 0x00})
    with pytest.raises(ValueError):
        rt.parse({1: 0x92})


flags = st.builds(rt.RealtimeStatus, drawer_high=st.booleans(), cover_open=st.booleans(),
                  paper_near_end=st.booleans(), paper_out=st.booleans(),
                  autocutter_error=st.booleans(), unrecoverable_error=st.booleans())


@settings(deadline=None)
@given(flags)
def test_encode_then_parse_keeps_what_matters(s: rt.RealtimeStatus) -> None:
    back = rt.parse({n: rt.encode(s, n) for n in rt.QUERIES})
    assert all(rt.is_valid(rt.encode(s, n)) for n in rt.QUERIES)
    assert back.cover_open == s.cover_open
    assert back.paper_out == s.paper_out
    assert back.paper_near_end == (s.paper_near_end or s.paper_out)
    assert back.ready == s.ready
