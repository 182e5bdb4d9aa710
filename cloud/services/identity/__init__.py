"""Identity: who may call the cloud, for which tenant, with which rights.

* :mod:`.tenants` — tenants and their configuration (plan limits, security settings).
* :mod:`.users` — a tenant's users: invite, create, update, delete, with the admin guards.
* :mod:`.auth` — login, refresh-token rotation with reuse detection, logout.
* :mod:`.authn` — turning a bearer JWT or an ``X-API-Key`` into a principal.
* :mod:`.api_keys` — API keys, stored hashed and shown once.
* :mod:`.mfa` — enrolling and removing a TOTP second factor.

Token signing and password hashing are ``cloud.auth`` (keys, hashing, RBAC); these services use
them.
"""

from __future__ import annotations
