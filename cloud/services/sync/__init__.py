"""The cloud's side of sync: the protocol (:mod:`sync.protocol`, :mod:`sync.wire`) served over
the cloud's database.

* :mod:`~cloud.services.sync.enrollment` and :mod:`~cloud.services.sync.devices`: one-time codes,
  device tokens, which till a token speaks for;
* :mod:`~cloud.services.sync.push`: a till's events stored exactly once and projected into the
  sales tables in the same transaction (:mod:`cloud.services.sales.projector`);
* :mod:`~cloud.services.sync.catalog`, :mod:`~cloud.services.sync.pull`,
  :mod:`~cloud.services.sync.snapshot`, :mod:`~cloud.services.sync.till_users`: the change feed
  and the bootstrap snapshot a till pulls.
"""

from __future__ import annotations
