"""Sync protocol and engine between tills and the cloud."""
