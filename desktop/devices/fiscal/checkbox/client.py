"""Checkbox PRRO HTTP client (httpx): one method per endpoint, errors in our device tree.

Error mapping keeps what matters for exactly-once: a request that could not even connect
(``CheckboxUnreachable``) certainly did not arrive, so the till may go offline; a request that
timed out or lost its connection after sending (``CheckboxNoAnswer``) may have arrived, so the
receipt is looked up by its id before anything else happens. 422 is validation (``detail``),
other 4xx a refusal, 5xx a temporary server error. Paths are under ``/api/v1/`` (devices.md §1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import structlog

from desktop import __version__
from desktop.devices.errors import (
    DeviceOffline,
    DeviceRejected,
    DeviceTimeout,
    TransientDeviceError,
)
from desktop.devices.fiscal import faults

__all__ = ["CheckboxClient", "CheckboxNoAnswer", "CheckboxRefused", "CheckboxUnreachable"]

log = structlog.get_logger(__name__)


class CheckboxUnreachable(DeviceOffline):
    """The Checkbox server cannot be reached (nothing was delivered)."""


class CheckboxNoAnswer(DeviceTimeout):
    """The request left the till but no answer came back (it may have been processed)."""


class CheckboxRefused(DeviceRejected):
    """The Checkbox server refused the request."""


@contextmanager
def _map_httpx(what: str) -> Iterator[None]:
    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise CheckboxUnreachable(f"{what}: Checkbox unreachable ({type(exc).__name__})",
                                  code="FISCAL_SERVER_UNREACHABLE", status=503) from exc
    except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError,
            httpx.WriteError) as exc:
        raise CheckboxNoAnswer(f"{what}: no answer from Checkbox ({type(exc).__name__})",
                               code="FISCAL_SERVER_NO_ANSWER", status=504) from exc
    except httpx.HTTPError as exc:
        raise CheckboxUnreachable(f"{what}: {exc}", code="FISCAL_SERVER_UNREACHABLE",
                                  status=503) from exc


class CheckboxClient:
    """Thin, synchronous; the caller (the driver) owns retries and polling."""

    def __init__(self, base_url: str, *, license_key: str = "", timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.license_key = license_key
        self.token: str | None = None
        self._timeout, self._transport = timeout, transport
        self._client: httpx.Client | None = None

    @property
    def _http(self) -> httpx.Client:
        """The connection pool, (re)built on first use after ``close``."""
        if self._client is None:
            self._client = httpx.Client(
                base_url=f"{self.base_url}/api/v1", timeout=self._timeout,
                transport=self._transport,
                headers={"X-Client-Name": "Tillbridge", "X-Client-Version": __version__})
        return self._client

    def close(self) -> None:
        """Drop the pool and the token; the next call connects and signs in afresh."""
        if self._client is not None:
            self._client.close()
            self._client = None
        self.token = None

    def _headers(self) -> dict[str, str]:
        h = {}
        if self.license_key:
            h["X-License-Key"] = self.license_key
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def request(self, method: str, path: str, *, json: Any = None,
                params: dict[str, Any] | None = None, committing: bool = False,
                allow_404: bool = False, timeout: float | None = None) -> Any:
        """Send one request. ``committing``: it creates a fiscal document, so the crash hook
        ``request_sent`` fires once it has left the till, before the answer is read."""
        what = f"{method} {path}"
        headers = self._headers()
        if committing and isinstance(json, dict) and "id" in json:
            headers["X-Request-ID"] = str(json["id"])
        with _map_httpx(what):
            req = self._http.build_request(method, path, json=json, params=params,
                                           headers=headers,
                                           timeout=timeout if timeout is not None
                                           else httpx.USE_CLIENT_DEFAULT)
            resp = self._http.send(req, stream=True)
            try:
                if committing:
                    faults.checkpoint("request_sent")
                resp.read()
            finally:
                resp.close()
        if allow_404 and resp.status_code == 404:
            return None
        if resp.status_code >= 400:
            self._raise(what, resp)
        return resp.json() if resp.content else None

    def _raise(self, what: str, resp: httpx.Response) -> None:
        try:
            body = resp.json()
        except ValueError:
            body = {"message": resp.text[:200]}
        message = (body.get("message") or body.get("detail") or resp.reason_phrase) \
            if isinstance(body, dict) else str(body)
        if not isinstance(message, str):
            message = str(message)
        details = {"http_status": resp.status_code, "server": body}
        if resp.status_code >= 500:
            raise TransientDeviceError(f"{what}: Checkbox error {resp.status_code}: {message}",
                                       code="FISCAL_SERVER_ERROR", status=502, details=details)
        code = "FISCAL_SERVER_VALIDATION" if resp.status_code == 422 else "FISCAL_SERVER_REFUSED"
        if resp.status_code == 409:
            code = "FISCAL_SERVER_DUPLICATE"
        if resp.status_code in (401, 403):
            code = "FISCAL_SERVER_AUTH"
        raise CheckboxRefused(f"{what}: {message}", code=code,
                              status=422 if resp.status_code == 422 else 409, details=details)

    # -- auth and organisation ---------------------------------------------------------------
    def signin(self, login: str, password: str) -> str:
        data = self.request("POST", "/cashier/signin", json={"login": login,
                                                             "password": password})
        self.token = str(data["access_token"])
        return self.token

    def signin_pin(self, pin_code: str) -> str:
        data = self.request("POST", "/cashier/signinPinCode", json={"pin_code": pin_code})
        self.token = str(data["access_token"])
        return self.token

    def me(self) -> dict[str, Any]:
        return dict(self.request("GET", "/cashier/me"))

    def taxes(self) -> list[dict[str, Any]]:
        return list(self.request("GET", "/cashier/tax"))

    def register_info(self) -> dict[str, Any]:
        return dict(self.request("GET", "/cash-registers/info"))

    # -- shifts and reports ------------------------------------------------------------------
    def current_shift(self) -> dict[str, Any] | None:
        data = self.request("GET", "/cashier/shift")
        return dict(data) if data else None

    def open_shift(self, shift_id: str, **offline: Any) -> dict[str, Any]:
        return dict(self.request("POST", "/shifts", json={"id": shift_id, **offline}))

    def shift(self, shift_id: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/shifts/{shift_id}"))

    def close_shift(self) -> dict[str, Any]:
        return dict(self.request("POST", "/shifts/close", json={}))

    def x_report(self) -> dict[str, Any]:
        return dict(self.request("POST", "/reports"))

    # -- receipts ----------------------------------------------------------------------------
    def sell(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.request("POST", "/receipts/sell", json=body, committing=True))

    def sell_offline(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.request("POST", "/receipts/sell-offline", json=body, committing=True))

    def service(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.request("POST", "/receipts/service", json=body, committing=True))

    def receipt(self, receipt_id: str) -> dict[str, Any] | None:
        data = self.request("GET", f"/receipts/{receipt_id}", allow_404=True)
        return dict(data) if data else None

    def search(self, fiscal_code: str) -> list[dict[str, Any]]:
        data = self.request("GET", "/receipts/search", params={"fiscal_code": fiscal_code})
        return list(data.get("results", [])) if isinstance(data, dict) else []

    # -- offline -----------------------------------------------------------------------------
    def ping(self, timeout: float | None = None) -> bool:
        """True when the Checkbox server answers (the tax service status is in the body)."""
        data = self.request("POST", "/cash-registers/ping-tax-service", timeout=timeout)
        return bool(data) and data.get("status") != "error"

    def ask_offline_codes(self, count: int) -> None:
        self.request("GET", "/cash-registers/ask-offline-codes",
                     params={"count": count, "sync": "true"})

    def get_offline_codes(self, count: int) -> list[str]:
        data = self.request("GET", "/cash-registers/get-offline-codes", params={"count": count})
        return [str(item["fiscal_code"]) for item in data or []]

    def offline_codes_count(self) -> dict[str, Any]:
        return dict(self.request("GET", "/cash-registers/get-offline-codes-count"))

    def go_offline(self, go_offline_date: str, fiscal_code: str) -> None:
        self.request("POST", "/cash-registers/go-offline",
                     json={"go_offline_date": go_offline_date, "fiscal_code": fiscal_code})

    def go_online(self) -> None:
        self.request("POST", "/cash-registers/go-online")
