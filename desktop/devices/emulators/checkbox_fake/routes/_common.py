"""What the fake's routers share: the register dependency and refusal-to-response mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from desktop.devices.emulators.checkbox_fake.auth import Cashiers
from desktop.devices.emulators.checkbox_fake.register import Refused, Register

__all__ = ["PREFIX", "CashiersDep", "RegisterDep", "run"]

PREFIX = "/api/v1"


def _register(request: Request) -> Register:
    register: Register = request.app.state.register
    return register


def _cashiers(request: Request) -> Cashiers:
    cashiers: Cashiers = request.app.state.cashiers
    return cashiers


RegisterDep = Annotated[Register, Depends(_register)]
CashiersDep = Annotated[Cashiers, Depends(_cashiers)]


def run(register: Register, fn: Callable[[], Any]) -> Any:
    """``fn()`` under the register's lock; a refusal becomes ``{"message"}`` with its status."""
    with register.lock:
        try:
            return fn()
        except Refused as f:
            return JSONResponse({"message": f.message}, f.status)
