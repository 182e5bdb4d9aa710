"""Where the cloud may send a request to a URL a tenant typed: one policy against SSRF.

Webhook targets and reconciliation connectors (Shopify, WooCommerce, GA4 base and token URLs)
all pass through :class:`OutboundPolicy`. A URL is resolved; every address it resolves to must
be public unless it falls in ``OUTBOUND_ALLOWED_TARGETS`` (comma-separated networks such as
``127.0.0.1/32``, or host names; the older ``WEBHOOK_ALLOWED_TARGETS`` is read too). The local
emulators, the tests and ``make demo`` set it; production leaves it empty.

The check runs twice: when the URL is stored (a validation error naming the field) and again
for every request (:class:`OutboundTransport`), because DNS can change in between. The request
then connects to the address that was checked (the host name still goes in ``Host`` and TLS
SNI), so an answer that changes between check and connect cannot redirect it. Clients built on
the transport do not follow redirects; any other URL the upstream hands back (a next-page
link) is checked like the first.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from cloud.errors import InvalidInput

__all__ = ["OutboundPolicy", "OutboundRefused", "OutboundTransport", "ResolvedTarget",
           "TargetRefused"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(InvalidInput):
    """URL is not allowed (private, loopback or link-local address, or malformed)."""


class OutboundRefused(httpx.RequestError):
    """A request was stopped before it left: its target is not allowed (nothing was sent)."""


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


class OutboundPolicy:
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

    @classmethod
    def from_settings(cls, settings: Any) -> OutboundPolicy:
        """The policy of ``settings`` (``outbound_allowed_targets``; empty when absent)."""
        return cls(str(getattr(settings, "outbound_allowed_targets", "") or ""))

    def _allowed(self, host: str, ip: IPAddress) -> bool:
        if host in self.hosts:
            return True
        ip = _unmapped(ip)
        return _is_public(ip) or any(ip in net for net in self.networks)

    def vet(self, url: str, *, field: str = "url", what: str = "URL") -> None:
        """The store-time check: like :meth:`check`, but a host that does not resolve (yet)
        passes; it cannot be reached either, and every request is checked again."""
        try:
            self.check(url, field=field, what=what)
        except TargetRefused as exc:
            if exc.details.get("reason") != "unresolved":
                raise

    def check(self, url: str, *, field: str = "url", what: str = "URL") -> ResolvedTarget:
        """Resolve ``url`` and return where to connect, or raise :class:`TargetRefused`.

        ``field`` names the input in the error; ``what`` names the URL in its message.
        """
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise TargetRefused(f"{what} is malformed", field=field) from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetRefused(f"{what} must be http(s)://host/...", field=field)
        if parts.username or parts.password:
            raise TargetRefused(f"{what} must not carry credentials", field=field)
        host = parts.hostname.lower()
        port = port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise TargetRefused(f"{what} host {host!r} does not resolve", field=field,
                                details={"reason": "unresolved"}) from exc
        addresses = sorted({str(info[4][0]).split("%", 1)[0] for info in infos})
        if not addresses:
            raise TargetRefused(f"{what} host {host!r} does not resolve", field=field,
                                details={"reason": "unresolved"})
        for addr in addresses:
            if not self._allowed(host, ipaddress.ip_address(addr)):
                raise TargetRefused(
                    f"{what} host {host} resolves to a private, loopback or link-local "
                    f"address ({addr}); allow it with OUTBOUND_ALLOWED_TARGETS", field=field,
                    details={"reason": "private_address"})
        return ResolvedTarget(url=url, scheme=parts.scheme, host=host, port=port,
                              address=addresses[0])


class OutboundTransport(httpx.BaseTransport):
    """An httpx transport that checks every request with the policy and pins its address.

    A refused target raises :class:`OutboundRefused` (an ``httpx.RequestError``) before any
    byte is sent.
    """

    def __init__(self, policy: OutboundPolicy, inner: httpx.BaseTransport | None = None) -> None:
        self.policy = policy
        self._inner = inner or httpx.HTTPTransport(trust_env=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            target = self.policy.check(str(request.url))
        except TargetRefused as exc:
            raise OutboundRefused(exc.message, request=request) from exc
        request.url = httpx.URL(target.pinned_url())
        request.headers["Host"] = target.host_header
        if target.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": target.host}
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
