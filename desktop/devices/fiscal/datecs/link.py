"""One request in flight over a transport: SEQ numbers, NAK resends, SYN waits, lost replies.

Rules from the protocol (devices.md §2): the host is master; a NAK or a lost/garbled reply is
answered by resending the *same* frame with the *same* SEQ, which the printer does not execute
twice (it repeats its last reply); SYN means "busy, keep waiting". Replies whose SEQ or command
do not match are stale (left over from a process that died mid-command) and are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from desktop.devices.errors import DeviceTimeout, ProtocolError
from desktop.devices.fiscal.datecs.frame import (
    NAK,
    SYN,
    Dialect,
    Frame,
    FrameReader,
    build_request,
    parse_reply,
)
from desktop.devices.transports.base import Transport

__all__ = ["DatecsLink", "LinkStats"]

log = structlog.get_logger(__name__)

_RESEQ = object()


@dataclass
class LinkStats:
    frames: int = 0
    resends: int = 0
    naks: int = 0
    syns: int = 0
    stale: int = 0


class DatecsLink:
    """Request/response over ``transport``; ``timeout`` is the wait for the next reply byte."""

    def __init__(self, transport: Transport, d: Dialect, *, timeout: float = 0.5,
                 retries: int = 3, max_syn: int = 2000) -> None:
        self.transport, self.dialect = transport, d
        self.timeout, self.retries, self.max_syn = timeout, retries, max_syn
        self.seq = random.randint(d.seq_min, d.seq_max)
        self.stats = LinkStats()

    def _next_seq(self) -> int:
        d = self.dialect
        self.seq = d.seq_min if self.seq >= d.seq_max else self.seq + 1
        return self.seq

    def drain(self) -> None:
        """Drop bytes a previous process left unread (its replies would look like ours)."""
        while self.transport.read(256, timeout=0.01):
            pass

    def request(self, cmd: int, data: bytes = b"", *,
                after_write: Callable[[], None] | None = None) -> Frame:
        """Send one command and return its reply frame (status not yet checked)."""
        seq = self._next_seq()
        frame = build_request(self.dialect, seq, cmd, data)
        self.stats.frames += 1
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.resends += 1
                log.info("datecs_resend", seq=seq, cmd=cmd, attempt=attempt)
            self.transport.write(frame)
            if after_write is not None and attempt == 0:
                after_write()
            reply = self._await(seq, cmd)
            if reply is _RESEQ:
                # The device took our SEQ for a repeat of its previous frame (another process
                # used it last) and did not execute: a fresh SEQ is safe.
                seq = self._next_seq()
                frame = build_request(self.dialect, seq, cmd, data)
                continue
            if reply is not None:
                return reply  # type: ignore[return-value]
        raise DeviceTimeout(f"no valid reply to command {cmd:#04x} after "
                            f"{self.retries + 1} attempts", code="FISCAL_DEVICE_TIMEOUT",
                            status=504)

    def _await(self, seq: int, cmd: int) -> Frame | object | None:
        """A matching reply, None to resend (timeout, NAK, garbled frame) or ``_RESEQ``."""
        reader = FrameReader()
        syns = 0
        while True:
            chunk = self.transport.read(1, timeout=self.timeout)
            if not chunk:
                return None
            for event in reader.feed(chunk):
                if event[0] == NAK:
                    self.stats.naks += 1
                    return None
                if event[0] == SYN:
                    self.stats.syns += 1
                    syns += 1
                    if syns > self.max_syn:
                        raise DeviceTimeout("device stayed busy too long",
                                            code="FISCAL_DEVICE_TIMEOUT", status=504)
                    continue
                try:
                    reply = parse_reply(self.dialect, event)
                except ProtocolError as exc:
                    log.info("datecs_bad_frame", error=str(exc))
                    return None
                if reply.seq == seq and reply.cmd != cmd:
                    self.stats.stale += 1
                    return _RESEQ
                if reply.seq != seq:
                    self.stats.stale += 1
                    continue
                return reply
