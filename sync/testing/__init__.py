"""Test doubles for sync: a fault-injecting TCP proxy, a scripted till process, a seeded
cloud. Used by the e2e tests, the benchmarks and the demo; never by the product itself."""

from __future__ import annotations
