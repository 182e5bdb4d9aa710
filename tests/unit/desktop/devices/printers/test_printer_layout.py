"""Fixed-width layout: nothing ever runs past the paper's columns."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.devices.printers import layout

words = st.text(alphabet="abcdefghij ĂșțІїАБВ-.,0123456789", max_size=120)


@settings(deadline=None)
@given(words, words, st.sampled_from([32, 42, 48]))
def test_columns_never_overflow(left: str, right: str, width: int) -> None:
    lines = layout.columns(left, right, width)
    assert all(len(ln) <= width for ln in lines)
    # nothing is lost or reordered, only spaces move
    assert "".join(lines).replace(" ", "") == (left + right).replace(" ", "")


@settings(deadline=None)
@given(words, st.sampled_from([32, 42, 48]))
def test_wrap_never_overflows(text: str, width: int) -> None:
    lines = layout.wrap(text, width)
    assert all(len(ln) <= width for ln in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_right_column_is_flush_right() -> None:
    assert layout.columns("СУМА", "1 254,62", 20) == ["СУМА        1 254,62"]
    assert layout.columns("Дуже довга назва товару", "12,00", 20) == [
        "Дуже довга назва", "товару         12,00"]


def test_amount_and_quantity_formats() -> None:
    assert layout.amount(125462, "UAH", "uk") == "1\u00a0254,62"
    assert layout.amount(-22, "RON", "ro") == "-0,22"
    assert layout.quantity(Decimal("0.345"), "uk") == "0,345"
    assert layout.quantity(Decimal("2.000"), "ro") == "2"
    assert layout.quantity(Decimal("1.5"), "en") == "1.5"
