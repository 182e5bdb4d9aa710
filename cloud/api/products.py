"""``/api/v1/products``: list, detail, create, update, delete, import, export, search (§3)."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.models.catalog import CatalogTask
from cloud.schemas.common import Envelope, OffsetPagination, Paginated
from cloud.schemas.products import (
    Chunk,
    CreateProductIn,
    ExportIn,
    ExportStatus,
    ImportError_,
    ImportStatus,
    ProductCreated,
    ProductDetailOut,
    ProductListItem,
    ProductUpdated,
    SearchFiltersIn,
    SearchHitOut,
    SearchIn,
    SearchOut,
    UpdateProductIn,
)
from cloud.services.catalog import jobs, presenters, products, tasks
from cloud.services.catalog.errors import ImportFileInvalid
from cloud.services.catalog.hybrid_search import SearchFilters, search_products
from cloud.services.catalog.importer import MODES
from cloud.services.catalog.listing import ProductQuery, list_products, product_rows
from cloud.services.catalog.settings import policy
from cloud.services.catalog.tabular import EXPORT_FIELDS, FileFormat, detect_format
from cloud.services.pricing.service import rules_for_product
from cloud.services.stock.levels import Actor

router = APIRouter(prefix="/api/v1/products", tags=["products"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 409, 410, 413, 422,
                                                       429, 500)))

Reader = Annotated[Principal, require_scopes("products:read")]
Writer = Annotated[Principal, require_scopes("products:write")]
Deleter = Annotated[Principal, require_scopes("products:delete")]
Importer = Annotated[Principal, require_scopes("products:import")]
Exporter = Annotated[Principal, require_scopes("products:export")]
MAX_IMPORT_BYTES = 64 * 1024 * 1024


def actor_of(p: Principal) -> Actor:
    return Actor("user", str(p.id), p.name or p.email or f"{p.kind}:{p.id}")


def _minor(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


@router.get("", response_model=Paginated[ProductListItem])
def list_(request: Request, session: SessionDep, clock: ClockDep, p: Reader, page: PageDep,
          sort: Literal["name", "sku", "price", "stock", "createdAt"] = "createdAt",
          order: Literal["asc", "desc"] = "asc",
          search: Annotated[str | None, Query(max_length=200)] = None,
          category: str | None = None,
          status: Literal["active", "inactive", "discontinued"] | None = None,
          min_price: Annotated[Decimal | None, Query(alias="minPrice", ge=0)] = None,
          max_price: Annotated[Decimal | None, Query(alias="maxPrice", ge=0)] = None,
          in_stock: Annotated[bool | None, Query(alias="inStock")] = None,
          has_embedding: Annotated[bool | None, Query(alias="hasEmbedding")] = None) -> Any:
    """Products of the caller's tenant with every filter and sort of seed 001 §3.1."""
    q = ProductQuery(search=search, category=category, status=status,
                     min_price=_minor(min_price), max_price=_minor(max_price),
                     in_stock=in_stock, has_embedding=has_embedding, sort=sort, order=order)
    rows, total = list_products(session, tenant_id=p.tenant_id, q=q, page=page.page,
                                limit=page.limit)
    country, now = policy(session, p.tenant_id).country, clock.now()
    codes = products.barcodes_of(session, p.tenant_id, [r.product.id for r in rows])
    items = [presenters.list_item(r, country=country, at=now, barcodes=codes[r.product.id])
             for r in rows]
    pages = -(-total // page.limit) if total else 0
    return paginated(request, items, OffsetPagination(
        page=page.page, limit=page.limit, total=total, total_pages=pages,
        has_next=page.page < pages, has_previous=page.page > 1))


def _detail(session: Any, tenant_id: uuid.UUID, product_id: uuid.UUID,
            now: Any) -> ProductDetailOut:
    product = products.get_product(session, tenant_id=tenant_id, product_id=product_id)
    row = product_rows(session, tenant_id=tenant_id, ids=[product.id])[product.id]
    codes = products.barcodes_of(session, tenant_id, [product.id])[product.id]
    rules = rules_for_product(session, tenant_id=tenant_id, product=product, now=now)
    return presenters.detail(row, barcodes=codes, rules=rules,
                       country=policy(session, tenant_id).country, at=now)


@router.get("/{product_id}", response_model=Envelope[ProductDetailOut])
def get(product_id: uuid.UUID, request: Request, session: SessionDep, clock: ClockDep,
        p: Reader) -> Any:
    """One product with stock, media, specifications, embedding state and pricing rules."""
    return ok(request, _detail(session, p.tenant_id, product_id, clock.now()))


@router.post("", response_model=Envelope[ProductCreated], status_code=201)
def create(body: CreateProductIn, request: Request, session: SessionDep, clock: ClockDep,
           p: Writer) -> Any:
    """Create a product; its embedding is computed by a background job (``ragIndexJobId``)."""
    now = clock.now()
    done = products.create_product(
        session, tenant_id=p.tenant_id, data=presenters.to_service(body, exclude={"index_for_rag"}),
        actor=actor_of(p), now=now)
    job = (jobs.enqueue_embed(session, tenant_id=p.tenant_id, product_ids=[done.product.id],
                              now=now) if body.index_for_rag else None)
    pr = done.product
    return ok(request, ProductCreated(id=pr.id, sku=pr.sku, name=pr.name, status=pr.status,
                                      rag_index_job_id=job, created_at=pr.created_at))


@router.patch("/{product_id}", response_model=Envelope[ProductUpdated])
def update(product_id: uuid.UUID, body: UpdateProductIn, request: Request,
           session: SessionDep, clock: ClockDep, p: Writer) -> Any:
    """Change the fields sent; tills receive the new state through the change feed."""
    now = clock.now()
    done = products.update_product(
        session, tenant_id=p.tenant_id, product_id=product_id,
        data=presenters.to_service(body, exclude={"reindex_for_rag"}), actor=actor_of(p), now=now)
    job = None
    if done.text_changed or body.reindex_for_rag:
        job = jobs.enqueue_embed(session, tenant_id=p.tenant_id, product_ids=[product_id],
                                 now=now)
    pr = done.product
    camel = [presenters.to_camel(c) for c in done.changed]
    return ok(request, ProductUpdated(id=pr.id, sku=pr.sku, name=pr.name, status=pr.status,
                                      rag_reindex_job_id=job, updated_at=pr.updated_at,
                                      changed_fields=camel))


@router.delete("/{product_id}", status_code=204, response_class=Response)
def delete(product_id: uuid.UUID, session: SessionDep, clock: ClockDep, p: Deleter,
           hard: bool = False, cascade: bool = False) -> Response:
    """Soft delete by default (tills get a tombstone); ``hard`` removes the row."""
    products.delete_product(session, tenant_id=p.tenant_id, product_id=product_id, hard=hard,
                            cascade=cascade, now=clock.now())
    return Response(status_code=204)


# -- import ------------------------------------------------------------------------------------

def _import_status(task: CatalogTask) -> ImportStatus:
    return ImportStatus(
        job_id=task.id, status=task.status, dry_run=bool(task.options.get("dryRun")),
        mode=task.options.get("mode", "upsert"), total_rows=task.total_rows,
        processed_rows=task.processed_rows, created_count=task.created_count,
        updated_count=task.updated_count, unchanged_count=task.unchanged_count,
        skipped_count=task.skipped_count, error_count=task.error_count,
        errors=[ImportError_.model_validate(e) for e in task.errors], message=task.message)


def _json_form(raw: str | None, name: str) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise ImportFileInvalid(f"{name} must be a JSON object", field=name) from None
    if not isinstance(value, dict):
        raise ImportFileInvalid(f"{name} must be a JSON object", field=name)
    return value


@router.post("/import", response_model=Envelope[ImportStatus], status_code=202)
def import_(request: Request, session: SessionDep, clock: ClockDep, p: Importer,
            file: Annotated[UploadFile, File(description="CSV or XLSX, header in row 1")],
            mapping: Annotated[str | None, Form(description='JSON {"column": "field"}')] = None,
            options: Annotated[str | None, Form(description=(
                'JSON {"mode": "create|update|upsert", "updateExisting": bool, '
                '"skipInvalid": bool, "dryRun": bool}'))] = None) -> Any:
    """Queue an import job; poll ``GET /api/v1/products/import/{jobId}`` for progress."""
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileInvalid("the file is larger than 64 MiB", code="VAL_BODY_TOO_LARGE")
    if not data:
        raise ImportFileInvalid("the file is empty", field="file")
    opts = _json_form(options, "options")
    mode = opts.get("mode") or ("upsert" if opts.get("updateExisting", True) else "create")
    if mode not in MODES:
        raise ImportFileInvalid(f"mode must be one of {', '.join(MODES)}", field="options.mode",
                                code="VAL_INVALID_ENUM")
    fmt = detect_format(file.filename, data)
    task = tasks.queue_import(
        session=session, tenant_id=p.tenant_id, created_by=str(p.id), filename=file.filename,
        content_type=file.content_type, data=data, fmt=fmt,
        options={"mode": mode, "dryRun": bool(opts.get("dryRun", False)),
                 "skipInvalid": bool(opts.get("skipInvalid", True)),
                 "mapping": _json_form(mapping, "mapping") or None},
        now=clock.now())
    return ok(request, _import_status(task))


@router.get("/import/{job_id}", response_model=Envelope[ImportStatus])
def import_status(job_id: uuid.UUID, request: Request, session: SessionDep, p: Importer) -> Any:
    """Progress, counters and per-row errors (row, column, code, message) of an import."""
    return ok(request, _import_status(
        tasks.get_task(session=session, tenant_id=p.tenant_id, task_id=job_id, kind="import")))


# -- export ------------------------------------------------------------------------------------

def _export_status(task: CatalogTask) -> ExportStatus:
    done = task.status == "completed" and task.result_file_id is not None
    return ExportStatus(job_id=task.id, status=task.status,
                        download_url=f"/api/v1/products/export/{task.id}/download" if done
                        else None, expires_at=task.expires_at if done else None,
                        total_rows=task.total_rows)


@router.post("/export", response_model=Envelope[ExportStatus], status_code=202)
def export(body: ExportIn, request: Request, session: SessionDep, clock: ClockDep,
           p: Exporter) -> Any:
    """Queue an export; when done, ``downloadUrl`` serves the file for 24 hours."""
    unknown = sorted(set(body.fields or []) - {"id", "images", "createdAt", "updatedAt",
                                               *EXPORT_FIELDS})
    if unknown:
        raise ImportFileInvalid(f"unknown export fields: {', '.join(unknown)}", field="fields",
                                code="VAL_INVALID_ENUM")
    filters = body.filters.model_dump(mode="json", exclude_none=True) if body.filters else {}
    task = tasks.queue_export(session=session, tenant_id=p.tenant_id, created_by=str(p.id),
        options={"format": body.format, "filters": filters, "fields": body.fields,
                 "includeImages": body.include_images},
        now=clock.now())
    return ok(request, _export_status(task))


@router.get("/export/{job_id}", response_model=Envelope[ExportStatus])
def export_status(job_id: uuid.UUID, request: Request, session: SessionDep,
                  p: Exporter) -> Any:
    """Where an export stands, with its download link once completed."""
    return ok(request, _export_status(
        tasks.get_task(session=session, tenant_id=p.tenant_id, task_id=job_id, kind="export")))


@router.get("/export/{job_id}/download", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/json": {},
                                         FileFormat.XLSX.value: {}}}})
