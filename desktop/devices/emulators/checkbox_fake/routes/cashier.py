"""``/cashier/*``: sign-in, the signed-in cashier, the tax table, the current shift."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from desktop.devices.emulators.checkbox_fake.register import UA_TAXES
from desktop.devices.emulators.checkbox_fake.routes._common import (
    PREFIX,
    CashiersDep,
    RegisterDep,
)

__all__ = ["router"]

router = APIRouter(prefix=f"{PREFIX}/cashier")


@router.post("/signin")
def signin(cashiers: CashiersDep, body: dict[str, Any] = Body(...)) -> Any:
    token = cashiers.sign_in(body.get("login", ""), body.get("password"))
    if token is None:
        return JSONResponse({"message": "Invalid credentials"}, 401)
    return {"access_token": token, "token_type": "bearer"}


@router.get("/me")
def me() -> Any:
    return {"id": "cashier-1", "full_name": "Test Cashier"}


@router.get("/tax")
def taxes() -> Any:
    return list(UA_TAXES)


@router.get("/shift")
def current_shift(register: RegisterDep) -> Any:
    with register.lock:
        return register.current_shift()
