"""Cloud services of the sync engine: enrollment codes and device tokens, till-ready catalog
records, feed pages, the bootstrap snapshot and till users. The push path itself is
:mod:`sync.server` (shared protocol, cloud half)."""

from __future__ import annotations
