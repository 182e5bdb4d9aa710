"""Business logic of the cloud, one module or package per family.

Service functions take keyword-only arguments with the session first (``*, session``; older
modules still take ``session, *, tenant_id``), raise ``cloud.errors`` exceptions, and may use
``cloud.schemas`` models and ``cloud.models``, but never ``cloud.api``. Grouped families:
``identity/`` (tenants, users, login, API keys, MFA), ``webhooks/`` (subscriptions, signed
delivery, history), ``catalog/``, ``pricing/``, ``stock/``, ``sales/``, ``search/``,
``reconciliation/`` and ``sync/`` (the cloud's side of the till protocol). ``pagination`` pages
a ``Select`` by offset or keyset for any list.
"""

from __future__ import annotations
