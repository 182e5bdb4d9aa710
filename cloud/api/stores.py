"""``/api/v1/stores``: stores, their tills (fiscal device, printers) and store price lists."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.models.stores import StorePrice
from cloud.schemas.common import Envelope, Paginated, RequestModel
from cloud.schemas.stores import (
    PriceOut,
    PricesIn,
    StoreFields,
    StoreIn,
    StoreOut,
    TillFields,
    TillIn,
    TillOut,
)
from cloud.services.catalog import stores as svc

router = APIRouter(prefix="/api/v1/stores", tags=["stores"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 409, 422, 429, 500)))

Reader = Annotated[Principal, require_scopes("products:read")]
Admin = Annotated[Principal, require_scopes("admin:settings")]
PriceWriter = Annotated[Principal, require_scopes("products:write")]


def _data(body: RequestModel) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True, by_alias=False)
    for key in ("address", "fiscal_ids"):
        if data.get(key) is not None:
            data[key] = getattr(body, key).model_dump(by_alias=True, exclude_none=True)
    return data


@router.get("", response_model=Paginated[StoreOut])
def list_stores(request: Request, session: SessionDep, p: Reader, page: PageDep) -> Any:
    rows, pagination = svc.list_stores(session=session, tenant_id=p.tenant_id, page=page)
    return paginated(request, [StoreOut.model_validate(s) for s in rows], pagination)


@router.post("", response_model=Envelope[StoreOut], status_code=201)
def create_store(body: StoreIn, request: Request, session: SessionDep, clock: ClockDep,
                 p: Admin) -> Any:
    """A store with address, fiscal ids, country and time zone (and its stock location)."""
    store = svc.save_store(session, tenant_id=p.tenant_id, data=_data(body), now=clock.now())
    return ok(request, StoreOut.model_validate(store))


@router.get("/{store_id}", response_model=Envelope[StoreOut])
def get_store(store_id: uuid.UUID, request: Request, session: SessionDep, p: Reader) -> Any:
    return ok(request, StoreOut.model_validate(svc.get_store(session, p.tenant_id, store_id)))


@router.patch("/{store_id}", response_model=Envelope[StoreOut])
def update_store(store_id: uuid.UUID, body: StoreFields, request: Request, session: SessionDep,
                 clock: ClockDep, p: Admin) -> Any:
    store = svc.save_store(session, tenant_id=p.tenant_id, data=_data(body), now=clock.now(),
                           store_id=store_id)
    return ok(request, StoreOut.model_validate(store))


@router.delete("/{store_id}", status_code=204, response_class=Response)
def delete_store(store_id: uuid.UUID, session: SessionDep, clock: ClockDep,
                 p: Admin) -> Response:
    """Close a store and retire its tills (tills receive tombstones)."""
    svc.delete_store(session, tenant_id=p.tenant_id, store_id=store_id, now=clock.now())
    return Response(status_code=204)


# -- tills -------------------------------------------------------------------------------------

def _till_data(body: TillFields) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True, by_alias=False)
    if body.fiscal_device is not None:
        data["fiscal_device"] = body.fiscal_device.model_dump(by_alias=True, exclude_none=True)
    if body.printers is not None:
        data["printers"] = [pr.model_dump(by_alias=True, exclude_none=True)
                            for pr in body.printers]
    return data


@router.get("/{store_id}/tills", response_model=Paginated[TillOut])
def list_tills(store_id: uuid.UUID, request: Request, session: SessionDep, p: Reader,
               page: PageDep) -> Any:
    rows, pagination = svc.list_tills(session=session, tenant_id=p.tenant_id, store_id=store_id,
                                      page=page)
    return paginated(request, [TillOut.model_validate(t) for t in rows], pagination)


@router.post("/{store_id}/tills", response_model=Envelope[TillOut], status_code=201)
def create_till(store_id: uuid.UUID, body: TillIn, request: Request, session: SessionDep,
                clock: ClockDep, p: Admin) -> Any:
    """A till with its fiscal device and printers; enrollment later binds a device to it."""
    till = svc.save_till(session, tenant_id=p.tenant_id, store_id=store_id,
                         data=_till_data(body), now=clock.now())
    return ok(request, TillOut.model_validate(till))


@router.get("/{store_id}/tills/{till_id}", response_model=Envelope[TillOut])
def get_till(store_id: uuid.UUID, till_id: uuid.UUID, request: Request, session: SessionDep,
             p: Reader) -> Any:
    return ok(request, TillOut.model_validate(svc.get_till(session, p.tenant_id, store_id,
                                                           till_id)))


@router.patch("/{store_id}/tills/{till_id}", response_model=Envelope[TillOut])
def update_till(store_id: uuid.UUID, till_id: uuid.UUID, body: TillFields, request: Request,
                session: SessionDep, clock: ClockDep, p: Admin) -> Any:
    till = svc.save_till(session, tenant_id=p.tenant_id, store_id=store_id,
                         data=_till_data(body), now=clock.now(), till_id=till_id)
    return ok(request, TillOut.model_validate(till))


@router.delete("/{store_id}/tills/{till_id}", status_code=204, response_class=Response)
def delete_till(store_id: uuid.UUID, till_id: uuid.UUID, session: SessionDep, clock: ClockDep,
                p: Admin) -> Response:
    svc.delete_till(session, tenant_id=p.tenant_id, store_id=store_id, till_id=till_id,
                    now=clock.now())
    return Response(status_code=204)


# -- store prices ------------------------------------------------------------------------------

def _price_out(sp: StorePrice) -> PriceOut:
    return PriceOut(id=sp.id, store_id=sp.store_id, product_id=sp.product_id,
                    price=sp.price / 100, currency=sp.currency, starts_at=sp.starts_at,
                    ends_at=sp.ends_at, updated_at=sp.updated_at)


@router.get("/{store_id}/prices", response_model=Envelope[list[PriceOut]])
def list_prices(store_id: uuid.UUID, request: Request, session: SessionDep, p: Reader) -> Any:
    """The store's price list (overrides of the catalog price)."""
    return ok(request, [_price_out(sp) for sp in
                        svc.list_prices(session, tenant_id=p.tenant_id, store_id=store_id)])


@router.put("/{store_id}/prices", response_model=Envelope[list[PriceOut]])
def set_prices(store_id: uuid.UUID, body: PricesIn, request: Request, session: SessionDep,
               clock: ClockDep, p: PriceWriter) -> Any:
    """Create or change store prices (one per product)."""
    rows = svc.set_prices(session, tenant_id=p.tenant_id, store_id=store_id, now=clock.now(),
                          prices=[{"product_id": x.product_id,
                                   "price": int((x.price * 100).to_integral_value()),
                                   "starts_at": x.starts_at, "ends_at": x.ends_at}
                                  for x in body.prices])
    return ok(request, [_price_out(sp) for sp in rows])


@router.delete("/{store_id}/prices/{product_id}", status_code=204, response_class=Response)
def delete_price(store_id: uuid.UUID, product_id: uuid.UUID, session: SessionDep,
                 clock: ClockDep, p: PriceWriter) -> Response:
    svc.delete_price(session, tenant_id=p.tenant_id, store_id=store_id, product_id=product_id,
                     now=clock.now())
    return Response(status_code=204)
