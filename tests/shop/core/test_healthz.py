import os

import kombu.pools
import pytest
from django.urls import reverse

from shop.celery import app as celery_app

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis: `make test` starts one and sets REDIS_URL"
)


@pytest.fixture
def broker(settings):
    """Point Celery at a real broker for one test, then back to running tasks inline."""
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}

    def use(url):
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url
        _drop_pool()

    # Celery's broker pools are bound to the URL they were made for (and kept in kombu's
    # global registry): drop them all, closed, so the next use makes fresh ones for the
    # current URL, here and again afterwards for the tests that follow.
    def _drop_pool():
        kombu.pools.reset()
        celery_app._after_fork()

    yield use
    celery_app.conf.update(saved)
    _drop_pool()


def test_healthy_when_database_cache_and_inline_tasks_work(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_unhealthy_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 9 of loopback: the connection is refused.
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@needs_redis
def test_healthy_with_a_real_redis_cache_and_broker(client, settings, broker):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    broker(REDIS_URL)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"]["mode"] == "broker"


def test_unhealthy_when_the_broker_is_unreachable(client, broker):
    broker("redis://127.0.0.1:9/0")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405
