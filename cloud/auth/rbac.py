"""Scopes and roles exactly as seed 001 §2.3–2.4, plus the till roles ``cashier`` and
``store_manager``. Data, not code: a later family adds its scopes to :data:`SCOPES` and grants
them in :data:`ROLES`.

Seed 001 §13 names ``admin:read``/``admin:write``/``admin:delete`` on the admin endpoints but
§2.3 does not define them; the admin routers use the §2.3 scope of the resource they touch
(``admin:users``, ``admin:settings``, ``admin:audit``, ``admin:api-keys``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ADMIN_SCOPES",
    "DOCUMENT_SCOPES",
    "HITL_SCOPES",
    "NEGOTIATION_SCOPES",
    "PRODUCT_SCOPES",
    "ROLES",
    "SCOPES",
    "Role",
    "all_scopes",
    "permissions_for",
    "register_scopes",
]

PRODUCT_SCOPES = ("products:read", "products:write", "products:delete", "products:import",
                  "products:export")
NEGOTIATION_SCOPES = ("negotiations:read", "negotiations:write", "negotiations:approve",
                      "negotiations:close", "negotiations:archive")
DOCUMENT_SCOPES = ("documents:read", "documents:create", "documents:send", "documents:cancel")
HITL_SCOPES = ("hitl:read", "hitl:approve", "hitl:reject", "hitl:escalate")
ADMIN_SCOPES = ("admin:users", "admin:settings", "admin:audit", "admin:api-keys")

SCOPES: tuple[str, ...] = (*PRODUCT_SCOPES, *NEGOTIATION_SCOPES, *DOCUMENT_SCOPES,
                           *HITL_SCOPES, *ADMIN_SCOPES)
# Scopes added by later families (``register_scopes``); ``admin`` holds all of them.
_EXTRA: list[str] = []


class Role(StrEnum):
    """A user's role; each grants the scopes listed in :data:`ROLES`."""

    ADMIN = "admin"
    SALES_MANAGER = "sales_manager"
    SALES_REP = "sales_rep"
    VIEWER = "viewer"
    STORE_MANAGER = "store_manager"
    CASHIER = "cashier"


ROLES: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: SCOPES,
    Role.SALES_MANAGER: (*PRODUCT_SCOPES,
                         *(s for s in NEGOTIATION_SCOPES if s != "negotiations:archive"),
                         *DOCUMENT_SCOPES, "hitl:read", "hitl:approve", "hitl:reject"),
    Role.SALES_REP: ("products:read", "negotiations:read", "negotiations:write",
                     "documents:read", "documents:create"),
    Role.VIEWER: ("products:read", "negotiations:read", "documents:read"),
    # Till roles: a store manager runs the shop's catalogue and documents; a cashier sells.
    Role.STORE_MANAGER: ("products:read", "products:write", "products:import",
                         "products:export", "documents:read", "documents:create",
                         "documents:send", "documents:cancel", "hitl:read"),
    Role.CASHIER: ("products:read", "documents:read", "documents:create"),
}

ROLE_NAMES = {
    Role.ADMIN: "Administrator", Role.SALES_MANAGER: "Sales Manager",
    Role.SALES_REP: "Sales Representative", Role.VIEWER: "Viewer",
    Role.STORE_MANAGER: "Store Manager", Role.CASHIER: "Cashier",
}


def register_scopes(*scopes: str, roles: tuple[Role, ...] = ()) -> None:
    """Make new scopes known (``admin`` gets them; ``roles`` get them too)."""
    for scope in scopes:
        if scope not in SCOPES and scope not in _EXTRA:
            _EXTRA.append(scope)
        for role in roles:
            if scope not in ROLES[role]:
                ROLES[role] = (*ROLES[role], scope)


def all_scopes() -> tuple[str, ...]:
    return (*SCOPES, *_EXTRA)


def permissions_for(role: str, extra: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """The role's scopes plus a user's explicit extra permissions (unknown ones dropped)."""
    try:
        parsed = Role(role)
    except ValueError:
        return frozenset()
    known = all_scopes()
    granted = set(known) if parsed is Role.ADMIN else set(ROLES[parsed])
    granted.update(s for s in extra if s in known)
    return frozenset(granted)
