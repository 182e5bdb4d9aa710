"""Generated catalogs: a small curated Romanian/Ukrainian demo shop plus deterministic filler.

Used by ``tillbridge-till seed-demo``, the benchmarks and tests. Every barcode is a valid
EAN-13 (GS1 prefixes 594 Romania, 482 Ukraine); weighted products carry a scale PLU; excise
goods (spirits, beer, tobacco) are age-restricted.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from desktop.core.barcodes import gtin_check_digit
from desktop.core.catalog import ProductRecord
from desktop.core.quantity import Unit

__all__ = ["curated_products", "ean13", "generate_products", "scale_label", "vocabulary"]


def ean13(prefix: str, number: int) -> str:
    """A valid EAN-13 starting with ``prefix`` (3 digits) and ``number`` in the next 9."""
    body = f"{prefix}{number % 10**9:09d}"
    return body + str(gtin_check_digit(body))


def scale_label(plu: str, value: int, prefix: str = "20") -> str:
    """The EAN-13 a shop scale prints: ``prefix`` + 5-digit PLU + 5-digit grams/price + check."""
    body = f"{prefix}{int(plu):05d}{value:05d}"
    return body + str(gtin_check_digit(body))


# (sku, name, translations, unit, price, vat group RO, vat group UA, excise, age, plu, code)
_CURATED: tuple[tuple[str, str, dict[str, str], Unit, int, str, str, bool, bool, str | None,
                      str | None], ...] = (
    ("RO-LAPTE-15", "Lapte de vacă 1,5% 1L", {"uk": "Молоко коров'яче 1,5% 1л"}, Unit.PCS, 799,
     "reduced", "standard", False, False, None, "0401"),
    ("RO-PAINE-ALBA", "Pâine albă feliată 500g", {"uk": "Хліб білий нарізний 500г"}, Unit.PCS,
     549, "reduced", "standard", False, False, None, "1905"),
    ("RO-SOSETE-BBC", "Șosete bumbac bărbați", {"uk": "Шкарпетки бавовняні чоловічі"},
     Unit.PCS, 1999, "standard", "standard", False, False, None, "6115"),
    ("RO-BRANZA-TEL", "Brânză telemea de vacă", {"uk": "Бринза теляча"}, Unit.KG, 3290,
     "reduced", "standard", False, False, "101", "0406"),
    ("RO-MERE-IDARED", "Mere Idared", {"uk": "Яблука Айдаред"}, Unit.KG, 599, "reduced",
     "agri", False, False, "102", "0808"),
    ("RO-CASCAVAL", "Cașcaval Dalia", {"uk": "Сир Даля"}, Unit.KG, 4599, "reduced", "standard",
     False, False, "103", "0406"),
    ("RO-ZAHAR-1KG", "Zahăr tos 1kg", {"uk": "Цукор 1кг"}, Unit.PCS, 649, "reduced", "standard",
     False, False, None, "1701"),
    ("RO-TUICA-05", "Țuică de prune 0,5L", {"uk": "Цуйка сливова 0,5л"}, Unit.PCS, 4599,
     "standard", "standard", True, True, None, "2208"),
    ("RO-BERE-05", "Bere blondă 0,5L", {"uk": "Пиво світле 0,5л"}, Unit.PCS, 549, "standard",
     "standard", True, True, None, "2203"),
    ("RO-TIGARI", "Țigări Carpați", {"uk": "Сигарети Карпати"}, Unit.PCS, 2450, "standard",
     "standard", True, True, None, "2402"),
    ("RO-DETERGENT", "Detergent rufe 2L", {"uk": "Засіб для прання 2л"}, Unit.PCS, 3499,
     "standard", "standard", False, False, None, "3402"),
    ("RO-CABLU-M", "Cablu electric 2x1,5 (metru)", {"uk": "Кабель 2x1,5 (метр)"}, Unit.M, 399,
     "standard", "standard", False, False, None, "8544"),
    ("UA-HLIB-ZHYT", "Хліб житній 700г", {"ro": "Pâine de secară 700g"}, Unit.PCS, 3290,
     "reduced", "standard", False, False, None, "1905"),
    ("UA-MOLOKO-25", "Молоко 2,5% 900г", {"ro": "Lapte 2,5% 900g"}, Unit.PCS, 4299, "reduced",
     "standard", False, False, None, "0401"),
    ("UA-MYASO-YAL", "М'ясо яловиче", {"ro": "Carne de vită"}, Unit.KG, 32900, "reduced",
     "standard", False, False, "201", "0201"),
    ("UA-KOVBASA", "Ковбаса лікарська", {"ro": "Salam de vară"}, Unit.KG, 28990, "reduced",
     "standard", False, False, "202", "1601"),
    ("UA-SALO", "Сало солоне", {"ro": "Slănină sărată"}, Unit.KG, 21900, "reduced", "standard",
     False, False, "203", "0209"),
    ("UA-GRECHKA", "Гречка 1кг", {"ro": "Hrișcă 1kg"}, Unit.PCS, 5890, "reduced", "agri", False,
     False, None, "1008"),
    ("UA-OLIYA", "Олія соняшникова 0,85л", {"ro": "Ulei de floarea-soarelui 0,85L"}, Unit.PCS,
     6990, "reduced", "standard", False, False, None, "1512"),
    ("UA-GORILKA", "Горілка Хортиця 0,5л", {"ro": "Vodcă Hortița 0,5L"}, Unit.PCS, 18990,
     "standard", "standard", True, True, None, "2208"),
    ("UA-PYVO", "Пиво Львівське 0,5л", {"ro": "Bere Lvivske 0,5L"}, Unit.PCS, 3990, "standard",
     "standard", True, True, None, "2203"),
    ("UA-SYHARETY", "Сигарети Прилуки", {"ro": "Țigări Prilucky"}, Unit.PCS, 9500, "standard",
     "standard", True, True, None, "2402"),
    ("UA-PALYVO", "Бензин А-95 (літр)", {"ro": "Benzină 95 (litru)"}, Unit.L, 5599, "standard",
     "standard", True, False, None, "2710"),
    ("UA-YABLUKA", "Яблука Голден", {"ro": "Mere Golden"}, Unit.KG, 3490, "reduced", "agri",
     False, False, "204", "0808"),
    ("UA-LIKY", "Парацетамол 500мг №10", {"ro": "Paracetamol 500mg 10cp"}, Unit.PCS, 2450,
     "super_reduced", "reduced", False, False, None, "3004"),
)


def curated_products(country: str) -> list[ProductRecord]:
    """About 25 hand-written products, with VAT groups of ``country`` (``RO`` or ``UA``)."""
    ua = country.upper() == "UA"
    out = []
    for i, (sku, name, names, unit, price, g_ro, g_ua, excise, age, plu, code) in enumerate(
            _CURATED, start=1):
        gs1 = "482" if sku.startswith("UA") else "594"
        barcodes = () if plu else (ean13(gs1, 900_000_000 + i),)
        out.append(ProductRecord(sku=sku, name=name, price=price, vat_group=g_ua if ua else g_ro,
                                 unit=unit, barcodes=barcodes, excise=excise, code=code,
                                 age_restricted=age, plu=plu, names=names,
                                 category=code[:2] if code else None))
    return out


_RO_NOUNS = ("lapte iaurt brânză cașcaval unt smântână pâine covrig biscuiți napolitane "
             "ciocolată bomboane cafea ceai suc apă bere vin țuică ulei oțet zahăr făină mălai "
             "orez paste fasole mazăre porumb roșii castraveți ardei cartofi ceapă usturoi mere "
             "pere prune struguri portocale lămâi banane salam cârnați șuncă pui porc vită pește "
             "conserve pateu muștar ketchup maioneză sare piper detergent săpun șampon pastă "
             "periuță hârtie șervețele burete bec baterii cablu șosete tricou mănuși fular").split()
_RO_ADJ = ("proaspăt proaspătă bio integral degresat afumat picant dulce sărat natural clasic "
           "premium ecologic românesc tradițional light extra fin crocant cremos gustos").split()
_UA_NOUNS = ("молоко кефір сир масло сметана хліб батон печиво вафлі шоколад цукерки кава чай "
             "сік вода пиво вино горілка олія оцет цукор борошно рис макарони квасоля горох "
             "кукурудза помідори огірки перець картопля цибуля часник яблука груші сливи "
             "виноград апельсини лимони банани ковбаса сосиски шинка курка свинина яловичина "
             "риба консерви паштет гірчиця кетчуп майонез сіль мило шампунь паста щітка папір "
             "серветки губка лампа батарейки кабель шкарпетки футболка рукавички шарф м'ясо "
             "сало гречка пшоно вареники пельмені").split()
_UA_ADJ = ("свіжий свіжа органічний цільнозерновий знежирений копчений гострий солодкий "
           "солоний натуральний класичний преміум екологічний домашній традиційний легкий "
           "екстра хрусткий вершковий смачний").split()
_BRANDS = ("Napolact Zuzu Olympus Dorna Borsec Boromir Vel Pitar Ursus Timișoreana Murfatlar "
           "Prahova Cris-Tim Agricola Kaufland Галичина Простоквашино Яготинське Рошен Світоч "
           "Моршинська Оболонь Чернігівське Хортиця Олейна Щедрий Глобино Малятко").split()
_SIZES = ("100g 200g 250g 400g 500g 750g 1kg 2kg 0,33L 0,5L 0,75L 1L 1,5L 2L 6buc 10buc "
          "100г 200г 500г 1кг 0,5л 1л 2л 10шт").split()


def vocabulary() -> list[str]:
    """Every word generated names are made of (benchmarks draw search prefixes from it)."""
    return [*_RO_NOUNS, *_RO_ADJ, *_UA_NOUNS, *_UA_ADJ, *_BRANDS]


def generate_products(n: int, *, seed: int = 7, country: str = "RO",
                      start: int = 1) -> Iterator[ProductRecord]:
    """``n`` deterministic products: ~3% weighted (PLU), ~2% excise, 10% with 2 barcodes,
    half Romanian and half Ukrainian names, a quarter with a translation."""
    rng = random.Random(seed)
    ua = country.upper() == "UA"
    groups = (("standard",) * 6 + ("reduced",) * 3 + ("agri",)) if ua else \
        (("standard",) * 6 + ("reduced",) * 3 + ("super_reduced",))
    for i in range(start, start + n):
        ukr = i % 2 == 0
        nouns, adjs = (_UA_NOUNS, _UA_ADJ) if ukr else (_RO_NOUNS, _RO_ADJ)
        name = (f"{rng.choice(nouns).capitalize()} {rng.choice(adjs)} {rng.choice(_BRANDS)} "
                f"{rng.choice(_SIZES)}")
        roll = rng.random()
        weighted = roll < 0.03
        excise = 0.03 <= roll < 0.05
        prefix = "482" if ukr else "594"
        barcodes: tuple[str, ...] = ()
        if not weighted:
            barcodes = (ean13(prefix, i),)
            if i % 10 == 0:
                barcodes += (ean13("590" if not ukr else "481", i),)
        names: dict[str, str] = {}
        if i % 4 == 0:
            other = (_RO_NOUNS if ukr else _UA_NOUNS)[i % len(_RO_NOUNS)]
            names = {("ro" if ukr else "uk"): f"{other.capitalize()} {name.split()[-2]}"}
        yield ProductRecord(
            sku=f"SKU{i:08d}", name=name, price=rng.randint(99, 250_000),
            vat_group="standard" if excise else rng.choice(groups),
            unit=Unit.KG if weighted else Unit.PCS, barcodes=barcodes, excise=excise,
            age_restricted=excise, plu=f"{10000 + i % 90000}" if weighted else None,
            names=names, category=f"C{i % 50:02d}", code=f"{2200 + i % 700}" if excise else None)
