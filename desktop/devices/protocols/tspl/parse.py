"""Read TSPL back into labels (tests, emulator): one label per ``PRINT``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["TsplField", "TsplLabel", "parse"]

_STR = re.compile(r'"((?:\\\["\]|[^"])*)"')


@dataclass(frozen=True)
class TsplField:
    kind: str  # text, barcode, qr, bar
    x: int
    y: int
    data: str
    option: str = ""


@dataclass
class TsplLabel:
    size: str = ""
    codepage: str = ""
    fields: list[TsplField] = field(default_factory=list)
    copies: int = 1

    def texts(self) -> list[str]:
        return [f.data for f in self.fields if f.kind == "text"]


def _unescape(s: str) -> str:
    return s.replace('\\["]', '"')


def parse(text: str) -> list[TsplLabel]:
    labels: list[TsplLabel] = []
    cur = TsplLabel()
    for raw in re.split(r"\r?\n", text):
        line = raw.strip()
        if not line:
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        strings = [_unescape(s) for s in _STR.findall(rest)]
        nums = [p.strip() for p in _STR.sub("", rest).split(",")]
        xy = [int(n) if n.lstrip("-").isdigit() else 0 for n in nums[:2]] + [0, 0]
        if word == "SIZE":
            cur.size = rest
        elif word == "CODEPAGE":
            cur.codepage = rest
        elif word == "CLS":
            cur.fields.clear()
        elif word == "TEXT" and strings:
            cur.fields.append(TsplField("text", xy[0], xy[1], strings[-1], strings[0]))
        elif word == "BARCODE" and len(strings) >= 2:
            cur.fields.append(TsplField("barcode", xy[0], xy[1], strings[-1], strings[0]))
        elif word == "QRCODE" and strings:
            cur.fields.append(TsplField("qr", xy[0], xy[1], strings[-1]))
        elif word == "BAR":
            cur.fields.append(TsplField("bar", xy[0], xy[1], rest))
        elif word == "PRINT":
            parts = [p.strip() for p in rest.split(",")]
            cur.copies = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
            labels.append(cur)
            cur = TsplLabel(size=cur.size, codepage=cur.codepage)
    return labels