def export_download(job_id: uuid.UUID, session: SessionDep, clock: ClockDep,
                    p: Exporter) -> Response:
    """The exported file (CSV, XLSX or JSON)."""
    upload = tasks.export_file(session=session, tenant_id=p.tenant_id, task_id=job_id,
                              now=clock.now())
    return Response(upload.data, media_type=upload.content_type, headers={
        "Content-Disposition": f'attachment; filename="{upload.filename}"'})


# -- search ------------------------------------------------------------------------------------

@router.post("/search", response_model=Envelope[SearchOut])
def search(body: SearchIn, request: Request, session: SessionDep, clock: ClockDep,
           p: Reader) -> Any:
    """Hybrid search: full-text (diacritics-insensitive) and semantic, fused by RRF."""
    f = body.filters or SearchFiltersIn()
    result = search_products(
        session, tenant_id=p.tenant_id, query=body.query, search_type=body.search_type,
        limit=body.limit, threshold=body.threshold,
        filters=SearchFilters(f.category, _minor(f.min_price), _minor(f.max_price), f.in_stock,
                              f.status),
        include_chunks=body.include_chunks, include_embedding=body.include_embedding)
    country, now = policy(session, p.tenant_id).country, clock.now()
    hits = [SearchHitOut(product=presenters.list_item(h.row, country=country, at=now),
                         score=h.score, match_type=h.match_type,
                         matched_fields=h.matched_fields,
                         matched_chunks=[Chunk(**c) for c in h.chunks]
                         if body.include_chunks else None) for h in result.hits]
    return ok(request, SearchOut(results=hits, total_found=result.total_found,
                                 query_embedding=result.query_embedding,
                                 search_time=round(result.took_ms, 3)))
