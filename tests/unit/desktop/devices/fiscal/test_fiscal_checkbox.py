"""Checkbox client and driver against the fake Checkbox server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from fiscal_helpers import ua_sale

from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.fiscal.checkbox.client import (
    CheckboxClient,
    CheckboxNoAnswer,
    CheckboxRefused,
    CheckboxUnreachable,
)
from desktop.devices.fiscal.errors import ReceiptInDoubt, VatNotProgrammed
from desktop.devices.fiscal.journal import DocState, Journal
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalReceipt,
    Payment,
    PaymentKind,
    line,
)
from desktop.devices.fiscal.service import FiscalService
from shared.clock import ManualClock
from shared.ids import uuid7


def _client(fake: CheckboxFake, timeout: float = 2.0) -> CheckboxClient:
    c = CheckboxClient(fake.base_url, license_key="test-license", timeout=timeout)
    c.signin("cashier", "secret")
    return c


def test_client_sends_the_mandatory_headers_and_signs_in(fake: CheckboxFake) -> None:
    c = _client(fake)
    try:
        assert c.token and c.me()["full_name"] == "Test Cashier"
        assert c.current_shift() is None
        assert {t["code"] for t in c.taxes()} == {1, 2, 3, 4, 5, 6}
    finally:
        c.close()
    with httpx.Client(base_url=fake.base_url) as raw:  # no X-Client-Name
        r = raw.post("/api/v1/cashier/signin", json={"login": "cashier", "password": "secret"})
        assert r.status_code == 400 and "X-Client-Name" in r.json()["message"]


def test_wrong_password_is_an_auth_refusal(fake: CheckboxFake) -> None:
    c = CheckboxClient(fake.base_url)
    with pytest.raises(CheckboxRefused) as info:
        c.signin("cashier", "nope")
    assert info.value.code == "FISCAL_SERVER_AUTH"
    c.close()


def test_unreachable_and_no_answer_are_told_apart(fake: CheckboxFake) -> None:
    c = _client(fake, timeout=0.3)
    fake.hold()
    try:
        with pytest.raises(CheckboxNoAnswer):
            c.me()
    finally:
        fake.release()
    fake.wait_idle()
    fake.set_unreachable(True)
    with pytest.raises(CheckboxUnreachable):
        c.me()
    fake.set_unreachable(False)
    assert c.me()
    c.close()


def test_a_receipt_id_is_used_once(fake: CheckboxFake, clock: ManualClock,
                                   checkbox_service: FiscalService) -> None:
    """GIVEN a receipt already created on Checkbox
    WHEN the same id is posted again
    THEN the server refuses it (409) and still holds exactly one document."""
    svc = checkbox_service
    svc.start()
    svc.open_shift("Olena")
    r = ua_sale(clock, ("Хліб", "1", 3500, "reduced"))
    svc.sell(r)
    c = _client(fake)
    from desktop.devices.fiscal.checkbox.mapping import sell_body

    assert svc.driver.mapper is not None  # type: ignore[attr-defined]
    with pytest.raises(CheckboxRefused) as info:
        c.sell(sell_body(r, svc.driver.mapper))  # type: ignore[attr-defined]
    assert info.value.code == "FISCAL_SERVER_DUPLICATE"
    assert len(fake.documents("SELL")) == 1
    c.close()


def test_shift_sale_return_service_and_reports(checkbox_service: FiscalService,
                                               fake: CheckboxFake, clock: ManualClock) -> None:
    svc = checkbox_service
    svc.start()
    shift = svc.open_shift("Olena")
    assert shift.info.serial == 1 and fake.register.shifts[shift.info.id]["status"] == "OPENED"
    at = clock.now()
    sale = FiscalReceipt(uuid7(), (
        line("Хліб", "2", 3500, "reduced", country="UA", at=at, sku="bread"),
        line("Горілка", "1", 25000, "standard", country="UA", at=at, excise=True, sku="vodka"),
        line("Яблука", Decimal("0.735"), 4599, "agri", country="UA", at=at, sku="apples",
             discount=100)), (Payment(PaymentKind.CARD, 10000), Payment(PaymentKind.CASH, 30000)),
        at, "UA", customer_email="olena@example.com")
    res = svc.sell(sale)
    doc = fake.register.receipts[str(sale.receipt_id)]
    assert res.fiscal_number == doc["fiscal_code"] and doc["total_sum"] == sale.total
    assert res.verify_url and res.pdf_url and res.text and "TOTAL" in res.text
    assert doc["total_rest"] == sale.change
    assert doc["delivery"] == {"email": "olena@example.com"}
    ret = FiscalReceipt(uuid7(), (sale.lines[0],), (Payment(PaymentKind.CASH, 7000),),
                        clock.now(), "UA", is_return=True, original_fiscal_number=res.fiscal_number)
    svc.refund(ret)
    assert fake.register.receipts[str(ret.receipt_id)]["related_receipt_id"] == str(sale.receipt_id)
    svc.cash(CashOperation(uuid7(), DocKind.DEPOSIT, 50000, clock.now()))
    svc.cash(CashOperation(uuid7(), DocKind.WITHDRAW, 20000, clock.now()))
    x = svc.x_report()
    assert (x.sales_total, x.returns_total, x.cash_in, x.cash_out) == (
        sale.total, 7000, 50000, 20000)
    _, z = svc.close_shift()
    assert z.kind == "Z" and z.fiscal_number and z.receipts_count == 1
    assert svc.current_shift() is None and fake.register.shift_id == shift.info.id
    assert fake.register.shifts[shift.info.id]["status"] == "CLOSED"


def test_polling_waits_for_done(fake: CheckboxFake, clock: ManualClock,
                                checkbox_service: FiscalService) -> None:
    fake.register.polls_to_done = 3
    svc = checkbox_service
    svc.start()
    svc.open_shift("Olena")
    svc.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    gets = [p for m, p in fake.requests if m == "GET" and "/receipts/" in p]
    assert len(gets) == 4


def test_unmapped_vat_is_refused_before_sending(checkbox_service: FiscalService,
                                                fake: CheckboxFake, clock: ManualClock) -> None:
    checkbox_service.start()
    checkbox_service.open_shift("Olena")
    at = clock.now()
    bad = FiscalReceipt(uuid7(), (line("Кава", "1", 5000, "standard", country="RO", at=at),),
                        (Payment(PaymentKind.CASH, 5000),), at, "UA")  # 21 %: not a UA rate
    with pytest.raises(VatNotProgrammed):
        checkbox_service.sell(bad)
    assert fake.documents() == []


def test_return_more_than_sold_is_refused_by_the_server_too(
        checkbox_service: FiscalService, fake: CheckboxFake, clock: ManualClock) -> None:
    checkbox_service.start()
    checkbox_service.open_shift("Olena")
    sale = ua_sale(clock, ("Хліб", "1", 3500, "reduced"))
    checkbox_service.sell(sale)
    c = _client(fake)
    body = {"id": str(uuid7()), "related_receipt_id": str(sale.receipt_id),
            "goods": [{"good": {"code": "Хліб", "name": "Хліб", "price": 3500, "tax": [2]},
                       "quantity": 2000, "is_return": True}],
            "payments": [{"type": "CASH", "value": 7000}]}
    with pytest.raises(CheckboxRefused) as info:
        c.sell(body)
    assert info.value.code == "FISCAL_SERVER_VALIDATION"
    c.close()


def test_expired_token_signs_in_again(checkbox_service: FiscalService, fake: CheckboxFake,
                                      clock: ManualClock) -> None:
    svc = checkbox_service
    svc.start()
    fake.cashiers.tokens.clear()
    svc.open_shift("Olena")
    assert [p for _, p in fake.requests].count("/api/v1/cashier/signin") == 2


def test_a_stalled_server_leaves_the_receipt_in_doubt_until_it_answers(
        fake: CheckboxFake, journal: Journal, clock: ManualClock,
        make_checkbox_service: Callable[..., FiscalService]) -> None:
    """GIVEN the server stops answering while the sale is posted (it may have received it)
    WHEN the client times out
    THEN the receipt is in doubt — not issued offline, not re-sent — and once the server
    answers, reconciliation finds the one receipt it created."""
    svc = make_checkbox_service(timeout=0.3)
    svc.start()
    svc.open_shift("Olena")
    r = ua_sale(clock, ("Хліб", "1", 3500, "reduced"))
    fake.hold()
    try:
        with pytest.raises(ReceiptInDoubt):
            svc.sell(r)
    finally:
        fake.release()
    assert fake.wait_idle()
    row = journal.get(r.receipt_id)
    assert row is not None and row.state is DocState.IN_DOUBT
    assert svc.reconcile() == []
    assert len(fake.documents("SELL")) == 1
    assert svc.sell(r).fiscal_number == fake.register.receipts[str(r.receipt_id)]["fiscal_code"]


def test_shift_older_than_24h_is_refused_by_the_server(
        fake: CheckboxFake, clock: ManualClock,
        make_checkbox_service: Callable[..., FiscalService]) -> None:
    svc = make_checkbox_service(max_shift=timedelta(hours=48))  # let the server's rule speak
    svc.start()
    svc.open_shift("Olena")
    clock.advance(hours=24)
    with pytest.raises(CheckboxRefused) as info:
        svc.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    assert "24" in info.value.message
    assert fake.documents() == []


def test_concurrent_sales_are_serialised(checkbox_service: FiscalService, fake: CheckboxFake,
                                         clock: ManualClock) -> None:
    svc = checkbox_service
    svc.start()
    svc.open_shift("Olena")
    sales = [ua_sale(clock, ("Хліб", "1", 3500 + i, "reduced")) for i in range(6)]
    threads = [threading.Thread(target=svc.sell, args=(s,)) for s in sales + sales]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(d["total_sum"] for d in fake.documents("SELL")) == [3500 + i for i in range(6)]
