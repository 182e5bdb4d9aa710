"""The environment the reconciliation integration tests share (see conftest.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from cloud.config import Settings
from cloud.crypto import SecretBox
from cloud.integrations.outbound import OutboundPolicy
from cloud.jobs.worker import Worker
from shared.clock import ManualClock

NOW = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


@dataclass
class Env:
    url: str
    sessions: sessionmaker[Session]
    clock: ManualClock
    key: str
    box: SecretBox
    settings: Settings
    worker: Worker
    tenant: uuid.UUID

    @property
    def policy(self) -> OutboundPolicy:
        """The outbound policy of the settings (the fakes on 127.0.0.1 allowed)."""
        return OutboundPolicy.from_settings(self.settings)

    def run_due(self) -> int:
        """One worker poll (claims whatever is due at the manual clock's time)."""
        return self.worker.run_once()
