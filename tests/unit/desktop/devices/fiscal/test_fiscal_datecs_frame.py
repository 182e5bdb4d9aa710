"""Datecs framing, byte for byte against the examples in devices.md §2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.devices.errors import ProtocolError
from desktop.devices.fiscal.datecs.frame import (
    NAK,
    SYN,
    FrameReader,
    Variant,
    bcc,
    build_reply,
    build_request,
    dialect,
    escape,
    from_nibbles,
    nibbles,
    parse_reply,
    parse_request,
    unescape,
)

X, OLD = dialect(Variant.X), dialect(Variant.OLD)

# devices.md: "Computed examples — X cmd 74, SEQ 20" and "old cmd 4A, SEQ 20".
X_STATUS_SEQ20 = bytes.fromhex("01 30 30 32 3a 20 30 30 34 3a 05 30 31 3b 3f 03")
OLD_STATUS_SEQ20 = bytes.fromhex("01 24 20 4a 05 30 30 39 33 03")
NIBBLES_1AE3 = bytes.fromhex("31 3a 3e 33")


def test_nibble_bytes_match_the_documented_example() -> None:
    assert nibbles(0x1AE3) == NIBBLES_1AE3
    assert from_nibbles(NIBBLES_1AE3) == 0x1AE3


def test_x_request_frame_is_byte_exact() -> None:
    assert build_request(X, 0x20, 74) == X_STATUS_SEQ20


def test_old_request_frame_is_byte_exact() -> None:
    assert build_request(OLD, 0x20, 0x4A) == OLD_STATUS_SEQ20


def test_checksum_is_the_16_bit_sum_after_the_preamble_through_0x05() -> None:
    body = OLD_STATUS_SEQ20[1:5]
    assert bcc(body) == OLD_STATUS_SEQ20[5:9]


@pytest.mark.parametrize("d", [X, OLD], ids=["x", "old"])
def test_request_round_trip(d: object) -> None:
    frame = build_request(d, 0x5A, 0x31, b"Paine\t2\t3.50\t2.000\t")  # type: ignore[arg-type]
    req = parse_request(d, frame)  # type: ignore[arg-type]
    assert (req.seq, req.cmd, req.data) == (0x5A, 0x31, b"Paine\t2\t3.50\t2.000\t")


@pytest.mark.parametrize("d", [X, OLD], ids=["x", "old"])
def test_reply_carries_status_after_0x04(d: object) -> None:
    status = bytes([0x80] * d.status_len)  # type: ignore[attr-defined]
    frame = build_reply(d, 0x21, 0x4A, b"0\t", status)  # type: ignore[arg-type]
    reply = parse_reply(d, frame)  # type: ignore[arg-type]
    assert (reply.seq, reply.cmd, reply.data, reply.status) == (0x21, 0x4A, b"0\t", status)


def test_reply_length_counts_data_separator_and_status() -> None:
    frame = build_reply(OLD, 0x20, 0x4A, b"", bytes([0x80] * 6))
    # LEN = 20h + LEN/SEQ/CMD (3) + 04 (1) + 6 status + 05 (1)
    assert frame[1] == 0x20 + 11


def test_control_bytes_inside_data_are_escaped_but_tab_and_lf_are_not() -> None:
    raw = b"A\x01B\x05C\tD\nE\x10F"
    esc = escape(raw)
    assert esc == b"A\x10\x41B\x10\x45C\tD\nE\x10\x50F"
    assert unescape(esc) == raw


@given(st.binary(max_size=120))
def test_escape_round_trips_and_never_leaks_a_marker(data: bytes) -> None:
    esc = escape(data)
    assert unescape(esc) == data
    assert not set(esc) & {0x01, 0x03, 0x04, 0x05, 0x15, 0x16}


@given(st.integers(0x20, 0xFF), st.integers(0, 0xFFFF), st.binary(max_size=60))
def test_x_frames_round_trip_for_any_seq_command_and_data(seq: int, cmd: int,
                                                          data: bytes) -> None:
    req = parse_request(X, build_request(X, seq, cmd, data))
    assert (req.seq, req.cmd, req.data) == (seq, cmd, data)


def test_a_corrupted_checksum_is_a_protocol_error() -> None:
    bad = X_STATUS_SEQ20[:-2] + b"\x30" + X_STATUS_SEQ20[-1:]
    with pytest.raises(ProtocolError, match="checksum"):
        parse_request(X, bad)


def test_a_wrong_length_field_is_a_protocol_error() -> None:
    frame = bytearray(build_request(OLD, 0x20, 0x4A, b"xy"))
    frame[1] += 1
    body = bytes(frame[1:frame.index(0x05) + 1])
    fixed = bytes(frame[:len(body) + 1]) + bcc(body) + b"\x03"
    with pytest.raises(ProtocolError, match="LEN"):
        parse_request(OLD, fixed)


def test_old_protocol_refuses_sequence_numbers_above_7f() -> None:
    with pytest.raises(ValueError):
        build_request(OLD, 0x80, 0x4A)
    assert build_request(X, 0xFF, 74)  # the X family goes up to FF


def test_reader_splits_frames_from_nak_syn_and_line_noise() -> None:
    reader = FrameReader()
    stream = b"\x00\xff" + bytes((SYN, SYN)) + X_STATUS_SEQ20 + bytes((NAK,)) + OLD_STATUS_SEQ20
    events = [e for i in range(0, len(stream), 3) for e in reader.feed(stream[i:i + 3])]
    assert events == [bytes((SYN,)), bytes((SYN,)), X_STATUS_SEQ20, bytes((NAK,)),
                      OLD_STATUS_SEQ20]


def test_reader_restarts_on_a_new_preamble_inside_a_broken_frame() -> None:
    reader = FrameReader()
    events = list(reader.feed(X_STATUS_SEQ20[:6] + OLD_STATUS_SEQ20))
    assert events == [OLD_STATUS_SEQ20]
