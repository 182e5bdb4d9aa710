"""Outgoing webhooks (seed 001 §14, seed 000 quality webhooks): subscriptions, signed delivery
jobs and their history.

* :mod:`.subscriptions` — subscriptions and publishing an event as delivery jobs, in the
  caller's transaction.
* :mod:`.delivery` — one signed POST and the ``webhooks.deliver`` job recording every attempt.
* :mod:`.history` — delivery history, manual retries and the synchronous test send.
* :mod:`.pim` — the seed-000 per-shop quality-webhook config, stored as a subscription.
* :mod:`.signing` — HMAC-SHA256 signatures over timestamp and body, and their verification.
* targets are vetted by :mod:`cloud.integrations.outbound` (no private/loopback unless configured).
* :mod:`.receiver` — a signature-checking receiver on 127.0.0.1 for development, demos and tests.
"""

from __future__ import annotations
