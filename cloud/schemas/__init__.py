"""Pydantic wire models (camelCase on the wire), kept apart from the SQLAlchemy models."""

from __future__ import annotations
