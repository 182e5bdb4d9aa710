"""``/shifts`` and ``/reports``: open, look up and close shifts; X reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from desktop.devices.emulators.checkbox_fake.routes._common import PREFIX, RegisterDep, run

__all__ = ["router"]

router = APIRouter(prefix=PREFIX)


@router.post("/shifts")
def open_shift(register: RegisterDep, body: dict[str, Any] = Body(default={})) -> Any:
    return run(register, lambda: register.open_shift(body))


@router.get("/shifts/{sid}")
def get_shift(register: RegisterDep, sid: str) -> Any:
    return run(register, lambda: register.poll_shift(sid))


@router.post("/shifts/close")
def close_shift(register: RegisterDep, body: dict[str, Any] = Body(default={})) -> Any:
    return run(register, register.close_shift)


@router.post("/reports")
def x_report(register: RegisterDep) -> Any:
    return run(register, register.x_report)
