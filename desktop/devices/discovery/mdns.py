"""Zeroconf browse for network printers, and an advertiser for emulators.

Browses ``_pdl-datastream._tcp`` (raw 9100), ``_printer._tcp`` (LPD) and ``_ipp._tcp``. Tests
and the demo bind zeroconf to ``127.0.0.1`` only (``interfaces=["127.0.0.1"]``); production
uses every interface.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from desktop.devices.discovery.base import Candidate, DiscoveryUnavailable
from desktop.devices.discovery.guess import guess_kind_and_profile

__all__ = ["SERVICE_TYPES", "Advertisement", "MdnsEnumerator", "browse"]

SERVICE_TYPES = ("_pdl-datastream._tcp.local.", "_printer._tcp.local.", "_ipp._tcp.local.")
_RAW_PORT = 9100


def _zeroconf(interfaces: Sequence[str] | None) -> Any:
    from zeroconf import InterfaceChoice, IPVersion, Zeroconf  # optional (desktop extra)

    try:
        return Zeroconf(interfaces=list(interfaces) if interfaces else InterfaceChoice.All,
                        ip_version=IPVersion.V4Only)
    except OSError as exc:
        raise DiscoveryUnavailable(f"zeroconf cannot start: {exc}") from exc


def _text(props: Mapping[bytes, bytes | None], key: str) -> str:
    raw = props.get(key.encode())
    return raw.decode("utf-8", "replace").strip("()") if raw else ""


def _candidate(info: Any, service: str) -> Candidate | None:
    addresses = info.parsed_addresses()
    if not addresses:
        return None
    props = info.properties or {}
    make = _text(props, "usb_MFG")
    model = _text(props, "ty") or _text(props, "product") or _text(props, "usb_MDL")
    kind, profile = guess_kind_and_profile(make, model, info.name)
    # Raw ESC/POS/ZPL is sent to 9100 whatever service announced the printer.
    port = info.port if service.startswith("_pdl-datastream") else _RAW_PORT
    name = info.name.removesuffix("." + service).strip() or model or addresses[0]
    return Candidate("mdns", name, "network", kind, profile, ip=addresses[0], port=port,
                     service=service.removesuffix(".local."), vendor=make, model=model)


def browse(timeout: float = 2.0, *, interfaces: Sequence[str] | None = None) -> list[Candidate]:
    """Listen for ``timeout`` seconds and resolve every printer service heard."""
    from zeroconf import ServiceBrowser, ServiceStateChange  # optional (desktop extra)

    zc = _zeroconf(interfaces)
    heard: dict[tuple[str, str], None] = {}
    lock = threading.Lock()

    def on_change(zeroconf: Any, service_type: str, name: str,
                  state_change: ServiceStateChange) -> None:
        if state_change is not ServiceStateChange.Removed:
            with lock:
                heard[(service_type, name)] = None

    browser = ServiceBrowser(zc, list(SERVICE_TYPES), handlers=[on_change])
    try:
        threading.Event().wait(timeout)
        out: list[Candidate] = []
        with lock:
            names = list(heard)
        for service, name in names:
            info = zc.get_service_info(service, name, timeout=1000)
            if info is not None:
                cand = _candidate(info, service)
                if cand is not None:
                    out.append(cand)
        return out
    finally:
        browser.cancel()
        zc.close()


class MdnsEnumerator:
    name = "mdns"

    def __init__(self, interfaces: Sequence[str] | None = None) -> None:
        self.interfaces = list(interfaces) if interfaces else None

    def enumerate(self, timeout: float) -> list[Candidate]:
        return browse(timeout, interfaces=self.interfaces)


class Advertisement:
    """Announce a printer (an emulator) on ``host`` so discovery can find it."""

    def __init__(self, name: str, service: str, port: int, *, host: str = "127.0.0.1",
                 properties: Mapping[str, str] | None = None) -> None:
        from zeroconf import ServiceInfo  # optional (desktop extra)

        self.service = service
        self.info = ServiceInfo(
            service, f"{name}.{service}", addresses=[socket.inet_aton(host)], port=port,
            properties=dict(properties or {"ty": name}),
            server=f"{name.replace(' ', '-').lower()}.local.")
        self.interfaces = [host]
        self._zc: Any = None

    def start(self) -> Advertisement:
        self._zc = _zeroconf(self.interfaces)
        # no probing round: an emulator owns its made-up name (saves ~1.2 s per start)
        self._zc.register_service(self.info, cooperating_responders=True)
        return self

    def stop(self) -> None:
        if self._zc is not None:
            try:
                self._zc.unregister_service(self.info)
            finally:
                self._zc.close()
                self._zc = None

    def __enter__(self) -> Advertisement:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
