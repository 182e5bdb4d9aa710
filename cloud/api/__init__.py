"""HTTP routers, one thin module per API family (seed 000-003), mounted by ``cloud.app``.

A router parses the request (path, query, body as a ``cloud.schemas`` model), authorises it
(``deps.require_scopes``), calls ``cloud.services`` and shapes the answer with
``responses.ok``/``paginated`` — it never writes ORM rows or runs queries itself. Shared pieces:
``deps`` (session, principal, clock), ``responses`` (envelopes, page parameters, documented
error bodies), ``errors`` (domain exceptions to each family's error format), ``middleware``
(request id, logging, rate limits). See ``deps`` for how a new family plugs in.
"""

from __future__ import annotations
