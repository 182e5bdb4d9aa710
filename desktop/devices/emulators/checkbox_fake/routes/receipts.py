"""``/receipts/*``: sell (online and offline), service receipts, lookup and search."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from desktop.devices.emulators.checkbox_fake.register import public
from desktop.devices.emulators.checkbox_fake.routes._common import PREFIX, RegisterDep, run

__all__ = ["router"]

router = APIRouter(prefix=f"{PREFIX}/receipts")


@router.post("/sell")
def sell(register: RegisterDep, body: dict[str, Any] = Body(...)) -> Any:
    return run(register, lambda: public(register.sell(body, offline=False)))


@router.post("/sell-offline")
def sell_offline(register: RegisterDep, body: dict[str, Any] = Body(...)) -> Any:
    return run(register, lambda: public(register.sell(body, offline=True)))


@router.post("/service")
def service(register: RegisterDep, body: dict[str, Any] = Body(...)) -> Any:
    return run(register, lambda: public(register.service(body)))


@router.get("/search")
def search(register: RegisterDep, fiscal_code: str = "") -> Any:
    with register.lock:
        return {"results": register.search(fiscal_code)}


@router.get("/{rid}")
def receipt(register: RegisterDep, rid: str) -> Any:
    return run(register, lambda: register.poll_receipt(rid))
