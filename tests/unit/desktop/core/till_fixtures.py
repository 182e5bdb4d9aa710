"""Shared data for till core tests: a small catalog with valid EAN-13s and a till factory."""

from __future__ import annotations

from pathlib import Path

from desktop.core import PinHasher, ProductRecord, Till, TillSettings, Unit
from desktop.store import SqliteStorage
from shared.clock import ManualClock

PINS = PinHasher(fast=True)

# EAN-13s with valid check digits
MILK = "4820000000017"
BREAD = "4820000000024"
VODKA = "4820000000031"
SOCKS = "5940000000011"
OLD_ITEM = "5940000000028"

CATALOG = [
    ProductRecord("MILK", "Молоко 2,5%", 4299, "reduced", barcodes=(MILK,)),
    ProductRecord("BREAD", "Хліб житній", 2950, "standard", barcodes=(BREAD, "2900000000001")),
    ProductRecord("VODKA", "Горілка 0,5л", 18990, "standard", barcodes=(VODKA,), excise=True,
                  age_restricted=True, code="2208"),
    ProductRecord("SOCKS", "Șosete bumbac", 1999, "standard", barcodes=(SOCKS,),
                  names={"uk": "Шкарпетки бавовняні"}),
    ProductRecord("CHEESE", "Сир твердий", 32050, "standard", unit=Unit.KG, plu="123"),
    ProductRecord("MEAT", "М'ясо яловиче", 25000, "standard", unit=Unit.KG, plu="124",
                  names={"ro": "Carne de vită"}),
    ProductRecord("CABLE", "Cablu 2x1,5", 399, "standard", unit=Unit.M),
    ProductRecord("OLD", "Produs retras", 100, "standard", barcodes=(OLD_ITEM,), active=False),
]


def make_till(path: Path, clock: ManualClock, country: str = "UA", **overrides: object) -> Till:
    settings = TillSettings.for_country(country, store_code="S1", till_code="T2", **overrides)
    return Till(SqliteStorage(path), settings, clock=clock, pins=PINS)
