"""``Till.unfiscalised_documents``: the fiscal worker's work list."""

from __future__ import annotations

from datetime import UTC, datetime

from till_fixtures import MILK

from desktop.core import CashTender, Till

WHEN = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)


def sell(till: Till) -> str:
    cart = till.scan(till.new_cart().id, MILK)
    return till.complete_sale(cart.id, [CashTender(5000)]).id


def test_documents_without_a_fiscal_result_in_completion_order(till: Till) -> None:
    first, second = sell(till), sell(till)
    move = till.cash_in(1000, "float").id
    third = sell(till)
    till.record_fiscal_result(second, fiscal_number="2", fiscal_date=WHEN)
    found = till.unfiscalised_documents()
    assert [e.aggregate_id for e in found] == [first, move, third]
    assert [e.type for e in found] == ["sale.completed", "cash.deposited", "sale.completed"]
    assert [e.aggregate_id for e in till.unfiscalised_documents(cash=False)] == [first, third]
    assert [e.aggregate_id for e in till.unfiscalised_documents(found[0].seq, limit=1)] == [move]
    assert till.unfiscalised_documents(found[-1].seq) == []
