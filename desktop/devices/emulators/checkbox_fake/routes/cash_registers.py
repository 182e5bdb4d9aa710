"""``/cash-registers/*``: register info, tax service ping, offline codes, offline mode."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from desktop.devices.emulators.checkbox_fake.routes._common import PREFIX, RegisterDep, run

__all__ = ["router"]

router = APIRouter(prefix=f"{PREFIX}/cash-registers")
_OK = {"status": "ok"}


@router.get("/info")
def info(register: RegisterDep) -> Any:
    return {"id": "register-1", "fiscal_number": register.fiscal_number,
            "offline_mode": register.offline is not None,
            "has_shift": bool(register.shift_id), "is_test": True}


@router.post("/ping-tax-service")
def ping() -> Any:
    return dict(_OK)


@router.get("/ask-offline-codes")
def ask_codes(register: RegisterDep, count: int = 2000) -> Any:
    with register.lock:
        register.ask_codes(count)
        return dict(_OK)


@router.get("/get-offline-codes")
def get_codes(register: RegisterDep, count: int = 100) -> Any:
    with register.lock:
        return [{"fiscal_code": c} for c in register.hand_codes(count)]


@router.get("/get-offline-codes-count")
def codes_count(register: RegisterDep) -> Any:
    return {"available": len(register.asked), "enough_offline_codes": len(register.asked) > 0}


@router.post("/go-offline")
def go_offline(register: RegisterDep, body: dict[str, Any] = Body(default={})) -> Any:
    def go() -> Any:
        register.go_offline(body)
        return dict(_OK)
    return run(register, go)


@router.post("/go-online")
def go_online(register: RegisterDep) -> Any:
    with register.lock:
        register.go_online()
        return dict(_OK)
