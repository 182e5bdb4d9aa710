"""First run of the embedded cloud: a demo tenant and an admin who can log in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cloud import audit, tenancy
from cloud.models.tenancy import Plan, Tenant
from cloud.services.identity import tenants, users

__all__ = ["DEMO_CREDENTIALS_FILE", "DEMO_EMAIL", "DemoCredentials", "ensure_demo_tenant",
           "saved_demo_login"]

DEMO_EMAIL = "admin@demo.tillbridge.app"
SYSTEM = audit.AuditContext(actor_type="system", actor_email="tillbridge-cloud")


@dataclass(frozen=True)
class DemoCredentials:
    tenant: str
    email: str
    password: str


def ensure_demo_tenant(sessions: sessionmaker[Session], *, now: datetime,
                       ) -> DemoCredentials | None:
    """Create the demo tenant and its admin if the database has no tenant; else None."""
    with sessions() as session:
        if session.scalar(select(func.count(Tenant.id))):
            return None
        audit.set_context(session, SYSTEM)
        tenant = tenants.create_tenant(session=session, name="Demo Shop", slug="demo",
                                       plan=Plan.ENTERPRISE)
        tenancy.scope(session, tenant.id)
        password = secrets.token_urlsafe(12)
        users.create_user(session=session, tenant=tenant, now=now, invite_ttl_s=3600,
                          data=users.NewUser(email=DEMO_EMAIL, first_name="Demo",
                                             last_name="Admin", role="admin",
                                             temp_password=password))
        session.commit()
        return DemoCredentials(tenant=tenant.slug, email=DEMO_EMAIL, password=password)


DEMO_CREDENTIALS_FILE = "demo-credentials.txt"
"""Where ``tillbridge-cloud serve`` saves the demo login, in the cloud's secrets dir."""


def saved_demo_login(home: Path) -> tuple[str, str] | None:
    """(email, password) the embedded cloud under ``home`` saved on its first run, if any."""
    path = home / "cloud" / "secrets" / DEMO_CREDENTIALS_FILE
    if not path.exists():
        return None
    fields = dict(line.split(":", 1) for line in path.read_text().splitlines() if ":" in line)
    email, password = fields.get("email", "").strip(), fields.get("password", "").strip()
    return (email, password) if email and password else None
