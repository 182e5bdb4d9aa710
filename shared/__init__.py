"""Shared domain core of Tillbridge: money, VAT, ids and error codes. Pure: no I/O."""
