"""Product field validation shared by the API (JSON values) and import (spreadsheet text).

Why one validator for both: an imported row and a POSTed product must be held to the same rules,
and a bad row must be rejected whole before anything is written. Values arrive either typed
(``Decimal``, ``int``, ``list``) or as text; each parser accepts both and returns the stored form
(money in integer minor units, quantities as ``Decimal``).

VAT is checked against the dated table of the tenant's country (``shared.tax``), not a fixed
list: in Romania 19% is refused for today's sales and 21/11 are accepted since 2025-08-01.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from cloud.services.catalog.errors import FieldError
from shared.money import CURRENCIES, MoneyError, parse_amount
from shared.tax import TaxError, rate_for, table_for

__all__ = [
    "CREATE_REQUIRED",
    "FIELDS",
    "STATUSES",
    "ValidationContext",
    "barcode_kind",
    "resolve_vat",
    "validate_fields",
]

STATUSES = ("active", "inactive", "discontinued")
# When a rate maps to several groups, the first listed wins (11% in RO is "reduced").
_GROUP_PREFERENCE = ("standard", "reduced", "super_reduced", "agri", "housing", "zero", "exempt")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")
_LANG = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
_INTERNAL_CODE = re.compile(r"^[A-Za-z0-9._\-]{1,48}$")
_QTY_PLACES = 3
# Specifications are stored with the product and sent on every read: held to a size.
_SPEC_KEYS = 500
_SPEC_BYTES = 64 * 1024


@dataclass(frozen=True)
class ValidationContext:
    """What validation depends on: the tenant's country and the day the rates must hold."""

    country: str
    today: date
    default_currency: str = "RON"


