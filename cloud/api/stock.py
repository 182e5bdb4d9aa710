"""``/api/v1/stock``: levels, movements, adjust, reserve and release (seed 001 §6)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.products import actor_of
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.errors import InvalidInput
from cloud.schemas.common import Envelope, IsoDateTime, OffsetPagination, Paginated
from cloud.schemas.stock import (
    AdjustIn,
    AdjustOut,
    AlertOut,
    By,
    MovementOut,
    MovementSummary,
    Ref,
    ReleasedItemOut,
    ReleaseOut,
    ReservationOut,
    ReservedItemOut,
    ReserveIn,
    ReserveOut,
    StockItemOut,
    StockSettingsIn,
    StockSettingsOut,
    WarningOut,
)
from cloud.services.catalog.products import get_product
from cloud.services.catalog.settings import policy, save_policy
from cloud.services.stock import levels, queries, reservations

router = APIRouter(prefix="/api/v1/stock", tags=["stock"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 409, 410, 422, 429,
                                                       500)))

Reader = Annotated[Principal, require_scopes("products:read")]
Writer = Annotated[Principal, require_scopes("products:write")]
Negotiator = Annotated[Principal, require_scopes("negotiations:write")]
Admin = Annotated[Principal, require_scopes("admin:settings")]


def _pages(page: PageDep, total: int) -> OffsetPagination:
    pages = -(-total // page.limit) if total else 0
    return OffsetPagination(page=page.page, limit=page.limit, total=total, total_pages=pages,
                            has_next=page.page < pages, has_previous=page.page > 1)


def _settings_out(pol: Any) -> StockSettingsOut:
    return StockSettingsOut(allow_negative_stock=pol.allow_negative_stock, country=pol.country,
                            currency=pol.currency)


@router.get("/settings", response_model=Envelope[StockSettingsOut])
def get_settings(request: Request, session: SessionDep, p: Reader) -> Any:
    """The tenant's catalog policy: negative stock allowed?, VAT country, currency."""
    return ok(request, _settings_out(policy(session, p.tenant_id)))


@router.put("/settings", response_model=Envelope[StockSettingsOut])
def put_settings(body: StockSettingsIn, request: Request, session: SessionDep,
                 p: Admin) -> Any:
    """Change the catalog policy (admins)."""
    pol = save_policy(session, p.tenant_id, country=body.country, currency=body.currency,
                      allow_negative_stock=body.allow_negative_stock)
    return ok(request, _settings_out(pol))


@router.get("", response_model=Paginated[StockItemOut])
def list_stock(request: Request, session: SessionDep, clock: ClockDep, p: Reader,
               page: PageDep, product_id: Annotated[uuid.UUID | None,
                                                    Query(alias="productId")] = None,
               sku: str | None = None, category: str | None = None,
               status: Literal["in_stock", "low_stock", "out_of_stock", "reserved"] | None = None,
               below_reorder_point: Annotated[bool | None,
                                              Query(alias="belowReorderPoint")] = None,
               has_reservations: Annotated[bool | None, Query(alias="hasReservations")] = None,
               location_id: Annotated[uuid.UUID | None, Query(alias="locationId")] = None,
               ) -> Any:
    """Stock per product (summed over locations, or one ``locationId``) with reservations."""
    now = clock.now()
    reservations.expire_due(session, tenant_id=p.tenant_id, now=now)  # lazy sweep
    rows, total = queries.list_stock(
        session, tenant_id=p.tenant_id,
        filters=queries.StockFilters(product_id, sku, category, status, below_reorder_point,
                                     has_reservations, location_id),
        page=page.page, limit=page.limit, now=now)
    items = [StockItemOut(
        product_id=r.product.id, sku=r.product.sku, name=r.product.name,
        total_stock=float(r.on_hand), reserved_stock=float(r.reserved),
        available_stock=float(r.available), min_stock=float(r.product.min_stock),
        reorder_point=float(r.product.reorder_point), status=r.status,
        status_label=r.status_label,
        active_reservations=[ReservationOut(
            id=x["id"], negotiation_id=x["negotiationId"], negotiation_ref=x["negotiationRef"],
            quantity=float(x["quantity"]), expires_at=x["expiresAt"]) for x in r.reservations],
        last_movement=MovementSummary(type=r.last_movement["type"],
                                      quantity=float(r.last_movement["quantity"]),
                                      date=r.last_movement["date"],
                                      reason=r.last_movement["reason"])
        if r.last_movement else None,
        alerts=[AlertOut(**a) for a in r.alerts(now)],
        updated_at=r.product.updated_at) for r in rows]
    return paginated(request, items, _pages(page, total))


