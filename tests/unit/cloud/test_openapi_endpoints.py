"""The OpenAPI document lists every endpoint of the platform core, each with its schemas."""

from __future__ import annotations

from cloud.app import create_app
from cloud.config import Settings

CORE = [
    ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"), ("post", "/api/v1/auth/api-keys"),
    ("get", "/api/v1/admin/config"), ("put", "/api/v1/admin/config"),
    ("get", "/api/v1/admin/users"), ("post", "/api/v1/admin/users"),
    ("put", "/api/v1/admin/users/{user_id}"), ("delete", "/api/v1/admin/users/{user_id}"),
    ("get", "/api/v1/admin/audit"), ("get", "/api/v1/admin/health"),
    ("get", "/api/v1/rate-limit/status"), ("get", "/api/v1/auth/jwks"),
]


def test_every_core_endpoint_is_documented() -> None:
    doc = create_app(Settings(database_url="sqlite://", tillbridge_env="embedded")).openapi()
    for method, path in CORE:
        op = doc["paths"][path][method]
        ok = op["responses"].get("200") or op["responses"].get("201")
        assert ok["content"]["application/json"]["schema"], (method, path)
        if path.startswith(("/api/v1/admin", "/api/v1/rate-limit")):
            assert op["security"] == [{"HTTPBearer": []}, {"APIKeyHeader": []}]
            assert {"401", "403", "422", "429"} <= set(op["responses"]), (method, path)
        if method in {"post", "put"} and path != "/api/v1/auth/mfa/setup":
            assert "requestBody" in op, (method, path)
