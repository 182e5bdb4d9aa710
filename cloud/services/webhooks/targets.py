"""Where a webhook may be sent: refuse private, loopback and link-local targets (SSRF).

A target URL is resolved once; every address it resolves to must be public unless it falls in
``WEBHOOK_ALLOWED_TARGETS`` (comma-separated networks such as ``127.0.0.1/32`` or host names).
The delivery then connects to the address checked here (the host name still goes in ``Host``
and TLS SNI), so a DNS answer that changes between check and connect cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from cloud.errors import InvalidInput

__all__ = ["ResolvedTarget", "TargetPolicy", "TargetRefused"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(InvalidInput):
    """Webhook URL is not allowed (private, loopback or link-local address, or malformed)."""


@dataclass(frozen=True)
class ResolvedTarget:
    """A checked URL and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if ":" in self.address else self.address
        netloc = f"{host}:{self.port}"
        return parts._replace(netloc=netloc).geturl()

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def _unmapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _is_public(ip: IPAddress) -> bool:
    ip = _unmapped(ip)
    return ip.is_global and not (ip.is_multicast or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_reserved or ip.is_unspecified)


class TargetPolicy:
    """Parses the allow-list once; :meth:`check` resolves and vets a URL."""

    def __init__(self, allowed: str = "") -> None:
        self.networks: list[IPNetwork] = []
        self.hosts: set[str] = set()
        for item in (x.strip() for x in allowed.split(",")):
            if not item:
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.hosts.add(item.lower())

    def _allowed(self, host: str, ip: IPAddress) -> bool:
        if host in self.hosts:
            return True
        ip = _unmapped(ip)
        return _is_public(ip) or any(ip in net for net in self.networks)

    def check(self, url: str) -> ResolvedTarget:
        """Resolve ``url`` and return where to connect, or raise :class:`TargetRefused`."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise TargetRefused("Webhook URL is malformed", field="url") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetRefused("Webhook URL must be http(s)://host/...", field="url")
        if parts.username or parts.password:
            raise TargetRefused("Webhook URL must not carry credentials", field="url")
        host = parts.hostname.lower()
        port = port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise TargetRefused(f"Webhook host {host!r} does not resolve", field="url") from exc
        addresses = sorted({str(info[4][0]).split("%", 1)[0] for info in infos})
        if not addresses:
            raise TargetRefused(f"Webhook host {host!r} does not resolve", field="url")
        for addr in addresses:
            if not self._allowed(host, ipaddress.ip_address(addr)):
                raise TargetRefused(
                    f"Webhook target {host} resolves to a private, loopback or link-local "
                    f"address ({addr}); allow it with WEBHOOK_ALLOWED_TARGETS", field="url")
        return ResolvedTarget(url=url, scheme=parts.scheme, host=host, port=port,
                              address=addresses[0])