class _Bad(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# C0 controls but tab, newline and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _text(max_len: int, *, required: bool = False) -> Callable[[Any, ValidationContext], Any]:
    def parse(v: Any, _ctx: ValidationContext) -> str | None:
        if _blank(v):
            if required:
                raise _Bad("VAL_REQUIRED_FIELD", "is required")
            return None
        if not isinstance(v, str | int) or isinstance(v, bool):
            raise _Bad("VAL_INVALID_FORMAT", "must be text")
        s = str(v).strip()
        if len(s) > max_len:
            raise _Bad("VAL_OUT_OF_RANGE", f"must be at most {max_len} characters")
        if _CONTROL.search(s):
            # NUL cannot be stored in PostgreSQL text; other control bytes break receipts.
            raise _Bad("VAL_INVALID_FORMAT", "must not contain control characters")
        return s

    return parse


def _sku(v: Any, ctx: ValidationContext) -> str:
    s = _text(64, required=True)(v, ctx)
    if not _SKU.match(s):
        raise _Bad("VAL_INVALID_FORMAT", "letters, digits and . _ / - only, starting alphanumeric")
    return s


def _decimal(v: Any) -> Decimal:
    if isinstance(v, bool) or isinstance(v, float):
        # JSON numbers reach us as Decimal (pydantic); a float here is a programming error.
        v = repr(v)
    try:
        d = Decimal(str(v).strip().replace(",", ".")) if not isinstance(v, Decimal) else v
    except (InvalidOperation, ValueError):
        raise _Bad("VAL_INVALID_FORMAT", "must be a number") from None
    if not d.is_finite():
        raise _Bad("VAL_INVALID_FORMAT", "must be a finite number")
    return d


def _quantity(*, required: bool = False) -> Callable[[Any, ValidationContext], Any]:
    def parse(v: Any, _ctx: ValidationContext) -> Decimal | None:
        if _blank(v):
            if required:
                raise _Bad("VAL_REQUIRED_FIELD", "is required")
            return None
        d = _decimal(v)
        if d < 0:
            raise _Bad("VAL_OUT_OF_RANGE", "must be zero or more")
        if d >= Decimal(10) ** 12:  # before quantize: 1e30 has too many digits to quantize
            raise _Bad("VAL_OUT_OF_RANGE", "is too large")
        if d != d.quantize(Decimal(1).scaleb(-_QTY_PLACES)):
            raise _Bad("VAL_OUT_OF_RANGE", f"at most {_QTY_PLACES} decimals")
        return _plain(d)

    return parse


def _plain(d: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (10, not 1E+1)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _money(*, required: bool = False) -> Callable[[Any, ValidationContext], Any]:
    def parse(v: Any, ctx: ValidationContext) -> int | None:
        if _blank(v):
            if required:
                raise _Bad("VAL_REQUIRED_FIELD", "is required")
            return None
        raw = _decimal(v) if not isinstance(v, str) else v.strip()
        try:
            minor = parse_amount(raw, ctx.default_currency)
        except MoneyError as exc:
            raise _Bad("VAL_INVALID_FORMAT", str(exc)) from None
        if minor < 0:
            raise _Bad("VAL_OUT_OF_RANGE", "must be zero or more")
        if minor >= 10**13:
            raise _Bad("VAL_OUT_OF_RANGE", "is too large")
        return minor

    return parse


def _currency(v: Any, ctx: ValidationContext) -> str:
    if _blank(v):
        return ctx.default_currency
    code = str(v).strip().upper()
    if code not in CURRENCIES:
        raise _Bad("VAL_INVALID_ENUM", f"must be one of {', '.join(sorted(CURRENCIES))}")
    return code


def _status(v: Any, _ctx: ValidationContext) -> str | None:
    if _blank(v):
        return None
    s = str(v).strip().lower()
    if s not in STATUSES:
        raise _Bad("VAL_INVALID_ENUM", f"must be one of {', '.join(STATUSES)}")
    return s


def _bool(v: Any, _ctx: ValidationContext) -> bool | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in {"1", "true", "yes", "da", "y", "так"}:
        return True
    if s in {"0", "false", "no", "nu", "n", "ні"}:
        return False
    raise _Bad("VAL_INVALID_FORMAT", "must be true or false")


def _age(v: Any, _ctx: ValidationContext) -> int | None:
    if _blank(v):
        return None
    d = _decimal(v)
    if d != d.to_integral_value() or not 0 <= d <= 25:
        raise _Bad("VAL_OUT_OF_RANGE", "must be a whole number of years from 0 to 25")
    return int(d) or None


def _customs(v: Any, _ctx: ValidationContext) -> str | None:
    """UKTZED (Ukraine, 10 digits) or the EU Combined Nomenclature (8 digits); 4+ accepted."""
    if _blank(v):
        return None
    digits = re.sub(r"[\s.]", "", str(v))
    if not digits.isdigit() or not 4 <= len(digits) <= 10:
        raise _Bad("VAL_INVALID_FORMAT", "must be 4 to 10 digits (UKTZED / NC code)")
    return digits


def _listish(v: Any) -> list[str]:
    if isinstance(v, list | tuple):
        return [str(x).strip() for x in v if not _blank(x)]
    return [p.strip() for p in re.split(r"[,;|]", str(v)) if p.strip()]


def _tags(v: Any, _ctx: ValidationContext) -> list[str] | None:
    if v is None:
        return None
    tags = _listish(v) if not _blank(v) else []
    if any(len(t) > 50 for t in tags) or len(tags) > 50:
        raise _Bad("VAL_OUT_OF_RANGE", "at most 50 tags of 50 characters")
    return list(dict.fromkeys(tags))


def _gtin_ok(code: str) -> bool:
    digits = [int(c) for c in code]
    check = digits.pop()
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10 == check


def barcode_kind(code: str) -> str:
    """``ean8``/``upc``/``ean13``/``gtin14`` for GTINs (check digit verified), else ``internal``."""
    if code.isdigit() and len(code) in (8, 12, 13, 14):
        if not _gtin_ok(code):
            raise _Bad("VAL_INVALID_FORMAT", f"barcode {code} has a wrong check digit")
        return {8: "ean8", 12: "upc", 13: "ean13", 14: "gtin14"}[len(code)]
    if not _INTERNAL_CODE.match(code):
        raise _Bad("VAL_INVALID_FORMAT", f"barcode {code!r} has characters a scanner cannot send")
    return "internal"


def _barcodes(v: Any, _ctx: ValidationContext) -> list[str] | None:
    if v is None:
        return None
    codes = list(dict.fromkeys(_listish(v))) if not _blank(v) else []
    if len(codes) > 20:
        raise _Bad("VAL_OUT_OF_RANGE", "at most 20 barcodes per product")
    for code in codes:
        barcode_kind(code)
    return codes


def _json_object(v: Any, _ctx: ValidationContext) -> dict[str, Any] | None:
    if _blank(v):
        return None
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            raise _Bad("VAL_INVALID_FORMAT", "must be a JSON object") from None
    if not isinstance(v, dict):
        raise _Bad("VAL_INVALID_FORMAT", "must be an object")
    return v


def _dimensions(v: Any, ctx: ValidationContext) -> dict[str, Any] | None:
    obj = _json_object(v, ctx)
    if obj is None:
        return None
    out: dict[str, Any] = {}
    for key in ("length", "width", "height"):
        if key not in obj:
            raise _Bad("VAL_REQUIRED_FIELD", f"dimensions.{key} is required")
        d = _decimal(obj[key])
        if d < 0:
            raise _Bad("VAL_OUT_OF_RANGE", f"dimensions.{key} must be zero or more")
        out[key] = str(d)
    unit = obj.get("unit") or "cm"
    if unit not in ("cm", "m"):
        raise _Bad("VAL_INVALID_ENUM", "dimensions.unit must be cm or m")
    out["unit"] = unit
    return out


def _specifications(v: Any, ctx: ValidationContext) -> dict[str, Any] | None:
    obj = _json_object(v, ctx)
    if obj is None:
        return None if v is None else {}  # a blank cell means "none"
    if len(obj) > _SPEC_KEYS:
        raise _Bad("VAL_OUT_OF_RANGE", f"at most {_SPEC_KEYS} specifications")
    for key, val in obj.items():
        if not isinstance(val, str | int | float | Decimal) or isinstance(val, bool):
            raise _Bad("VAL_INVALID_FORMAT", f"specifications.{key} must be text or a number")
        if len(str(key)) > 100:
            raise _Bad("VAL_OUT_OF_RANGE", "specification names are at most 100 characters")
        if not isinstance(val, str) and not abs(val) <= 10**15:
            raise _Bad("VAL_OUT_OF_RANGE", f"specifications.{key} is too large")
    if len(json.dumps(obj, default=str, ensure_ascii=False).encode()) > _SPEC_BYTES:
        raise _Bad("VAL_OUT_OF_RANGE", f"specifications are at most {_SPEC_BYTES // 1024} KiB")
    return {k: (str(val) if isinstance(val, Decimal) else val) for k, val in obj.items()}


def _translations(v: Any, ctx: ValidationContext) -> dict[str, dict[str, str]] | None:
    obj = _json_object(v, ctx)
    if obj is None:
        return None if v is None else {}  # a blank cell means "none"
    out: dict[str, dict[str, str]] = {}
    for lang, texts in obj.items():
        if not _LANG.match(str(lang)):
            raise _Bad("VAL_INVALID_FORMAT", f"translation language {lang!r} is not like 'uk'")
        if not isinstance(texts, dict):
            raise _Bad("VAL_INVALID_FORMAT", f"translations.{lang} must be an object")
        allowed = {"name", "description", "shortDescription"}
        if set(texts) - allowed:
            raise _Bad("VAL_INVALID_FORMAT", f"translations.{lang} allows {sorted(allowed)}")
        out[str(lang)] = {k: str(t) for k, t in texts.items() if not _blank(t)}
    return out


def _vat_rate(v: Any, _ctx: ValidationContext) -> Decimal | None:
    if _blank(v):
        return None
    d = _decimal(v)
    if not 0 <= d < 100:
        raise _Bad("VAL_OUT_OF_RANGE", "must be a percentage from 0 to 100")
    return d


def _vat_group(v: Any, _ctx: ValidationContext) -> str | None:
    return None if _blank(v) else str(v).strip().lower()


# wire name → (stored name, parser). Stored names are the model's column names.
FIELDS: dict[str, tuple[str, Callable[[Any, ValidationContext], Any]]] = {
    "sku": ("sku", _sku),
    "name": ("name", _text(300, required=True)),
    "description": ("description", _text(20_000)),
    "shortDescription": ("short_description", _text(1000)),
    "category": ("category", _text(200)),
    "subcategory": ("subcategory", _text(200)),
    "price": ("price", _money(required=True)),
    "currency": ("currency", _currency),
    "vatRate": ("vat_rate", _vat_rate),
    "vatGroup": ("vat_group", _vat_group),
    "costPrice": ("cost_price", _money()),
    "unit": ("unit", _text(16, required=True)),
    "weight": ("weight", _quantity()),
    "dimensions": ("dimensions", _dimensions),
    "stock": ("stock", _quantity()),
    "minStock": ("min_stock", _quantity()),
    "reorderPoint": ("reorder_point", _quantity()),
    "specifications": ("specifications", _specifications),
    "tags": ("tags", _tags),
    "status": ("status", _status),
    "barcodes": ("barcodes", _barcodes),
    "excise": ("excise", _bool),
    "customsCode": ("customs_code", _customs),
    "ageRestriction": ("age_restriction", _age),
    "translations": ("translations", _translations),
}
CREATE_REQUIRED = ("sku", "name", "category", "price", "unit")


def resolve_vat(ctx: ValidationContext, *, rate: Decimal | None,
                group: str | None) -> tuple[str, Decimal]:
    """The (group, rate) pair valid today in the tenant's country, or ``_Bad``."""
    found = _resolve_cached(ctx.country, ctx.today, rate, group)
    if isinstance(found, _Bad):
        raise found
    return found


@lru_cache(maxsize=1024)
def _resolve_cached(country: str, today: date, rate: Decimal | None,
                    group: str | None) -> tuple[str, Decimal] | _Bad:
    """Imports ask the same few questions thousands of times: remember the answers."""
    try:
        return _resolve(ValidationContext(country, today), rate=rate, group=group)
    except _Bad as bad:
        return bad


def _resolve(ctx: ValidationContext, *, rate: Decimal | None,
             group: str | None) -> tuple[str, Decimal]:
    if group is not None:
        try:
            actual = rate_for(ctx.country, group, ctx.today)
        except TaxError as exc:
            raise _Bad("VAL_INVALID_ENUM", str(exc)) from None
        if rate is not None and rate != actual:
            raise _Bad("VAL_INVALID_ENUM", f"VAT group {group} is {actual}% on {ctx.today}, "
                                           f"not {rate}%")
        return group, actual
    if rate is None:
        raise _Bad("VAL_REQUIRED_FIELD", "vatRate or vatGroup is required")
    try:
        table = table_for(ctx.country, ctx.today)
    except TaxError as exc:
        raise _Bad("VAL_INVALID_ENUM", str(exc)) from None
    matches = [g for g, r in table.rates.items() if r == rate]
    if not matches:
        allowed = ", ".join(str(r) for r in sorted(set(table.rates.values())))
        raise _Bad("VAL_INVALID_ENUM",
                   f"VAT rate {rate}% is not valid in {ctx.country} on {ctx.today} "
                   f"(allowed: {allowed})")
    matches.sort(key=lambda g: _GROUP_PREFERENCE.index(g) if g in _GROUP_PREFERENCE else 99)
    return matches[0], table.rates[matches[0]]


def validate_fields(raw: Mapping[str, Any], ctx: ValidationContext, *,
                    required: tuple[str, ...] = (),
                    columns: Mapping[str, str] | None = None,
                    ) -> tuple[dict[str, Any], list[FieldError]]:
    """Parse the wire fields present in ``raw``; return stored values and every error found.

    ``required`` lists wire fields that must be present and non-blank (creation). VAT is
    resolved into ``vat_group`` whenever ``vatRate`` or ``vatGroup`` is given (or required).
    ``columns`` renames wire fields in error reports (an import reports the file's column).
    """
    out: dict[str, Any] = {}
    errors: list[FieldError] = []
    names = columns or {}
    if "currency" in raw:
        # Amounts are parsed with the product's own currency (its number of decimals).
        try:
            ctx = replace(ctx, default_currency=_currency(raw["currency"], ctx))
        except _Bad:
            pass  # reported below with the field
    for name, value in raw.items():
        spec = FIELDS.get(name)
        if spec is None:
            errors.append(FieldError(names.get(name, name), "VAL_INVALID_FORMAT",
                                     f"unknown field {name}"))
            continue
        try:
            parsed = spec[1](value, ctx)
        except _Bad as bad:
            errors.append(FieldError(names.get(name, name), bad.code, f"{name} {bad.message}"))
            continue
        if parsed is None and name in required:
            continue  # reported as missing below
        out[spec[0]] = parsed
    for name in required:
        if FIELDS[name][0] not in out and not any(
                e.field == names.get(name, name) for e in errors):
            errors.append(FieldError(names.get(name, name), "VAL_REQUIRED_FIELD",
                                     f"{name} is required"))

    def where(name: str) -> str:
        return names.get(name, name)

    rate, group = out.pop("vat_rate", None), out.pop("vat_group", None)
    vat_given = any(k in raw and not _blank(raw[k]) for k in ("vatRate", "vatGroup"))
    if vat_given or required:
        field = "vatGroup" if "vatGroup" in raw and not _blank(raw["vatGroup"]) else "vatRate"
        if not any(e.field == where(field) for e in errors):
            try:
                out["vat_group"], out["vat_rate"] = resolve_vat(ctx, rate=rate, group=group)
            except _Bad as bad:
                errors.append(FieldError(where(field), bad.code, f"{field}: {bad.message}"))
    return out, errors
