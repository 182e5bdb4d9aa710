"""Sync protocol and engine between tills and the cloud.

Shared by both halves: :mod:`sync.protocol` (versioned messages, content hash),
:mod:`sync.errors` (``SYNC_*`` codes). Till half: :mod:`sync.client` (HTTP: enroll, push,
pull, bootstrap), :mod:`sync.feed` (applying changes and snapshots through the ``Till``),
:mod:`sync.runner` (the background thread and its status), :mod:`sync.state` (enrollment file),
:mod:`sync.cli` (``tillbridge-till enroll`` / ``sync``). Cloud half: :mod:`sync.server` (store
events exactly once and project them), with the services in ``cloud.services.sync`` and
``cloud.services.sales``. The test doubles (fault proxy, scripted till, seeded cloud) live in
``tests/support/``, the ``make demo`` walkthrough in ``scripts/sync_walkthrough.py``.

Guarantee: every till event is stored in the cloud exactly once (``UNIQUE(device, seq)``,
``UNIQUE(event_id)``, content-hash comparison), in the same transaction as its projection, and
acknowledged to the till only up to the highest contiguous seq the cloud holds; re-sending is
always harmless.
"""
