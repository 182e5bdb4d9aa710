"""Pydantic wire models, one module per API family, kept apart from the SQLAlchemy models.

``common`` holds the bases (``ApiModel`` camelCase on the wire, ``RequestModel`` also refusing
unknown fields), the success envelopes, pagination blocks and error bodies. Routers and services
may import these modules; they import only ``common``, ``cloud.models``/``cloud.integrations``
enums and ``shared``, never a router or a service. Keep class names stable: they are the
OpenAPI component names (a clash between families is qualified with the module path).
"""

from __future__ import annotations
