"""Fault switches shared by the fakes: fail the next N calls, or every call, with a status."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fastapi import APIRouter
from pydantic import BaseModel, Field

__all__ = ["FaultSwitch", "FaultUpdate", "control_router"]


@dataclass
class FaultSwitch:
    """Thread-safe: the fake serves from uvicorn's thread while the test flips it."""

    fail_times: int = 0
    always: bool = False
    status: int = 503
    calls: int = 0
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, *, fail_times: int = 0, always: bool = False, status: int = 503) -> None:
        with self._lock:
            self.fail_times, self.always, self.status = fail_times, always, status

    def clear(self) -> None:
        self.set()

    def trip(self) -> int | None:
        """Count a call; return the status to fail it with, or None to serve it."""
        with self._lock:
            self.calls += 1
            if self.always or self.fail_times > 0:
                if not self.always:
                    self.fail_times -= 1
                self.failures += 1
                return self.status
            return None


class FaultUpdate(BaseModel):
    fail_times: int = Field(default=0, ge=0)
    always: bool = False
    status: int = Field(default=503, ge=400, le=599)


def control_router(switch: FaultSwitch) -> APIRouter:
    """``/_fake/faults`` to flip the switch over HTTP (demo, other processes)."""
    router = APIRouter(prefix="/_fake", include_in_schema=False)

    @router.post("/faults")
    def set_faults(update: FaultUpdate) -> dict[str, int | bool]:
        switch.set(fail_times=update.fail_times, always=update.always, status=update.status)
        return {"fail_times": switch.fail_times, "always": switch.always}

    @router.get("/faults")
    def get_faults() -> dict[str, int | bool]:
        return {"fail_times": switch.fail_times, "always": switch.always,
                "calls": switch.calls, "failures": switch.failures}

    return router
