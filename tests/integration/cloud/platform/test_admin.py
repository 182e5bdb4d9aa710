"""Admin API: users, invitations, configuration, audit log, health, rate-limit status."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from conftest import World

from tests.support.cloud_api import PASSWORD, Person, error_code

USERS = "/api/v1/admin/users"


def test_create_update_and_list_users(world: World) -> None:
    api, a = world.api, world.a
    made = api.as_(a.admin, "POST", USERS, json={
        "email": "Cashier.One@Example.com", "firstName": "Ana", "lastName": "Pop",
        "role": "cashier", "tempPassword": "till password 1", "metadata": {"store": "S1"}})
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["status"] == "active" and data["email"] == "cashier.one@example.com"
    cashier = Person(data["id"], data["email"], "cashier", "till password 1")
    assert api.login(cashier)["user"]["roles"] == ["cashier"]

    dup = api.as_(a.admin, "POST", USERS, json={
        "email": "cashier.one@example.com", "firstName": "X", "lastName": "Y",
        "role": "viewer", "tempPassword": "another password"})
    assert dup.status_code == 409 and error_code(dup) == "VAL_DUPLICATE"
    weak = api.as_(a.admin, "POST", USERS, json={
        "email": "weak@example.com", "firstName": "X", "lastName": "Y", "role": "viewer",
        "tempPassword": "short"})
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "tempPassword"
    neither = api.as_(a.admin, "POST", USERS, json={
        "email": "n@example.com", "firstName": "X", "lastName": "Y", "role": "viewer"})
    assert neither.status_code == 422 and error_code(neither) == "VAL_REQUIRED_FIELD"

    upd = api.as_(a.admin, "PUT", f"{USERS}/{cashier.id}",
                  json={"role": "store_manager", "permissions": ["hitl:approve"]})
    assert upd.status_code == 200 and upd.json()["data"]["updated"] is True
    same = api.as_(a.admin, "PUT", f"{USERS}/{cashier.id}", json={"role": "store_manager"})
    assert same.json()["data"]["updated"] is False
    # Role and permissions apply at once, even to a token issued before the change.
    status = api.as_(cashier, "GET", "/api/v1/rate-limit/status")
    assert status.status_code == 200

    page = api.as_(a.admin, "GET", USERS, params={"role": "store_manager"}).json()["data"]
    assert [u["email"] for u in page["users"]] == ["cashier.one@example.com"]
    assert page["users"][0]["permissions"] == ["hitl:approve"]
    assert page["users"][0]["activity"]["lastAction"] is not None
    paged = api.as_(a.admin, "GET", USERS, params={"limit": 2, "page": 2}).json()["data"]
    assert paged["pagination"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2,
                                   "hasNext": False, "hasPrevious": True}
    assert len(paged["users"]) == 1


def test_invitation_flow(world: World) -> None:
    api, a = world.api, world.a
    made = api.as_(a.admin, "POST", USERS, json={
        "email": "invitee@example.com", "firstName": "In", "lastName": "Vitee",
        "role": "sales_rep", "sendInvite": True}).json()["data"]
    assert made["status"] == "invited" and made["inviteLink"]
    token = parse_qs(urlparse(made["inviteLink"]).query)["token"][0]
    refused = api.client.post("/api/v1/auth/login",
                              json={"email": "invitee@example.com", "password": "whatever1"})
    assert refused.status_code == 401
    accepted = api.client.post("/api/v1/auth/invite/accept",
                               json={"token": token, "password": "my own password"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["data"]["tenantId"] == str(a.id)
    again = api.client.post("/api/v1/auth/invite/accept",
                            json={"token": token, "password": "my own password"})
    assert again.status_code == 401
    invitee = Person(made["id"], "invitee@example.com", "sales_rep", "my own password")
    assert api.login(invitee)["user"]["roles"] == ["sales_rep"]


def test_last_admin_and_self_protection(world: World) -> None:
    api, a = world.api, world.a
    demote = api.as_(a.admin, "PUT", f"{USERS}/{a.admin.id}", json={"role": "viewer"})
    assert demote.status_code == 409 and error_code(demote) == "BIZ_STATE_CONFLICT"
    suicide = api.as_(a.admin, "DELETE", f"{USERS}/{a.admin.id}")
    assert suicide.status_code == 409
    escalate = api.as_(a.admin, "PUT", f"{USERS}/{a.viewer.id}",
                       json={"permissions": ["root:everything"]})
    assert escalate.status_code == 422


def test_delete_and_gdpr_erase(world: World) -> None:
    api, a = world.api, world.a
    viewer_tokens = api.login(a.viewer)
    soft = api.as_(a.admin, "DELETE", f"{USERS}/{a.viewer.id}")
    assert soft.status_code == 200
    assert soft.json()["data"] == {"deleted": True, "transferredItems": [], "dataDeleted": None}
    assert api.as_(a.admin, "GET", f"{USERS}/{a.viewer.id}").status_code == 404
    assert api.client.get("/api/v1/rate-limit/status", headers={
        "Authorization": f"Bearer {viewer_tokens['accessToken']}"}).status_code == 401

    made = api.as_(a.admin, "POST", USERS, json={
        "email": "forget.me@example.com", "firstName": "Forget", "lastName": "Me",
        "role": "admin", "tempPassword": "forget me please"}).json()["data"]
    forget = Person(made["id"], "forget.me@example.com", "admin", "forget me please")
    api.as_(forget, "PUT", "/api/v1/admin/config", json={"branding": {"primaryColor": "#00FF00"}})
    bad_ref = api.as_(a.admin, "DELETE", f"{USERS}/{forget.id}",
                      params={"transferNegotiationsTo": str(world.b.admin.id)})
    assert bad_ref.status_code == 422 and error_code(bad_ref) == "VAL_REFERENCE_INVALID"
    erased = api.as_(a.admin, "DELETE", f"{USERS}/{forget.id}",
                     params={"hardDelete": "true", "transferNegotiationsTo": str(a.admin.id)})
    assert erased.status_code == 200, erased.text
    data = erased.json()["data"]["dataDeleted"]
    assert data["recordsRemoved"] == 1 and data["logsAnonymized"] >= 2
    entries = api.as_(a.admin, "GET", "/api/v1/admin/audit", params={"limit": 100}).text
    assert "forget.me@example.com" not in entries and "Forget" not in entries


def test_config_roundtrip_is_partial_and_audited(world: World) -> None:
    api, a = world.api, world.a
    before = api.as_(a.admin, "GET", "/api/v1/admin/config").json()["data"]
    assert before["tenant"]["id"] == str(a.id) and before["limits"]["currentUsers"] == 2
    assert before["limits"]["maxAIMessagesPerMonth"] > 0
    assert before["regional"]["timezone"] == "Europe/Bucharest"
    put = api.as_(a.admin, "PUT", "/api/v1/admin/config", json={
        "regional": {"timezone": "Europe/Kyiv", "currency": "UAH"},
        "security": {"passwordPolicy": {"minLength": 12, "requireUppercase": True,
                                        "requireNumber": True, "requireSpecial": False}}})
    assert put.status_code == 200 and put.json()["data"] == {"updated": True}
    after = api.as_(a.admin, "GET", "/api/v1/admin/config").json()["data"]
    assert after["regional"] == {**before["regional"], "timezone": "Europe/Kyiv",
                                 "currency": "UAH"}
    assert after["branding"] == before["branding"]
    entry = api.as_(a.admin, "GET", "/api/v1/admin/audit",
                    params={"action": "tenant.config_updated"}).json()["data"]["entries"][0]
    fields = {c["field"]: (c["oldValue"], c["newValue"]) for c in entry["changes"]}
    assert fields["settings.regional.timezone"] == ("Europe/Bucharest", "Europe/Kyiv")
    assert entry["user"]["email"] == a.admin.email and entry["metadata"]["requestId"]
    # The new password policy applies to new users.
    weak = api.as_(a.admin, "POST", USERS, json={
        "email": "p@example.com", "firstName": "P", "lastName": "Q", "role": "viewer",
        "tempPassword": "alllowercase long"})
    assert weak.status_code == 422


def test_audit_filters_and_cursor_pages(world: World) -> None:
    api, a = world.api, world.a
    for i in range(5):
        api.as_(a.admin, "PUT", f"{USERS}/{a.viewer.id}", json={"lastName": f"V{i}"})
        world.clock.advance(minutes=1)
    audit = "/api/v1/admin/audit"
    updates = api.as_(a.admin, "GET", audit, params={
        "action": "user.updated", "entityId": str(a.viewer.id)}).json()["data"]["entries"]
    assert len(updates) == 5
    assert updates[0]["changes"] == [{"field": "last_name", "oldValue": "V3",
                                      "newValue": "V4"}]
    assert all(e["user"]["id"] == str(a.admin.id) for e in updates)
    wildcard = api.as_(a.admin, "GET", audit, params={"action": "user.*"}).json()["data"]
    assert {e["action"] for e in wildcard["entries"]} >= {"user.updated", "user.created"}

    seen, cursor, pages = [], None, 0
    while True:
        params = {"pagination": "cursor", "limit": 2, "entityType": "user"}
        if cursor:
            params["cursor"] = cursor
        page = api.as_(a.admin, "GET", audit, params=params).json()["data"]
        seen += [e["id"] for e in page["entries"]]
        pages += 1
        cursor = page["pagination"]["cursor"]
        if not page["pagination"]["hasMore"]:
            assert cursor is None
            break
    everything = api.as_(a.admin, "GET", audit, params={"entityType": "user",
                                                        "limit": 100}).json()["data"]
    assert seen == [e["id"] for e in everything["entries"]] and pages >= 3
    assert len(set(seen)) == len(seen)

    window = api.as_(a.admin, "GET", audit, params={
        "startDate": (world.clock.now() - timedelta(minutes=3, seconds=30)).isoformat(),
        "endDate": world.clock.now().isoformat(), "action": "user.updated"}).json()["data"]
    assert len(window["entries"]) == 3
    by_ip = api.as_(a.admin, "GET", audit, params={"ipAddress": "testclient",
                                                   "userId": str(a.admin.id)}).json()["data"]
    assert by_ip["entries"] and all(e["metadata"]["ipAddress"] == "testclient"
                                    for e in by_ip["entries"])


def test_health_and_rate_limit_status(world: World) -> None:
    api, a = world.api, world.a
    health = api.as_(a.admin, "GET", "/api/v1/admin/health").json()["data"]
    assert health["status"] in {"healthy", "degraded"}
    assert health["database"]["status"] == "up" and health["uptime"] >= 0
    assert any(s["name"] == "database" for s in health["services"])
    status = api.as_(a.viewer, "GET", "/api/v1/rate-limit/status").json()["data"]
    assert status["tenant"]["limits"]["requestsPerHour"] == 2000
    reads = next(e for e in status["byEndpoint"] if e["endpoint"].startswith("GET,HEAD"))
    assert reads["used"] == 1 and reads["limit"] == 1000


def test_mfa_enrolment_and_login(world: World) -> None:
    from cloud.auth import mfa

    api, a = world.api, world.a
    setup = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/setup").json()["data"]
    assert setup["otpauthUri"].startswith("otpauth://totp/")
    wrong = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/enable", json={"code": "000000"})
    assert wrong.status_code == 422
    code = mfa.code_at(setup["secret"], world.clock.now())
    assert api.as_(a.viewer, "POST", "/api/v1/auth/mfa/enable",
                   json={"code": code}).status_code == 200

    world.clock.advance(seconds=30)
    body = {"email": a.viewer.email, "password": PASSWORD}
    need = api.client.post("/api/v1/auth/login", json=body)
    assert need.status_code == 401 and error_code(need) == "AUTH_MFA_REQUIRED"
    code = mfa.code_at(setup["secret"], world.clock.now())
    ok = api.client.post("/api/v1/auth/login", json={**body, "mfaCode": code})
    assert ok.status_code == 200
    replay = api.client.post("/api/v1/auth/login", json={**body, "mfaCode": code})
    assert replay.status_code == 401 and error_code(replay) == "AUTH_INVALID_CREDENTIALS"


def test_tenant_requiring_two_factor(world: World) -> None:
    api, a = world.api, world.a
    assert api.as_(a.admin, "PUT", "/api/v1/admin/config",
                   json={"security": {"requireTwoFactor": True}}).status_code == 200
    blocked = api.as_(a.viewer, "GET", "/api/v1/rate-limit/status")
    assert blocked.status_code == 401 and error_code(blocked) == "AUTH_MFA_REQUIRED"
    assert blocked.json()["error"]["details"]["enrollmentRequired"] is True
    assert api.as_(a.viewer, "POST", "/api/v1/auth/mfa/setup").status_code == 200
    assert api.as_(world.b.viewer, "GET", "/api/v1/rate-limit/status").status_code == 200


CONFIG = "/api/v1/admin/config"
SECTIONS = ("branding", "regional", "defaults", "notifications", "security")


def test_config_refuses_null_sections_and_values(world: World) -> None:
    api, a = world.api, world.a
    before = api.as_(a.admin, "GET", CONFIG).json()["data"]
    every = api.as_(a.admin, "PUT", CONFIG, json=dict.fromkeys(SECTIONS))
    assert every.status_code == 422 and error_code(every) == "VAL_MULTIPLE_ERRORS"
    fields = {e["field"] for e in every.json()["error"]["details"]["errors"]}
    assert all(any(s in f for f in fields) for s in SECTIONS), fields
    for section in SECTIONS:
        one = api.as_(a.admin, "PUT", CONFIG, json={section: None})
        assert one.status_code == 422, one.text
        assert section in one.json()["error"]["field"]
    for section, key in (("branding", "primaryColor"), ("regional", "timezone"),
                         ("defaults", "paymentTerms"), ("notifications", "dailyDigest"),
                         ("security", "passwordPolicy"), ("security", "ipWhitelist")):
        leaf = api.as_(a.admin, "PUT", CONFIG, json={section: {key: None}})
        assert leaf.status_code == 422 and key in leaf.json()["error"]["field"], leaf.text
    # Null still clears what may be absent: the logo and the idle timeout.
    cleared = api.as_(a.admin, "PUT", CONFIG, json={"branding": {"logo": None},
                                                    "security": {"sessionTimeout": None}})
    assert cleared.status_code == 200
    after = api.as_(a.admin, "GET", CONFIG)
    assert after.status_code == 200 and after.json()["data"] == before


def test_config_read_survives_nulls_stored_by_older_versions(world: World) -> None:
    from cloud.models.tenancy import Tenant

    api, a = world.api, world.a
    with world.app.state.sessions() as session:
        tenant = session.get(Tenant, a.id)
        assert tenant is not None
        tenant.settings = {**dict.fromkeys(SECTIONS),
                           "regional": {"timezone": None, "currency": "UAH"}}
        session.commit()
    got = api.as_(a.admin, "GET", CONFIG)
    assert got.status_code == 200, got.text
    data = got.json()["data"]
    assert data["branding"]["primaryColor"] == "#1F6FEB"
    assert data["regional"]["timezone"] == "Europe/Bucharest"
    assert data["regional"]["currency"] == "UAH"
    assert data["security"]["passwordPolicy"]["minLength"] == 8
    fixed = api.as_(a.admin, "PUT", CONFIG, json={"branding": {"companyName": "Shop A2"}})
    assert fixed.status_code == 200
    again = api.as_(a.admin, "GET", CONFIG).json()["data"]
    assert again["branding"]["companyName"] == "Shop A2"
    assert again["branding"]["primaryColor"] == "#1F6FEB"


def test_mfa_codes_are_ascii_digits_only(world: World) -> None:
    from cloud.auth import mfa

    api, a = world.api, world.a
    wide = "１２３４５６"  # full-width digits: str.isdigit() and \d accept them
    secret = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/setup").json()["data"]["secret"]
    assert mfa.verify(secret, wide, now=world.clock.now()) is None
    assert mfa.verify(secret, "١٢٣٤٥٦", now=world.clock.now()) is None  # Arabic-Indic
    enable = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/enable", json={"code": wide})
    assert enable.status_code == 422 and enable.json()["error"]["field"] == "code"
    code = mfa.code_at(secret, world.clock.now())
    assert api.as_(a.viewer, "POST", "/api/v1/auth/mfa/enable",
                   json={"code": code}).status_code == 200
    world.clock.advance(seconds=30)
    login = api.client.post("/api/v1/auth/login", json={
        "email": a.viewer.email, "password": PASSWORD, "mfaCode": wide})
    assert login.status_code == 422 and login.json()["error"]["field"] == "mfaCode"
    disable = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/disable",
                      json={"code": wide, "password": PASSWORD})
    assert disable.status_code == 422 and disable.json()["error"]["field"] == "code"
    code = mfa.code_at(secret, world.clock.now())
    assert api.client.post("/api/v1/auth/login", json={
        "email": a.viewer.email, "password": PASSWORD, "mfaCode": code}).status_code == 200
