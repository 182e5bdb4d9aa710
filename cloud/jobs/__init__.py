"""Background jobs: a durable queue in the database, workers, and the schedule runner.

Laid out by role, after procrastinate:

* ``repository`` — every SQL statement of the queue (enqueue, claim with SKIP LOCKED, leases,
  retries, dead letters, pauses, operator queries);
* ``retry`` — the :class:`~cloud.jobs.retry.RetryStrategy` that returns a ``RetryDecision``;
* ``registry`` — handlers by task name; ``handlers`` — which modules register them;
* ``worker`` / ``runner`` — the polling worker and the ``tillbridge-cloud worker`` command;
* ``fire_times`` — when a schedule fires: pure, DST-correct functions of (recurrence, instant);
* ``schedule_store`` — the schedule rows users set, and turning one fire into exactly one job;
* ``builtin_jobs`` — upkeep declared in code (e.g. stock reservation expiry), fired per tenant
  with work, idempotently per interval slot;
* ``schedule_runner`` — the APScheduler runner in the cloud process: one trigger per schedule
  row and per built-in job; a fire only enqueues, once per (schedule, fire time).
"""
