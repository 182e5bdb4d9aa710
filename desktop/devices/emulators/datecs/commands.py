"""The emulated device's command handlers, one per command code, over its fiscal memory.

A handler takes the memory, the parameters (tab-separated on the X family, comma-separated on
the old one) and the raw text, and returns the reply fields or raises :class:`Refusal`.
:func:`execute` decodes a request's data, runs the handler and encodes the reply data with the
status flags it adds. Error codes other than the four in devices.md are the emulator's own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop.devices.emulators.datecs.memory import LETTERS, FiscalMemory, OpenReceipt, Refusal
from desktop.devices.fiscal.datecs.commands import fmt_amount, fmt_clock, parse_clock

__all__ = ["HANDLERS", "PRINTING", "Handler", "execute"]

Handler = Callable[[FiscalMemory, list[str], str], list[str]]

# commands that move paper: refused while paper, cover or mechanism say no
PRINTING = frozenset({0x2B, 0x30, 0x31, 0x35, 0x36, 0x38, 0x45})
# flags the old family reports without "not permitted"
_OLD_OWN_FLAGS = frozenset({"invalid_command", "syntax_error", "paper_end", "cover_open",
                            "overflow", "fm_full"})


def execute(m: FiscalMemory, cmd: int, data: bytes, encoding: str) -> tuple[bytes, set[str]]:
    """Reply data and the status flags the command raises (empty when it succeeded)."""
    text = data.decode(encoding, "replace")
    params = (text.split("\t")[:-1] if text.endswith("\t") else text.split("\t")) \
        if m.x else text.split(",")
    handler = HANDLERS.get(cmd)
    try:
        if handler is None:
            raise Refusal(-112001, "invalid_command")
        if cmd in PRINTING:
            for flag in ("paper_end", "cover_open", "mechanism_fault"):
                if flag in m.flags:
                    raise Refusal(-111000, flag)
        out = handler(m, params, text)
    except Refusal as err:
        flags = err.flags | {"general_error"}
        if not m.x and not flags & _OLD_OWN_FLAGS:
            flags.add("not_permitted")
        return (f"{err.code}\t".encode() if m.x else b""), flags
    except (ValueError, IndexError, InvalidOperation):
        return (b"-112001\t" if m.x else b""), {"general_error", "syntax_error"}
    body = "".join(f"{p}\t" for p in ["0", *out]) if m.x else ",".join(out)
    return body.encode(encoding, "replace"), set()


def _amount(text: str) -> int:
    """``"12.34"`` → 1234 minor units; a third decimal is a syntax error."""
    value = Decimal(text.strip().lstrip("+") or "0") * 100
    if value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


def _receipt(m: FiscalMemory) -> OpenReceipt:
    if m.open is None:
        raise Refusal(-111016, "not_permitted")
    return m.open


# -- device information --------------------------------------------------------------------
def _status(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    return []


def _device_info(m: FiscalMemory, p: list[str], _t: str) -> list[str]:  # X
    if p and p[0] == "3":
        last = m.journal[-1].at if m.journal else m.now()
        last_z = m.z_history[-1].at if m.z_history else m.now()
        return [str(m.receipt_no), fmt_clock(last), str(m.z_no), fmt_clock(last_z)]
    return [m.serial, m.fm_number, "TILLBRIDGE EMULATOR", "RO00000000"]


def _diagnostics(m: FiscalMemory, p: list[str], _t: str) -> list[str]:  # old
    return ["1.00 01Jan26", "ABCD", "00000000", m.serial, m.fm_number]


def _vat_rates(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    rates = [f"{r:.2f}" for r in m.rates]
    return [str(m.z_no), *rates, fmt_clock(m.now())] if m.x else rates


def _set_clock(m: FiscalMemory, p: list[str], t: str) -> list[str]:
    when = parse_clock(p[0] if m.x else t)
    m.clock_offset = when.replace(tzinfo=m.clock.now().tzinfo) - m.clock.now()
    m.flags.discard("clock_not_set")
    return []


def _read_clock(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    return [fmt_clock(m.now())]


def _last_document(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    return [str(m.doc_no)]


# -- receipts ------------------------------------------------------------------------------
def _open_receipt(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    if m.open is not None:
        raise Refusal(-111015, "not_permitted")
    m.can_issue()
    if len(p) < 3:
        raise Refusal(-112001, "syntax_error")
    m.open = OpenReceipt("sale", m.receipt_no + 1)
    return [str(m.open.number)] if m.x else [str(m.doc_no), str(m.receipt_no)]


def _open_storno(m: FiscalMemory, p: list[str], _t: str) -> list[str]:  # X, BG layout
    if not m.x:
        raise Refusal(-112001, "invalid_command")
    if m.open is not None:
        raise Refusal(-111015, "not_permitted")
    m.can_issue()
    doc = p[4]
    if not any(d.kind == "sale" and str(d.number) == doc for d in m.journal):
        raise Refusal(-111017, "not_permitted")
    m.open = OpenReceipt("storno", m.receipt_no + 1, original=doc)
    return [str(m.open.number)]


def _sale_line(m: FiscalMemory, p: list[str], t: str) -> list[str]:
    r = _receipt(m)
    if r.paid:
        raise Refusal(-111019, "not_permitted")
    if m.x:
        idx, price, qty = int(p[1]) - 1, _amount(p[2]), Decimal(p[3] or "1")
        disc = _amount(p[5]) if p[4] == "4" and len(p) > 5 else 0
    else:
        spec = t.split("\t", 1)[1]
        idx = LETTERS.index(spec[0])
        spec, _, abs_disc = spec[1:].partition(";")
        price_s, _, qty_s = spec.partition("*")
        price, qty = _amount(price_s), Decimal(qty_s or "1")
        disc = -_amount(abs_disc) if abs_disc else 0
    if not 0 <= idx < 8 or m.rates[idx] >= 100:
        raise Refusal(-111008, "not_permitted")
    gross = int((price * qty).quantize(Decimal(1), ROUND_HALF_UP))
    if gross > 999_999_999 or qty <= 0:
        raise Refusal(-112001, "overflow")
    r.lines.append((idx, gross - disc))
    return [str(r.number)] if m.x else []


def _fiscal_text(m: FiscalMemory, p: list[str], t: str) -> list[str]:
    _receipt(m).texts.append(p[0] if m.x else t)
    return []


def _subtotal(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    r = _receipt(m)
    per = [0] * 8
    for idx, g in r.lines:
        per[idx] += g
    out = [fmt_amount(r.amount), *(fmt_amount(v) for v in per)]
    return [str(r.number), *out] if m.x else out


def _payment(m: FiscalMemory, p: list[str], t: str) -> list[str]:
    r = _receipt(m)
    if m.x:
        cash, amount_s = p[0] == "0", p[1] if len(p) > 1 else ""
    else:
        spec = t.split("\t", 1)[1]
        cash, amount_s = spec[:1] == "P", spec[1:]
    due = r.amount - r.paid
    amount = _amount(amount_s) if amount_s.strip() else due
    if not cash and amount > due:
        raise Refusal(-112001, "not_permitted")
    r.paid += amount
    if cash:
        r.cash += amount
    r.payments.append(("cash" if cash else "card", amount))
    left = r.amount - r.paid
    code, value = ("D", left) if left > 0 else ("R", -left)
    return [code, fmt_amount(value)] if m.x else [f"{code}{fmt_amount(value)}"]


def _close_receipt(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    r = m.close_receipt()
    return [str(r.number)] if m.x else [str(m.doc_no), str(m.receipt_no)]


def _cancel_receipt(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    r = _receipt(m)
    if r.paid and (not m.x or r.paid >= r.amount):
        raise Refusal(-111019, "not_permitted")
    m.open = None
    return []


def _receipt_state(m: FiscalMemory, p: list[str], _t: str) -> list[str]:
    r = m.open or m.last_closed
    is_open = "1" if m.open is not None else "0"
    items, amount, paid = (len(r.lines), r.amount, r.paid) if r else (0, 0, 0)
    if m.x:
        number = r.number if r else m.receipt_no
        return [is_open, str(number), str(items), fmt_amount(amount), fmt_amount(paid),
                "0", "0"]
    return [is_open, str(items), fmt_amount(amount), fmt_amount(paid)]


# -- reports and cash ----------------------------------------------------------------------
def _report(m: FiscalMemory, p: list[str], t: str) -> list[str]:  # X / Z
    if m.open is not None:
        raise Refusal(-111015, "not_permitted")
    kind = p[0] if m.x else t
    z = kind in ("Z", "0")
    if not z and kind not in ("X", "2"):
        raise Refusal(-112001, "syntax_error")
    out = [str(m.z_no + 1), *(fmt_amount(v) for v in m.sales)]
    if m.x:
        out += [fmt_amount(v) for v in m.storno]
    m.report(z=z)
    return out


def _cash_in_out(m: FiscalMemory, p: list[str], t: str) -> list[str]:
    if m.x:
        out, amount = p[0] == "1", _amount(p[1]) if len(p) > 1 else 0
    else:
        amount = _amount(t) if t.strip() else 0
        out, amount = amount < 0, abs(amount)
    if amount:
        if m.open is not None:
            raise Refusal(-111015, "not_permitted")
        m.can_issue()
        if out and amount > m.cash_sum:
            if not m.x:
                return ["F", *(fmt_amount(v) for v in (m.cash_sum, m.cash_in, m.cash_out))]
            raise Refusal(-111030, "not_permitted")
        m.move_cash(amount, out=out)
    vals = [fmt_amount(v) for v in (m.cash_sum, m.cash_in, m.cash_out)]
    return vals if m.x else ["P", *vals]


HANDLERS: dict[int, Handler] = {
    0x2B: _open_storno,
    0x30: _open_receipt,
    0x31: _sale_line,
    0x32: _vat_rates,
    0x33: _subtotal,
    0x35: _payment,
    0x36: _fiscal_text,
    0x38: _close_receipt,
    0x3C: _cancel_receipt,
    0x3D: _set_clock,
    0x3E: _read_clock,
    0x45: _report,
    0x46: _cash_in_out,
    0x4A: _status,
    0x4C: _receipt_state,
    0x5A: _diagnostics,
    0x71: _last_document,
    0x7B: _device_info,
}
