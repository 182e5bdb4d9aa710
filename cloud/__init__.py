"""Tillbridge cloud service: multi-tenant FastAPI app over SQLAlchemy 2.

Layers, top to bottom (``cloud.services`` and ``cloud.models`` never import ``cloud.api``)::

    api/<family>.py        thin routers: parse, call a service, shape the answer
    schemas/<family>.py    pydantic wire models, envelopes and pagination
    services/<family>/     business logic, keyword-only functions taking ``*, session``
    models/                SQLAlchemy 2 ``Mapped[]`` models (every row carries ``tenant_id``)
    migrations/versions/   Alembic revisions

plus ``app.py`` (the application factory), ``config.py``, ``db.py`` (engine, sessions,
``insert_on_conflict``), ``tenancy.py`` (tenant isolation), ``jobs/`` (queue, worker, schedule
runner) and ``integrations/`` (external systems and their local fakes).

A new API family ``things`` is five pieces: ``models/things.py`` with one Alembic revision,
``schemas/things.py``, ``services/things/`` (or ``services/things.py`` while it is small),
``api/things.py`` included in ``app.create_app``, and its tests under
``tests/{unit,integration}/cloud/``.
"""

from __future__ import annotations

__version__ = "0.1.0"
