"""405 before anything else looks at a request whose path exists but not for its method.

Starlette dispatches to the first route whose path *and* method match, so ``PATCH
/api/v1/products/import`` reached ``PATCH /api/v1/products/{product_id}`` and answered 422 (not a
UUID) although ``/products/import`` exists and only takes POST; and a path served by two routes
(``GET`` and ``PUT /admin/config``) named only the first one's method in ``Allow``. Here the
routes that match a path are ranked by how literal they are (fewest path parameters wins, so a
fixed segment beats a parameter) and a method none of the most literal routes takes gets 405 in
the family's error format, with an ``Allow`` header listing every method they do take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from cloud.api.errors import error_response

__all__ = ["MethodGuard", "allowed_methods"]


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    params: int
    methods: frozenset[str] | None  # None: not an HTTP route (a mount); the router decides


def _patterns(routes: list[BaseRoute]) -> list[_Pattern]:
    out = []
    for ctx in iter_route_contexts(routes):
        if ctx.path is None:
            continue
        regex, _fmt, convertors = compile_path(ctx.path)
        methods = frozenset(ctx.methods) if ctx.methods else None
        out.append(_Pattern(regex, len(convertors), methods))
    return out


def allowed_methods(patterns: list[_Pattern], path: str) -> frozenset[str] | None:
    """The methods of the most literal routes matching ``path``; None if no HTTP route does."""
    hits = [p for p in patterns if p.regex.match(path)]
    if not hits or any(p.methods is None for p in hits):
        return None
    fewest = min(p.params for p in hits)
    return frozenset().union(*(p.methods or () for p in hits if p.params == fewest))


class MethodGuard:
    """Pure ASGI: answer 405 (+ ``Allow``) for a known path asked with a method it lacks."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self._routes = routes  # the app's live list: routers are included after this is built
        self._patterns: list[_Pattern] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self._patterns is None:
                self._patterns = _patterns(self._routes)
            allowed = allowed_methods(self._patterns, scope.get("path", "/"))
            if allowed is not None and scope["method"] not in allowed:
                response = error_response(scope, "RES_METHOD_NOT_ALLOWED", "Method not allowed",
                                          status=405,
                                          headers={"Allow": ", ".join(sorted(allowed))})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
