"""Import and export tasks: the rows a client polls while a catalog job runs.

Queuing a task writes its row (and, for an import, the uploaded file) and enqueues the job in
the caller's transaction, so a task exists iff its job does. Reads are tenant-scoped: another
tenant's task is "not found". An export's file is served until ``expires_at``.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.models.catalog import CatalogFile, CatalogTask
from cloud.services.catalog import jobs
from cloud.services.catalog.errors import TaskNotFound
from cloud.services.catalog.exporter import EXPORT_TTL
from cloud.services.catalog.tabular import FileFormat

__all__ = ["export_file", "get_task", "queue_export", "queue_import", "upload_content_type",
           "upload_filename"]

_NAME_MAX = 120
_MEDIA_TYPE = re.compile(r"^[\w.+-]{1,40}/[\w.+-]{1,58}$")


def upload_filename(raw: str | None, fmt: FileFormat) -> str:
    """What we keep of a client's file name: the last path part only (no ``../`` or
    ``C:\\``), without control or format characters (CR/LF would split a header or a log line
    when the name is shown again), at most 120 characters with the extension kept."""
    name = re.split(r"[/\\]", raw or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if not name:
        return f"import.{fmt.value}"
    if len(name) > _NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot and stem else ""
        name = name[:_NAME_MAX - len(ext) - 1].rstrip() + "." + ext if ext else name[:_NAME_MAX]
    return name


def upload_content_type(raw: str | None) -> str:
    """The client's media type when it looks like one (``type/subtype``, no parameters),
    else ``application/octet-stream``; it is only a hint, the format is sniffed."""
    media = (raw or "").split(";", 1)[0].strip().lower()
    return media if _MEDIA_TYPE.match(media) else "application/octet-stream"


def queue_import(*, session: Session, tenant_id: uuid.UUID, created_by: str,
                 filename: str | None, content_type: str | None, data: bytes,
                 fmt: FileFormat, options: dict[str, Any], now: datetime) -> CatalogTask:
    """Store the uploaded file and queue an import of it; ``options`` are the task's options
    (mode, dryRun, skipInvalid, mapping) and the file's format is added to them."""
    upload = CatalogFile(tenant_id=tenant_id, filename=upload_filename(filename, fmt),
                         content_type=upload_content_type(content_type),
                         size=len(data), data=data, created_at=now, expires_at=now + EXPORT_TTL)
    session.add(upload)
    session.flush()
    task = CatalogTask(tenant_id=tenant_id, kind="import", status="queued", file_id=upload.id,
                       options={**options, "format": fmt.value},
                       created_by=created_by, created_at=now, updated_at=now)
    session.add(task)
    session.flush()
    task.queue_job_id = jobs.enqueue_import(session, tenant_id=tenant_id, task_id=task.id,
                                            now=now)
    return task


def queue_export(*, session: Session, tenant_id: uuid.UUID, created_by: str,
                 options: dict[str, Any], now: datetime) -> CatalogTask:
    """Queue an export (format, filters, fields, includeImages in ``options``)."""
    task = CatalogTask(tenant_id=tenant_id, kind="export", status="queued", options=options,
                       created_by=created_by, created_at=now, updated_at=now)
    session.add(task)
    session.flush()
    task.queue_job_id = jobs.enqueue_export(session, tenant_id=tenant_id, task_id=task.id,
                                            now=now)
    return task


def get_task(*, session: Session, tenant_id: uuid.UUID, task_id: uuid.UUID,
             kind: str) -> CatalogTask:
    task = session.scalar(select(CatalogTask).where(CatalogTask.tenant_id == tenant_id,
                                                    CatalogTask.id == task_id,
                                                    CatalogTask.kind == kind))
    if task is None:
        raise TaskNotFound()
    return task


def export_file(*, session: Session, tenant_id: uuid.UUID, task_id: uuid.UUID,
                now: datetime) -> CatalogFile:
    """The finished export's file; "not ready" until written, "expired" after its TTL."""
    task = get_task(session=session, tenant_id=tenant_id, task_id=task_id, kind="export")
    upload = session.get(CatalogFile, task.result_file_id) if task.result_file_id else None
    if upload is None or upload.tenant_id != tenant_id:
        raise TaskNotFound("the export is not ready")
    if upload.expires_at is not None and upload.expires_at < now:
        raise TaskNotFound("the export has expired", code="RES_DELETED")
    return upload
