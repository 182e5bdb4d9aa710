"""Signatures and the target policy (no database, no network beyond literal addresses)."""

from __future__ import annotations

import pytest

from cloud.integrations.outbound import OutboundPolicy, TargetRefused
from cloud.services.webhooks.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureMismatch,
    SignatureMissing,
    TimestampOutOfRange,
    new_secret,
    sign,
    signature_headers,
    verify,
)

SECRET = "whsec_test"
BODY = b'{"event":"negotiation.won","data":{"total":100}}'


def test_signature_round_trip_and_known_vector() -> None:
    headers = signature_headers(SECRET, 1_700_000_000, BODY, delivery_id="d1", event="e")
    assert verify(SECRET, headers, BODY, now=1_700_000_010) == 1_700_000_000
    # The documented construction: HMAC-SHA256(secret, "<timestamp>." + body), hex.
    import hashlib
    import hmac

    expected = hmac.new(b"whsec_test", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"


def test_tampered_body_timestamp_or_secret_fail() -> None:
    headers = signature_headers(SECRET, 1_700_000_000, BODY, delivery_id="d1", event="e")
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers, BODY.replace(b"100", b"900"), now=1_700_000_000)
    with pytest.raises(SignatureMismatch):
        verify("whsec_other", headers, BODY, now=1_700_000_000)
    moved = {**headers, TIMESTAMP_HEADER: "1700000001"}
    with pytest.raises(SignatureMismatch):
        verify(SECRET, moved, BODY, now=1_700_000_000)


def test_replay_window() -> None:
    headers = {SIGNATURE_HEADER: sign(SECRET, 1000, BODY), TIMESTAMP_HEADER: "1000"}
    assert verify(SECRET, headers, BODY, now=1300, tolerance=300) == 1000
    with pytest.raises(TimestampOutOfRange):
        verify(SECRET, headers, BODY, now=1301, tolerance=300)
    with pytest.raises(TimestampOutOfRange):
        verify(SECRET, headers, BODY, now=600, tolerance=300)


def test_missing_headers() -> None:
    with pytest.raises(SignatureMissing):
        verify(SECRET, {}, BODY, now=0)
    with pytest.raises(SignatureMismatch):
        verify(SECRET, {SIGNATURE_HEADER: "sha256=00", TIMESTAMP_HEADER: "soon"}, BODY, now=0)


def test_secrets_are_random() -> None:
    assert new_secret() != new_secret()
    assert new_secret().startswith("whsec_") and len(new_secret()) > 40


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://10.1.2.3/",
    "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
    "http://[fe80::1]/", "http://224.0.0.1/",
])
def test_private_loopback_and_link_local_targets_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused) as info:
        OutboundPolicy("").check(url)
    assert info.value.field == "url"


@pytest.mark.parametrize("url", ["ftp://example.com/", "http:///nohost", "not a url",
                                 "http://user:pw@93.184.216.34/", "http://93.184.216.34:99999/"])
def test_malformed_targets_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        OutboundPolicy("").check(url)


def test_allow_list_opens_only_what_it_names() -> None:
    policy = OutboundPolicy("127.0.0.1/32, 10.9.0.0/16")
    target = policy.check("http://127.0.0.1:8123/hook?x=1")
    assert (target.address, target.port, target.host_header) == ("127.0.0.1", 8123,
                                                                  "127.0.0.1:8123")
    assert target.pinned_url() == "http://127.0.0.1:8123/hook?x=1"
    assert policy.check("https://10.9.3.4/").port == 443
    with pytest.raises(TargetRefused):
        policy.check("http://127.0.0.2/")
    with pytest.raises(TargetRefused):
        policy.check("http://10.8.0.1/")


def test_public_address_is_allowed_and_pinned() -> None:
    target = OutboundPolicy("").check("https://93.184.216.34/hooks")
    assert target.pinned_url() == "https://93.184.216.34:443/hooks"
    assert target.host_header == "93.184.216.34"
    v6 = OutboundPolicy("").check("http://[2606:4700:4700::1111]:8080/x")
    assert v6.pinned_url() == "http://[2606:4700:4700::1111]:8080/x"
