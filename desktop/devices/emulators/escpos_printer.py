"""A raw-TCP ESC/POS printer (port 9100 style) for tests and ``make demo``.

It keeps every byte it receives (per connection, optionally spooled to files), answers
``DLE EOT n`` with a configurable status (paper out, cover open, …) and can be stopped and
started again on the same port to play an unplugged printer. ``printout()`` decodes what it
received into what a person would see on the paper.

Run: ``python -m desktop.devices.emulators.escpos_printer --port 9100 [--status paper-out]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import select
import signal
import socket
import socketserver
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from desktop.devices.discovery.mdns import Advertisement
from desktop.devices.protocols.escpos import status as rt
from desktop.devices.protocols.escpos.decode import Page, Printout, decode
from desktop.devices.protocols.escpos.tokens import tokenize

__all__ = ["STATUSES", "EscposPrinterEmulator", "TcpEmulator", "main"]

STATUSES: dict[str, rt.RealtimeStatus] = {
    "ready": rt.RealtimeStatus(),
    "paper-low": rt.RealtimeStatus(paper_near_end=True),
    "paper-out": rt.RealtimeStatus(paper_out=True, paper_end_stop=True),
    "cover-open": rt.RealtimeStatus(cover_open=True),
    "offline": rt.RealtimeStatus(offline=True),
    "error": rt.RealtimeStatus(error=True, autocutter_error=True),
}


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = True


class TcpEmulator:
    """Listener, per-connection threads, byte store and spool shared by the printer emulators."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 spool: Path | None = None) -> None:
        self.host, self.port = host, port
        self.spool = Path(spool) if spool else None
        self.jobs: list[bytearray] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            return self
        emu = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                emu._serve(self.request)

        self._server = _Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"emulator-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listener and drop every open connection (the printer is unplugged)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- data --------------------------------------------------------------------------------
    @property
    def data(self) -> bytes:
        with self._lock:
            return b"".join(bytes(j) for j in self.jobs)

    def clear(self) -> None:
        with self._lock:
            self.jobs.clear()

    def _serve(self, sock: socket.socket) -> None:
        buf = bytearray()
        with self._lock:
            self._conns.add(sock)
            self.jobs.append(buf)
            index = len(self.jobs)
        spool = None
        if self.spool is not None:
            self.spool.mkdir(parents=True, exist_ok=True)
            spool = (self.spool / f"{self.port}-{threading.get_ident()}-{index:05d}.bin").open("ab")
        pending = bytearray()
        try:
            while True:
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                with self._lock:
                    buf += chunk
                if spool is not None:
                    spool.write(chunk)
                    spool.flush()
                pending += chunk
                answer, used = self.answer(bytes(pending))
                del pending[:used]
                if self.hang_up_now():
                    break
                if answer:
                    try:
                        sock.sendall(answer)
                    except OSError:
                        break
        finally:
            if spool is not None:
                spool.close()
            with self._lock:
                self._conns.discard(sock)

    def answer(self, pending: bytes) -> tuple[bytes, int]:
        """Bytes to send back for the unprocessed input, and how much input was used."""
        return b"", len(pending)

    def hang_up_now(self) -> bool:
        """True to drop the connection right after the last input (a pulled cable)."""
        return False


class EscposPrinterEmulator(TcpEmulator):
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 status: rt.RealtimeStatus | str = "ready", spool: Path | None = None) -> None:
        super().__init__(host, port, spool=spool)
        self.status = STATUSES[status] if isinstance(status, str) else status
        self.queries = 0
        self._hang_ups = 0
        self._hang_up = False
        self._ptys: list[tuple[int, int, threading.Event, threading.Thread]] = []

    def set_status(self, status: rt.RealtimeStatus | str | None = None, **flags: Any) -> None:
        """``set_status("paper-out")`` or ``set_status(cover_open=True)``."""
        base = STATUSES[status] if isinstance(status, str) else (status or self.status)
        self.status = dataclasses.replace(base, **flags)

    def hang_up_on_next_job(self, times: int = 1) -> None:
        """Keep the next ``times`` jobs' bytes but close the connection before answering."""
        self._hang_ups = times

    def hang_up_now(self) -> bool:
        hang, self._hang_up = self._hang_up, False
        return hang

    def answer(self, pending: bytes) -> tuple[bytes, int]:
        tokens, used = tokenize(pending, final=False)
        out = bytearray()
        if self._hang_ups and any(t.name != "DLE 04" for t in tokens):
            self._hang_ups -= 1
            self._hang_up = True
            return b"", used
        for tok in tokens:
            if tok.name == "DLE 04":
                self.queries += 1
                out.append(rt.encode(self.status, tok.raw[2]) if tok.raw[2] in rt.QUERIES else 0)
        return bytes(out), used

    def printout(self) -> Printout:
        return decode(self.data)

    def attach_pty(self) -> str:
        """Also serve on a pseudo-terminal (a serial printer); returns the device path."""
        import tty  # POSIX only (termios); the TCP emulator must still import on Windows

        master, slave = os.openpty()
        tty.setraw(slave)
        buf = bytearray()
        with self._lock:
            self.jobs.append(buf)
        stop = threading.Event()

        def pump() -> None:
            pending = bytearray()
            while not stop.is_set():
                try:
                    ready, _, _ = select.select([master], [], [], 0.05)
                    if not ready:
                        continue
                    chunk = os.read(master, 65536)
                except (OSError, ValueError):
                    break
                with self._lock:
                    buf.extend(chunk)
                pending += chunk
                answer, used = self.answer(bytes(pending))
                del pending[:used]
                if self.hang_up_now():
                    break
                if answer:
                    try:
                        os.write(master, answer)
                    except OSError:
                        break

        thread = threading.Thread(target=pump, name="emulator-pty", daemon=True)
        self._ptys.append((master, slave, stop, thread))
        thread.start()
        return os.ttyname(slave)

    def stop(self) -> None:
        super().stop()
        for master, slave, stop, thread in self._ptys:
            stop.set()
            thread.join(5)
            for fd in (master, slave):
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._ptys.clear()

    def receipts(self) -> list[Page]:
        """Every page that ended with a cut."""
        return self.printout().cut_pages


def _serve_until_signal(emu: TcpEmulator, advertise: str | None, service: str) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ad = None
    with emu:
        print(f"listening on {emu.host}:{emu.port}", flush=True)
        if advertise:
            ad = Advertisement(advertise, service, emu.port, host=emu.host).start()
        stop.wait()
        if ad is not None:
            ad.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="ESC/POS network printer emulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9100)
    p.add_argument("--status", choices=sorted(STATUSES), default="ready")
    p.add_argument("--spool", type=Path, help="write each connection's bytes to this folder")
    p.add_argument("--advertise", metavar="NAME", help="announce via zeroconf under this name")
    a = p.parse_args(argv)
    emu = EscposPrinterEmulator(a.host, a.port, status=a.status, spool=a.spool)
    return _serve_until_signal(emu, a.advertise, "_pdl-datastream._tcp.local.")


if __name__ == "__main__":
    sys.exit(main())
