"""Serving the emulator's frames over TCP and a pseudo-terminal, one thread per link.

Bytes in are cut into frames (:class:`FrameReader`); each frame goes to the ``process``
callable and whatever it returns is written back. Lone NAK/SYN bytes from the host are
skipped. ``wait_idle`` lets a test know a killed client's last frames were executed.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from collections.abc import Callable

from desktop.devices.fiscal.datecs.frame import NAK, SYN, FrameReader

__all__ = ["FrameServer"]


class FrameServer:
    """Feeds frames received on its links to ``process`` and sends back its answers."""

    def __init__(self, process: Callable[[bytes], bytes], name: str = "datecs-emu") -> None:
        self._process, self._name = process, name
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._idle = threading.Condition()
        self._busy = 0
        self._sock: socket.socket | None = None
        self._pty: tuple[int, int] | None = None

    @property
    def tcp_address(self) -> tuple[str, int] | None:
        """Where ``serve_tcp`` listens (None before it is called)."""
        if self._sock is None:
            return None
        addr = self._sock.getsockname()
        return addr[0], addr[1]

    def _serve_stream(self, recv: Callable[[], bytes | None],
                      send: Callable[[bytes], None]) -> None:
        reader = FrameReader()
        while not self._stop.is_set():
            try:
                chunk = recv()
            except OSError:
                return
            if chunk is None:
                continue
            if chunk == b"":
                return
            with self._idle:
                self._busy += 1
            try:
                for frame in reader.feed(chunk):
                    if frame[0] in (NAK, SYN):
                        continue
                    out = self._process(frame)
                    if out:
                        with contextlib.suppress(OSError):
                            send(out)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Listen on ``host:port`` (0 = any free port); returns the bound address."""
        srv = socket.create_server((host, port))
        srv.settimeout(0.05)
        self._sock = srv

        def accept_loop() -> None:
            while not self._stop.is_set():
                try:
                    conn, _ = srv.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                conn.settimeout(0.05)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._idle:
                    self._conns.add(conn)
                t = threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True)
                t.start()

        t = threading.Thread(target=accept_loop, daemon=True, name=f"{self._name}-tcp")
        t.start()
        self._threads.append(t)
        addr = srv.getsockname()
        return addr[0], addr[1]

    def _tcp_conn(self, conn: socket.socket) -> None:
        def recv() -> bytes | None:
            try:
                return conn.recv(4096)
            except TimeoutError:
                return None

        try:
            self._serve_stream(recv, conn.sendall)
        finally:
            conn.close()
            with self._idle:
                self._conns.discard(conn)
                self._idle.notify_all()

    def serve_pty(self) -> str:
        """Open a pseudo-terminal; returns the path a serial client opens (e.g. /dev/pts/7)."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty = (master, slave)

        def recv() -> bytes | None:
            ready, _, _ = select.select([master], [], [], 0.05)
            return os.read(master, 4096) if ready else None

        def send(data: bytes) -> None:
            os.write(master, data)

        t = threading.Thread(target=self._serve_stream, args=(recv, send), daemon=True,
                             name=f"{self._name}-pty")
        t.start()
        self._threads.append(t)
        return os.ttyname(slave)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no TCP client is connected and no frame is being processed (a killed
        client's last frames are executed before a new client is served)."""
        def idle() -> bool:
            if self._busy or self._conns:
                return False
            if self._pty is not None:
                ready, _, _ = select.select([self._pty[0]], [], [], 0)
                return not ready
            return True

        with self._idle:
            return self._idle.wait_for(idle, timeout)

    def close(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        for conn in list(self._conns):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for t in self._threads:
            t.join(timeout=2)
        if self._pty is not None:
            for fd in self._pty:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty = None
