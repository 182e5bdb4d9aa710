"""System health for administrators (seed 001 §13.8): database, Redis, queues, disk, uptime."""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from cloud import __version__
from cloud.config import Settings
from shared.paths import data_home

__all__ = ["system_health"]


def _timed(fn: Any) -> tuple[float, Any, str | None]:
    start = time.perf_counter()
    try:
        value = fn()
        return (time.perf_counter() - start) * 1000, value, None
    except Exception as exc:  # a probe reports its failure, it never raises
        return (time.perf_counter() - start) * 1000, None, type(exc).__name__


def _pool(engine: Engine) -> dict[str, int]:
    pool: Any = engine.pool
    def num(name: str) -> int:
        fn = getattr(pool, name, None)
        try:
            return int(fn()) if callable(fn) else 0
        except (TypeError, ValueError, NotImplementedError):
            return 0
    size = num("size")
    return {"active": num("checkedout"), "idle": num("checkedin"),
            "max": size + max(0, num("overflow")) if size else 0}


def _redis(url: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if not url:
        return {"status": "not_configured", "memory": {"used": 0, "peak": 0,
                                                       "maxConfigured": 0}}, None
    # optional: the redis client is needed only when REDIS_URL is configured
    import redis

    def probe() -> dict[str, Any]:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return client.info("memory")  # type: ignore[no-any-return]
        finally:
            client.close()

    ms, info, err = _timed(probe)
    if err:
        return ({"status": "down", "memory": {"used": 0, "peak": 0, "maxConfigured": 0}},
                {"name": "redis", "status": "down", "latency": round(ms, 2), "error": err})
    mem = {"used": int(info.get("used_memory", 0)), "peak": int(info.get("used_memory_peak", 0)),
           "maxConfigured": int(info.get("maxmemory", 0))}
    return ({"status": "up", "memory": mem},
            {"name": "redis", "status": "up", "latency": round(ms, 2)})


def system_health(*, session: Session, engine: Engine, settings: Settings, now: datetime,
                  started_at: datetime, probes: dict[str, Any]) -> dict[str, Any]:
    services: list[dict[str, Any]] = []
    ms, _v, err = _timed(lambda: session.execute(text("SELECT 1")))
    db_status = "up" if err is None else "down"
    services.append({"name": "database", "status": db_status, "latency": round(ms, 2),
                     "lastCheck": now, **({"error": err} if err else {})})
    redis_doc, redis_service = _redis(settings.redis_url)
    if redis_service:
        services.append({**redis_service, "lastCheck": now})
    queues: list[dict[str, Any]] = []
    for name, probe in probes.items():
        pms, value, perr = _timed(lambda p=probe: p(session))
        services.append({"name": name, "status": "up" if perr is None else "down",
                         "latency": round(pms, 2), "lastCheck": now,
                         **({"error": perr} if perr else {})})
        if perr is None and isinstance(value, list):
            queues.extend(value)
    home = data_home()
    target = home if home.exists() else home.parent if home.parent.exists() else None
    disk = shutil.disk_usage(target) if target else None
    storage = ({"used": disk.used, "available": disk.free,
                "percentage": round(disk.used / disk.total * 100, 2)} if disk
               else {"used": 0, "available": 0, "percentage": 0.0})
    down = [s for s in services if s["status"] != "up"]
    status = ("unhealthy" if db_status != "up" else "degraded" if down else "healthy")
    return {
        "status": status, "services": services,
        "database": {"status": db_status, "dialect": engine.dialect.name,
                     "connections": _pool(engine)},
        "redis": redis_doc, "queues": queues, "storage": storage,
        "uptime": round((now - started_at).total_seconds(), 3), "version": __version__,
    }
