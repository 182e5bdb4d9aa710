"""The sync protocol between tills and the cloud, and the till's engine that speaks it.

Sync depends only on :mod:`shared` (and httpx, msgspec, pydantic, structlog); each side plugs in
through adapters of its own, so neither ``desktop`` nor ``cloud`` is imported here.

* :mod:`sync.protocol` — versioned messages (push, pull, snapshot, enrollment, status), the
  event payload documents, the content hash; :mod:`sync.wire` — the fast push codec (msgspec)
  both sides decode with; :mod:`sync.errors` — the ``SYNC_*`` error tree.
* :mod:`sync.ports` — what sync needs from a till (``typing.Protocol``): its outbox and acks,
  a product reader and the catalog with its cursor, users, settings. The till implements them in
  ``desktop.sync_ports`` (``TillSyncPorts``, over the ``Till`` façade).
* :mod:`sync.client` (HTTP: enroll, push the outbox, pull the feed, bootstrap),
  :mod:`sync.feed` (decoding feed pages and snapshots, deciding what to apply and in which
  order), :mod:`sync.runner` (the background thread and its status), :mod:`sync.state` (the
  enrollment file), :mod:`sync.settings` (the cloud's store/till rows as kept there).

The cloud's side is ``cloud.services.sync`` (enrollment, device tokens, the push path that
stores and projects events, the change feed, the snapshot); the till's commands
(``tillbridge-till enroll`` / ``sync``) are ``desktop.sync_cli``. The test doubles (fault proxy,
scripted till, seeded cloud) live in ``tests/support/``, the ``make demo`` walkthrough in
``scripts/sync_walkthrough.py``.

Guarantee: every till event is stored in the cloud exactly once (``UNIQUE(device, seq)``,
``UNIQUE(event_id)``, content-hash comparison), in the same transaction as its projection, and
acknowledged to the till only up to the highest contiguous seq the cloud holds; re-sending is
always harmless.
"""
