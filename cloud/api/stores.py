"""``/api/v1/stores``: stores, their tills (fiscal device, printers) and store price lists."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import Field
from sqlalchemy import select

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import (
    ApiModel,
    Envelope,
    PageDep,
    Paginated,
    RequestModel,
    error_responses,
    ok,
    paginate,
    paginated,
)
from cloud.auth.principal import Principal
from cloud.models.stores import Store, StorePrice, Till
from cloud.services.catalog import stores as svc

router = APIRouter(prefix="/api/v1/stores", tags=["stores"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 409, 422, 429, 500)))

Reader = Annotated[Principal, require_scopes("products:read")]
Admin = Annotated[Principal, require_scopes("admin:settings")]
PriceWriter = Annotated[Principal, require_scopes("products:write")]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


class Address(RequestModel):
    street: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    county: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2)


class FiscalIds(RequestModel):
    cui: str | None = Field(default=None, max_length=12, description="Romania: CUI/CIF")
    reg_com: str | None = Field(default=None, max_length=40, description="Romania: J40/…")
    edrpou: str | None = Field(default=None, description="Ukraine: 8-digit EDRPOU")
    ipn: str | None = Field(default=None, description="Ukraine: 10/12-digit IPN")
    vat_payer: bool | None = None


class StoreFields(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: Address | None = None
    country: Literal["RO", "UA"] | None = None
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Europe/Bucharest")
    currency: Literal["RON", "UAH", "EUR"] | None = None
    fiscal_ids: FiscalIds | None = None
    settings: dict[str, Any] | None = None
    status: Literal["active", "inactive", "closed"] | None = None


class StoreIn(StoreFields):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    country: Literal["RO", "UA"]
    timezone: str


class StoreOut(ApiModel):
    id: uuid.UUID
    code: str
    name: str
    address: dict[str, Any]
    country: str
    timezone: str
    currency: str
    fiscal_ids: dict[str, Any]
    settings: dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime


def _data(body: RequestModel) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True, by_alias=False)
    for key in ("address", "fiscal_ids"):
        if data.get(key) is not None:
            data[key] = getattr(body, key).model_dump(by_alias=True, exclude_none=True)
    return data


@router.get("", response_model=Paginated[StoreOut])
def list_stores(request: Request, session: SessionDep, p: Reader, page: PageDep) -> Any:
    stmt = (select(Store).where(Store.tenant_id == p.tenant_id, Store.deleted_at.is_(None))
            .order_by(Store.code))
    rows, pagination = paginate(session, stmt, page)
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

class Connection(RequestModel):
    type: Literal["usb", "tcp", "serial", "bluetooth", "none"]
    host: str | None = Field(default=None, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    device: str | None = Field(default=None, max_length=255, description="/dev/ttyUSB0, COM3")
    baudrate: int | None = Field(default=None, ge=1200, le=921600)
    vendor_id: int | None = Field(default=None, ge=0, le=0xFFFF)
    product_id: int | None = Field(default=None, ge=0, le=0xFFFF)


class FiscalDevice(RequestModel):
    kind: Literal["none", "datecs", "checkbox"] = "none"
    model: str | None = Field(default=None, max_length=60)
    serial_number: str | None = Field(default=None, max_length=60)
    fiscal_number: str | None = Field(default=None, max_length=60)
    connection: Connection | None = None
    cash_register_id: str | None = Field(default=None, max_length=100,
                                         description="Checkbox cash register id")


class Printer(RequestModel):
    role: Literal["receipt", "label", "kitchen", "report"]
    kind: Literal["escpos", "zpl", "tspl"] = "escpos"
    name: str | None = Field(default=None, max_length=100)
    columns: int | None = Field(default=None, ge=16, le=80)
    connection: Connection


class TillFields(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    fiscal_device: FiscalDevice | None = None
    printers: list[Printer] | None = None
    settings: dict[str, Any] | None = None
    status: Literal["active", "inactive", "retired"] | None = None


class TillIn(TillFields):
    code: Code
    name: str = Field(min_length=1, max_length=200)


class TillOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    code: str
    name: str
    fiscal_device: dict[str, Any]
    printers: list[dict[str, Any]]
    settings: dict[str, Any]
    status: str
    device_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


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
    svc.get_store(session, p.tenant_id, store_id)
    stmt = (select(Till).where(Till.tenant_id == p.tenant_id, Till.store_id == store_id,
                               Till.deleted_at.is_(None)).order_by(Till.code))
    rows, pagination = paginate(session, stmt, page)
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

class PriceIn(RequestModel):
    product_id: uuid.UUID
    price: Decimal = Field(ge=0, le=Decimal(10) ** 11, decimal_places=2,
                           description="net, major units")
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class PricesIn(RequestModel):
    prices: list[PriceIn] = Field(min_length=1, max_length=1000)


class PriceOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    product_id: uuid.UUID
    price: float
    currency: str
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime


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
