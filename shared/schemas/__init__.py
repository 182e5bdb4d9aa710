"""Pydantic models shared by the cloud, the till and sync."""
