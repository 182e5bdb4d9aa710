"""A TCP proxy on 127.0.0.1 that breaks the network on purpose, reproducibly (seeded).

Put it between a till and the cloud to get what real shop networks do:

* **drop**: a new connection is closed before anything is forwarded (refused / cable out);
* **delay**: a chunk waits before it is forwarded (slow 3G, congested Wi-Fi);
* **reset**: the request reached the cloud, but the answer is replaced by a TCP reset — the
  nastiest case, because the cloud did the work and the till does not know it;
* **truncate**: only the first part of an answer arrives, then the connection closes;
* **offline**: every connection is dropped until switched back.

Decisions are drawn from ``random.Random(seed)`` per connection and per answer chunk, so a run
can be repeated. Used by the chaos end-to-end test; runnable on its own::

    python -m tests.support.fault_proxy --listen 9000 --upstream 8000 --seed 7 --reset 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["FaultProxy", "Faults"]


@dataclass(frozen=True)
class Faults:
    """Probabilities of each fault (0 = never)."""

    drop: float = 0.0
    """Per new connection: close it at once."""
    reset: float = 0.0
    """Per answer chunk: reset the client connection instead of forwarding it."""
    truncate: float = 0.0
    """Per answer chunk: forward a part of it, then close."""
    delay: float = 0.0
    """Per chunk (both directions): wait ``delay_s`` first."""
    delay_s: tuple[float, float] = (0.01, 0.3)
    offline: bool = False


class FaultProxy:
    """The proxy, served from its own thread and event loop."""

    def __init__(self, upstream_port: int, *, faults: Faults | None = None, seed: int = 0,
                 upstream_host: str = "127.0.0.1", host: str = "127.0.0.1", port: int = 0):
        self.upstream = (upstream_host, upstream_port)
        self.host, self.port = host, port
        self.faults = faults or Faults()
        self.counts: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    # -- control (any thread) ----------------------------------------------------------------------

    def start(self) -> int:
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults

    def offline(self, value: bool = True) -> None:
        self.faults = replace(self.faults, offline=value)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- the proxy -----------------------------------------------------------------------------

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(
            asyncio.start_server(self._client, self.host, self.port))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    def _chance(self, p: float) -> bool:
        return p > 0 and self._rng.random() < p

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        f = self.faults
        self.counts["connections"] += 1
        if f.offline or self._chance(f.drop):
            self.counts["dropped"] += 1
            _abort(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            self.counts["upstream_down"] += 1
            _abort(writer)
            return
        try:
            await asyncio.gather(self._pipe(reader, up_writer, answer=False),
                                 self._pipe(up_reader, writer, answer=True))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (writer, up_writer):
                if not w.is_closing():
                    w.close()
            if task is not None:
                self._tasks.discard(task)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, *,
                    answer: bool) -> None:
        try:
            while True:
                chunk = await src.read(65536)
                if not chunk:
                    break
                f = self.faults
                if f.offline:
                    self.counts["cut_offline"] += 1
                    _abort(dst)
                    return
                if self._chance(f.delay):
                    self.counts["delayed"] += 1
                    await asyncio.sleep(self._rng.uniform(*f.delay_s))
                if answer and self._chance(f.reset):
                    self.counts["reset"] += 1
                    _abort(dst)
                    return
                if answer and self._chance(f.truncate):
                    self.counts["truncated"] += 1
                    dst.write(chunk[: self._rng.randint(0, max(0, len(chunk) - 1))])
                    await dst.drain()
                    _abort(dst)
                    return
                dst.write(chunk)
                await dst.drain()
        finally:
            if not dst.is_closing():
                try:
                    dst.write_eof()
                except (OSError, RuntimeError):
                    dst.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), not a polite FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    for name in ("drop", "reset", "truncate", "delay"):
        ap.add_argument(f"--{name}", type=float, default=0.0)
    a = ap.parse_args()
    proxy = FaultProxy(a.upstream, port=a.listen, seed=a.seed,
                       faults=Faults(drop=a.drop, reset=a.reset, truncate=a.truncate,
                                     delay=a.delay))
    proxy.start()
    print(f"fault proxy {proxy.url} -> 127.0.0.1:{a.upstream}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
