"""Identity: keys and JWTs (``keys``), hashes (``hashing``), roles and scopes (``rbac``),
the authenticated caller (``principal``) and how a request proves who it is (``authenticate``).
"""

from __future__ import annotations
