"""``~HS`` host status: the request, the printer's three-line answer, and parsing it.

Answer: three lines ``STX … ETX CR LF`` of comma-separated fields (reference/devices.md §4).
Line 1 ``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l`` (b paper out, c paused, eee formats queued,
f buffer full, k under-temperature, l over-temperature); line 2 ``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www``
(o head up, p ribbon out, uuuuuuuu labels remaining in batch); line 3 ``xxxx,y``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HOST_STATUS", "ZplStatus", "encode_host_status", "parse_host_status"]

HOST_STATUS = b"~HS"
STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True)
class ZplStatus:
    paper_out: bool = False
    paused: bool = False
    head_up: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    over_temperature: bool = False
    under_temperature: bool = False
    formats_queued: int = 0
    labels_remaining: int = 0

    @property
    def ready(self) -> bool:
        """Ready = no paper out, pause, head up or ribbon out."""
        return not (self.paper_out or self.paused or self.head_up or self.ribbon_out)


def encode_host_status(s: ZplStatus, *, label_length: int = 320) -> bytes:
    """The three lines a printer in state ``s`` answers (used by the emulator)."""
    line1 = (f"030,{int(s.paper_out)},{int(s.paused)},{label_length:04d},"
             f"{s.formats_queued:03d},{int(s.buffer_full)},0,0,000,0,"
             f"{int(s.under_temperature)},{int(s.over_temperature)}")
    line2 = (f"000,0,{int(s.head_up)},{int(s.ribbon_out)},0,2,4,0,"
             f"{s.labels_remaining:08d},1,000")
    line3 = "1234,0"
    return b"".join(STX + ln.encode("ascii") + ETX + b"\r\n" for ln in (line1, line2, line3))


def parse_host_status(data: bytes) -> ZplStatus:
    """Parse the answer; ValueError when it is not three framed lines."""
    text = data.decode("ascii", "replace")
    lines = [ln.strip("\x02\x03\r\n ") for ln in text.split("\x03") if ln.strip("\x02\r\n ")]
    if len(lines) < 2:
        raise ValueError("~HS answer must have three STX/ETX lines")
    one, two = lines[0].split(","), lines[1].split(",")
    if len(one) < 12 or len(two) < 11:
        raise ValueError("~HS answer has too few fields")
    try:
        return ZplStatus(
            paper_out=one[1] == "1", paused=one[2] == "1", formats_queued=int(one[4]),
            buffer_full=one[5] == "1", under_temperature=one[10] == "1",
            over_temperature=one[11] == "1", head_up=two[2] == "1", ribbon_out=two[3] == "1",
            labels_remaining=int(two[8]))
    except ValueError as exc:
        raise ValueError(f"~HS answer has a non-numeric field: {exc}") from exc
