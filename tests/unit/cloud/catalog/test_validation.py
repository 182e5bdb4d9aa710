"""Product field validation: VAT from the dated table, money, barcodes, required fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cloud.services.catalog.validation import (
    CREATE_REQUIRED,
    ValidationContext,
    barcode_kind,
    resolve_vat,
    validate_fields,
)

RO_2026 = ValidationContext("RO", date(2026, 1, 10))
RO_2025_JULY = ValidationContext("RO", date(2025, 7, 31))
UA = ValidationContext("UA", date(2026, 1, 10), default_currency="UAH")
GOOD = {"sku": "SOS-1", "name": "Șosete bărbați", "category": "Îmbrăcăminte",
        "price": "12,50", "vatRate": "21", "unit": "pereche"}


def codes(errors: list) -> dict[str, str]:
    return {e.field: e.code for e in errors}


def test_a_good_row_becomes_stored_values() -> None:
    values, errors = validate_fields(GOOD, RO_2026, required=CREATE_REQUIRED)
    assert errors == []
    assert values["price"] == 1250 and values["vat_group"] == "standard"
    assert values["vat_rate"] == Decimal(21)


@pytest.mark.parametrize(("ctx", "rate", "group"), [
    (RO_2026, "21", "standard"), (RO_2026, "11", "reduced"), (RO_2026, "0", "zero"),
    (RO_2025_JULY, "19", "standard"), (RO_2025_JULY, "5", "super_reduced"),
    (UA, "20", "standard"), (UA, "14", "agri"),
])
def test_rates_follow_the_table_valid_on_the_day(ctx: ValidationContext, rate: str,
                                                 group: str) -> None:
    assert resolve_vat(ctx, rate=Decimal(rate), group=None)[0] == group


@pytest.mark.parametrize("rate", ["19", "9.5", "5"])
def test_romania_refuses_rates_abolished_on_2025_08_01(rate: str) -> None:
    _values, errors = validate_fields({**GOOD, "vatRate": rate}, RO_2026,
                                      required=CREATE_REQUIRED)
    assert codes(errors) == {"vatRate": "VAL_INVALID_ENUM"}
    assert "allowed: 0, 9, 11, 21" in errors[0].message


def test_group_and_rate_must_agree() -> None:
    _v, errors = validate_fields({**GOOD, "vatGroup": "reduced", "vatRate": "21"}, RO_2026)
    assert codes(errors) == {"vatGroup": "VAL_INVALID_ENUM"}
    values, errors = validate_fields({**GOOD, "vatGroup": "reduced", "vatRate": None}, RO_2026)
    assert errors == [] and values["vat_rate"] == Decimal(11)


def test_every_bad_field_is_reported_with_its_column_name() -> None:
    raw = {"sku": "bad sku!", "name": "", "price": "abc", "vatRate": "21", "unit": "buc",
           "barcodes": "5901234123458", "ageRestriction": "40", "customsCode": "12ab"}
    _v, errors = validate_fields(raw, RO_2026, required=CREATE_REQUIRED,
                                 columns={"price": "Pret", "sku": "Cod"})
    assert codes(errors) == {
        "Cod": "VAL_INVALID_FORMAT", "name": "VAL_REQUIRED_FIELD", "category":
        "VAL_REQUIRED_FIELD", "Pret": "VAL_INVALID_FORMAT", "barcodes": "VAL_INVALID_FORMAT",
        "ageRestriction": "VAL_OUT_OF_RANGE", "customsCode": "VAL_INVALID_FORMAT"}


def test_partial_updates_need_no_required_fields() -> None:
    values, errors = validate_fields({"price": Decimal("3.5")}, RO_2026)
    assert errors == [] and values == {"price": 350}


@pytest.mark.parametrize(("code", "kind"), [("5901234123457", "ean13"), ("96385074", "ean8"),
                                            ("036000291452", "upc"), ("ABC-123", "internal")])
def test_barcode_kinds(code: str, kind: str) -> None:
    assert barcode_kind(code) == kind


def test_quantities_keep_three_decimals_and_print_plainly() -> None:
    values, errors = validate_fields({"minStock": "10", "weight": "0,250"}, RO_2026)
    assert errors == [] and str(values["min_stock"]) == "10" and str(values["weight"]) == "0.25"
    _v, errors = validate_fields({"minStock": "1.2345"}, RO_2026)
    assert codes(errors) == {"minStock": "VAL_OUT_OF_RANGE"}


def test_unknown_fields_and_bad_translations_are_refused() -> None:
    _v, errors = validate_fields({"colour": "red", "translations": {"ukr": {"name": "x"}}},
                                 RO_2026)
    assert codes(errors) == {"colour": "VAL_INVALID_FORMAT", "translations": "VAL_INVALID_FORMAT"}
