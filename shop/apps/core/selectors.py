import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connections["default"].vendor}


def _check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return what was stored")
    return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker():
    from shop.celery import app

    if app.conf.task_always_eager:
        # The embedded default runs tasks inline: there is no broker to reach.
        return {"ok": True, "mode": "eager"}
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return {"ok": True, "mode": "broker", "transport": conn.transport_cls}


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def health_status() -> tuple[bool, dict]:
    """Run every dependency check; a failing one is reported, never raised."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    healthy = all(r["ok"] for r in results.values())
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": results}
