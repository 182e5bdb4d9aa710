"""Queue errors.

Exceptions::

    JobError
    ├── JobNotFound         no such job for this tenant
    ├── UnknownTask         no handler is registered under the job's task name
    ├── InvalidJob          enqueue arguments out of range (max_retries, names)
    └── PermanentJobError   raised by a handler: fail now, do not retry
"""

from __future__ import annotations

from shared.errors import TillbridgeError

__all__ = ["InvalidJob", "JobError", "JobNotFound", "PermanentJobError", "UnknownTask"]


class JobError(TillbridgeError):
    """Background job error."""

    code = "SYS_QUEUE_ERROR"


class JobNotFound(JobError):
    """Job not found."""

    code = "RES_NOT_FOUND"


class UnknownTask(JobError):
    """No handler is registered for this task."""


class InvalidJob(JobError):
    """Job arguments are out of range."""

    code = "VAL_OUT_OF_RANGE"


class PermanentJobError(JobError):
    """The job cannot succeed by retrying; it is marked failed at once."""
