"""Shared domain core of Tillbridge, imported by the till, the cloud and sync. Pure: no I/O.

Money (minor units, rounding), VAT (dated tables per country), ids (UUIDv7), error codes, the
clock, data paths, schemas both sides answer with, :mod:`shared.events` (the business-fact
types the till records and sync carries) and :mod:`shared.backoff` (the one retry-delay formula
of the till's workers).
"""
