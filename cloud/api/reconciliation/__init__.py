"""Seed 002 (reconciliation) routers; ``create_app`` includes every one of :data:`routers`."""

from __future__ import annotations

from fastapi import APIRouter

from cloud.api.reconciliation import admin, clients, connectors, jobs, schedules

__all__ = ["routers"]

routers: tuple[APIRouter, ...] = (clients.router, connectors.router, jobs.router,
                                  schedules.router, admin.router)