@router.get("/{product_id}/movements", response_model=Paginated[MovementOut])
def movements(product_id: uuid.UUID, request: Request, session: SessionDep, p: Reader,
              page: PageDep,
              type: Literal["in", "out", "adjustment", "reservation", "release", "sale"] | None
              = None,
              date_from: Annotated[IsoDateTime | None, Query(alias="dateFrom")] = None,
              date_to: Annotated[IsoDateTime | None, Query(alias="dateTo")] = None) -> Any:
    """The product's ledger, newest first."""
    get_product(session, tenant_id=p.tenant_id, product_id=product_id, include_deleted=True)
    rows, total = queries.list_movements(
        session, tenant_id=p.tenant_id, product_id=product_id,
        filters=queries.MovementFilters(type, date_from, date_to), page=page.page,
        limit=page.limit)
    items = [MovementOut(
        id=m.id, product_id=m.product_id, location_id=m.location_id, type=m.type,
        type_label=queries.type_label(m.type), quantity=float(m.quantity),
        previous_stock=float(m.previous_stock), new_stock=float(m.new_stock), reason=m.reason,
        reference=Ref(type=m.reference_type, id=m.reference_id, name=m.reference_name),
        created_at=m.created_at,
        created_by=By(type=m.created_by_type, id=m.created_by_id, name=m.created_by_name))
        for m in rows]
    return paginated(request, items, _pages(page, total))


@router.post("/{product_id}/adjust", response_model=Envelope[AdjustOut])
def adjust(product_id: uuid.UUID, body: AdjustIn, request: Request, session: SessionDep,
           clock: ClockDep, p: Writer) -> Any:
    """Set, add or subtract stock; refused below the reserved quantity unless allowed."""
    product = get_product(session, tenant_id=p.tenant_id, product_id=product_id)
    reservations.expire_due(session, tenant_id=p.tenant_id, now=clock.now(),
                            product_ids=[product.id])
    reason = body.reason if not body.notes else f"{body.reason} ({body.notes})"
    res = levels.adjust(
        session, tenant_id=p.tenant_id, product=product, kind=body.type, quantity=body.quantity,
        reason=reason, reference=levels.Reference(body.reference_type or "manual",
                                                  body.reference_id, None),
        actor=actor_of(p), now=clock.now(), location_id=body.location_id,
        allow_negative=policy(session, p.tenant_id).allow_negative_stock)
    return ok(request, AdjustOut(product_id=res.product_id, sku=res.sku,
                                 previous_stock=float(res.previous),
                                 adjustment=float(res.adjustment), new_stock=float(res.new),
                                 movement_id=res.movement_id,
                                 alerts=[AlertOut(**a) for a in res.alerts],
                                 updated_at=res.updated_at))


@router.post("/reserve", response_model=Envelope[ReserveOut], status_code=201)
def reserve(body: ReserveIn, request: Request, session: SessionDep, clock: ClockDep,
            p: Negotiator) -> Any:
    """Hold stock for a negotiation; all-or-nothing unless ``allowPartial``."""
    now = clock.now()
    ids = [i.product_id for i in body.items]
    if len(set(ids)) != len(ids):
        raise InvalidInput("each product may appear once", field="items")
    items = [reservations.ReserveItem(get_product(session, tenant_id=p.tenant_id,
                                                  product_id=i.product_id), i.quantity)
             for i in body.items]
    res = reservations.reserve(
        session, tenant_id=p.tenant_id, negotiation_id=body.negotiation_id, items=items,
        expires_in=timedelta(minutes=body.expires_in), now=now, actor=actor_of(p),
        notes=body.notes, location_id=body.location_id, allow_partial=body.allow_partial)
    return ok(request, ReserveOut(
        reservation_id=res.reservation.id, negotiation_id=res.reservation.negotiation_id,
        items=[ReservedItemOut(product_id=ln.product_id, sku=ln.sku,
                               requested_quantity=float(ln.requested),
                               reserved_quantity=float(ln.reserved),
                               shortfall=float(ln.shortfall)) for ln in res.lines],
        expires_at=res.reservation.expires_at,
        warnings=[WarningOut(**w) for w in res.warnings], created_at=now))


@router.delete("/reservations/{reservation_id}", response_model=Envelope[ReleaseOut])
def release(reservation_id: uuid.UUID, request: Request, session: SessionDep, clock: ClockDep,
            p: Negotiator) -> Any:
    """Give the reserved stock back."""
    now = clock.now()
    res = reservations.release(session, tenant_id=p.tenant_id, reservation_id=reservation_id,
                               actor=actor_of(p), now=now)
    return ok(request, ReleaseOut(
        reservation_id=res.reservation.id, negotiation_id=res.reservation.negotiation_id,
        released_items=[ReleasedItemOut(product_id=pid, sku=sku, quantity=float(q))
                        for pid, sku, q in res.lines],
        released_at=res.reservation.released_at or now))
