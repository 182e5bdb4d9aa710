"""Background jobs: a durable queue in the database, workers, and the schedule runner.

Laid out by role, after procrastinate:

* ``repository`` — every SQL statement of the queue (enqueue, claim with SKIP LOCKED, leases,
  retries, dead letters, pauses, operator queries);
* ``retry`` — the :class:`~cloud.jobs.retry.RetryStrategy` that returns a ``RetryDecision``;
* ``registry`` — handlers by task name; ``handlers`` — which modules register them;
* ``worker`` / ``runner`` — the polling worker and the ``tillbridge-cloud worker`` command;
* ``recurrence`` / ``schedules`` / ``scheduler`` — DST-correct fire times, schedule rows and
  the APScheduler runner that only enqueues, once per (schedule, fire time).
"""
