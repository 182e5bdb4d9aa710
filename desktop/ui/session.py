"""The sale in progress, driven from the till lane only (one thread, so no locking here).

Keeping the current cart id on the worker side means scans queued faster than their results
come back all land in the same cart, and a cart opened by an earlier scan is never opened
twice.
"""

from __future__ import annotations

from decimal import Decimal

from desktop.core import Approval, Cart, Discount, Receipt, Till
from desktop.core.errors import CartEmpty, CartNotFound
from desktop.core.payments import Tender

__all__ = ["SaleSession"]

Qty = Decimal | int | str | None


class SaleSession:
    """One cashier's current cart on this till."""

    def __init__(self, till: Till) -> None:
        self.till = till
        self.cart_id: str | None = None

    def resume(self) -> Cart | None:
        """After login: the logged-in cashier's newest open cart (it survives restarts)."""
        user = self.till.current_user
        self.cart_id = None
        if user is None:
            return None
        mine = [c for c in self.till.open_carts() if c.cashier_id == user.id]
        if not mine:
            return None
        self.cart_id = mine[-1].id
        return mine[-1]

    def current(self) -> Cart | None:
        if self.cart_id is None:
            return None
        try:
            return self.till.cart(self.cart_id)
        except CartNotFound:
            self.cart_id = None
            return None

    def _id(self) -> str:
        if self.current() is None:
            self.cart_id = self.till.new_cart().id
        assert self.cart_id is not None
        return self.cart_id

    def _existing(self) -> str:
        cart = self.current()
        if cart is None:
            raise CartEmpty()
        return cart.id

    # -- lines -----------------------------------------------------------------------------
    def scan(self, code: str, quantity: Qty = None, *, age_verified: bool = False) -> Cart:
        return self.till.scan(self._id(), code, quantity, age_verified=age_verified)

    def add(self, sku: str, quantity: Qty = None, *, age_verified: bool = False) -> Cart:
        return self.till.add_product(self._id(), sku, quantity, age_verified=age_verified)

    def set_quantity(self, line_no: int, quantity: Qty, approval: Approval | None) -> Cart:
        return self.till.set_quantity(self._existing(), line_no, quantity, approval=approval)

    def void(self, line_no: int, approval: Approval | None) -> Cart:
        return self.till.void_line(self._existing(), line_no, approval=approval)

    def override(self, line_no: int, price: int, approval: Approval | None) -> Cart:
        return self.till.override_price(self._existing(), line_no, price, approval=approval)

    def discount_line(
        self, line_no: int, discount: Discount | None, approval: Approval | None
    ) -> Cart:
        return self.till.discount_line(self._existing(), line_no, discount, approval=approval)

    def discount_cart(self, discount: Discount | None, approval: Approval | None) -> Cart:
        return self.till.discount_cart(self._existing(), discount, approval=approval)

    def cancel(self, approval: Approval | None) -> None:
        cart_id = self._existing()
        self.till.cancel_cart(cart_id, approval=approval)
        self.cart_id = None

    # -- payment ---------------------------------------------------------------------------
    def pay(self, tender: Tender) -> Cart:
        return self.till.add_payment(self._existing(), tender)

    def remove_payments(self) -> Cart:
        cart = self.till.cart(self._existing())
        for p in cart.payments:
            cart = self.till.remove_payment(cart.id, p.id)
        return cart

    def complete(self) -> Receipt:
        receipt = self.till.complete_sale(self._existing())
        self.cart_id = None
        return receipt
