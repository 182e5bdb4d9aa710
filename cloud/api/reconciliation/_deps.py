"""What every seed-002 router shares: scopes, the secret box, and client-level admin checks.

Access follows the seed's column: "Authenticated" reads need ``recon:read`` (every role has
it) and the one "Authenticated" write (creating a client) needs ``recon:write`` (every role but
``viewer``: a read-only role writes nothing). "Admin" routes need ``recon:admin`` (the ``admin``
role), or, for one client's resources, an active membership of that client with the client role
``admin`` (see invites; an explicit grant by a tenant admin). An API key acting for a client
admin also needs ``recon:write``: a key's scopes cap what it may do.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from cloud.api.deps import CurrentPrincipal, RuntimeDep, require_scopes
from cloud.api.responses import error_responses
from cloud.auth import rbac
from cloud.auth.principal import Principal
from cloud.crypto import SecretBox, box_from_settings
from cloud.errors import PermissionDenied
from cloud.services.reconciliation.members import client_role
from shared.errors import Family

__all__ = ["ADMIN", "READ", "RECON_ERRORS", "WRITE", "Admin", "BoxDep", "Reader", "Writer",
           "ensure_client_admin"]

READ = "recon:read"
WRITE = "recon:write"
ADMIN = "recon:admin"
rbac.register_scopes(READ, roles=tuple(rbac.Role))
rbac.register_scopes(WRITE, roles=tuple(r for r in rbac.Role if r is not rbac.Role.VIEWER))
rbac.register_scopes(ADMIN)

# Every status a seed-002 route can answer with an error, in the seed's {detail, code} shape.
RECON_ERRORS = error_responses(Family.RECON, (400, 401, 403, 404, 409, 410, 413, 422, 429,
                                              500))

Reader = Annotated[Principal, require_scopes(READ)]
Writer = Annotated[Principal, require_scopes(WRITE)]
Admin = Annotated[Principal, require_scopes(ADMIN)]


def ensure_client_admin(session: Session, principal: Principal, client_id: uuid.UUID) -> None:
    """Tenant admins, or members holding the client role ``admin``, may manage a client."""
    if principal.has(ADMIN):
        return
    user_id = principal.id if principal.kind == "user" else principal.user_id
    key_may_write = principal.kind == "user" or principal.has(WRITE)
    if user_id is not None and principal.has(READ) and key_may_write and client_role(
            session, tenant_id=principal.tenant_id, client_id=client_id,
            user_id=user_id) == "admin":
        return
    raise PermissionDenied(details={"required": [ADMIN], "or": "client role admin"})


async def _reader_principal(principal: CurrentPrincipal) -> Principal:
    """Authenticated; the admin check happens per client in the route."""
    return principal


ClientScoped = Annotated[Principal, Depends(_reader_principal)]


def get_box(runtime: RuntimeDep) -> SecretBox:
    box = getattr(runtime, "_recon_box", None)
    if box is None:
        box = box_from_settings(runtime.settings)
        runtime._recon_box = box  # type: ignore[attr-defined]  # one per process
    return box


BoxDep = Annotated[SecretBox, Depends(get_box)]
