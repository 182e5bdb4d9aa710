"""Every Datecs status bit decodes to a readable condition and the right error."""

from __future__ import annotations

import pytest

from desktop.devices.errors import (
    CoverOpen,
    DeviceRejected,
    PaperOut,
    PermanentDeviceError,
    ProtocolError,
    TransientDeviceError,
)
from desktop.devices.fiscal.datecs.commands import Cmd
from desktop.devices.fiscal.datecs.driver import DatecsDriver, DatecsSettings
from desktop.devices.fiscal.datecs.frame import Variant, build_reply, dialect
from desktop.devices.fiscal.datecs.status import BITS, Severity, decode, encode
from desktop.devices.transports import ScriptedTransport

X, OLD = dialect(Variant.X), dialect(Variant.OLD)


@pytest.mark.parametrize("bit", BITS, ids=lambda b: f"{b.name}-{'/'.join(sorted(b.variants))}")
def test_each_bit_decodes_alone_to_its_condition(bit: object) -> None:
    for variant in bit.variants:  # type: ignore[attr-defined]
        d = dialect(variant)
        raw = bytearray([0x80] * d.status_len)
        raw[bit.byte] |= 1 << bit.bit  # type: ignore[attr-defined]
        status = decode(d, bytes(raw))
        assert status.flags == {bit.name}  # type: ignore[attr-defined]
        texts = {Severity.ERROR: status.errors, Severity.WARNING: status.warnings,
                 Severity.INFO: status.info}[bit.severity]  # type: ignore[attr-defined]
        assert texts == (bit.text,)  # type: ignore[attr-defined]


def test_byte1_bit2_means_ram_reset_on_old_and_z_required_on_x() -> None:
    raw_old, raw_x = bytearray([0x80] * 6), bytearray([0x80] * 8)
    raw_old[1] |= 0x04
    raw_x[1] |= 0x04
    assert decode(OLD, bytes(raw_old)).flags == {"ram_reset"}
    assert decode(X, bytes(raw_x)).flags == {"z_required"}


def test_encode_then_decode_is_identity_and_bit7_is_always_set() -> None:
    flags = {"paper_end", "fiscal_open", "fm_near_full", "vat_set"}
    raw = encode(X, flags)
    assert all(b & 0x80 for b in raw)
    assert decode(X, raw).flags == flags


def test_a_flag_unknown_to_the_family_is_refused() -> None:
    with pytest.raises(ValueError):
        encode(OLD, {"z_required"})


@pytest.mark.parametrize(("flags", "exc", "code"), [
    ({"paper_end", "general_error"}, PaperOut, "FISCAL_PAPER_OUT"),
    ({"cover_open", "general_error"}, CoverOpen, "FISCAL_COVER_OPEN"),
    ({"fm_full", "general_error"}, PermanentDeviceError, "FISCAL_MEMORY_FULL"),
    ({"z_required", "not_permitted", "general_error"}, DeviceRejected, "FISCAL_Z_REQUIRED"),
    ({"syntax_error", "general_error"}, ProtocolError, "FISCAL_DEVICE_PROTOCOL"),
    ({"not_permitted", "general_error"}, DeviceRejected, "FISCAL_COMMAND_NOT_PERMITTED"),
    ({"mechanism_fault"}, PermanentDeviceError, "FISCAL_PRINTER_FAULT"),
])
def test_the_most_specific_error_bit_wins(flags: set[str], exc: type, code: str) -> None:
    status = decode(X, encode(X, flags))
    with pytest.raises(exc) as info:
        status.raise_for("test")
    assert info.value.code == code  # type: ignore[attr-defined]
    assert set(info.value.details["status_bits"]) == flags  # type: ignore[attr-defined]


def test_paper_out_is_transient_and_memory_full_permanent() -> None:
    assert issubclass(PaperOut, TransientDeviceError)
    with pytest.raises(PermanentDeviceError):
        decode(OLD, encode(OLD, {"fm_write_failed"})).raise_for("x")


def test_warnings_and_info_do_not_raise() -> None:
    decode(X, encode(X, {"near_paper_end", "ej_nearly_full", "fiscal_open"})).raise_for("ok")


def test_driver_turns_a_canned_paper_out_reply_into_paper_out() -> None:
    """GIVEN a device whose status reply says "out of paper"
    WHEN the driver asks for the status with checking on
    THEN it raises PaperOut with the fiscal code, from bytes alone (ScriptedTransport)."""
    transport = ScriptedTransport()
    drv = DatecsDriver(transport, DatecsSettings(variant=Variant.X, timeout=0.05, retries=0))
    transport.open()
    seq = drv.link.seq + 1 if drv.link.seq < 0xFF else 0x20
    transport.feed(build_reply(X, seq, Cmd.STATUS, b"-111000\t",
                               encode(X, {"paper_end", "general_error"})))
    with pytest.raises(PaperOut) as info:
        drv._cmd(Cmd.STATUS)
    assert info.value.code == "FISCAL_PAPER_OUT"
    assert transport.output.startswith(b"\x01")
