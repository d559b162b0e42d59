"""Production: everything from the environment; refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from shop.ops.log_config import json_logging
from shop.ops.sentry import sentry_init

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env
from .object_storage import object_storage_backend, object_storage_settings

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production refuses to start without one "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

DEBUG = False

# Each gunicorn worker keeps its database connection between requests instead of opening
# one (a new PostgreSQL backend process) per request; checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # A Redis of its own for the cache can evict freely (see README, page cache);
            # the broker's queues must never be evicted.
            "LOCATION": env("CACHE_REDIS_URL", default=REDIS_URL),
        }
    }
    # Sessions read from Redis, written through to the database: a signed-in page or a
    # checkout step no longer reads its session row, and nobody is logged out when Redis
    # restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Failed logins counted in Redis, shared by every app process (shop.apps.core.login_throttle).
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set, so every web node
# sees the same files (shop/settings/object_storage.py); the local disk otherwise.
_object_storage = object_storage_settings(env)
if _object_storage:
    vars().update(_object_storage)
    STORAGES["default"] = object_storage_backend()
# sorl-thumbnail (Oscar's thumbnails) remembers which thumbnails exist in the cache, backed
# by its database table, never on a node's disk: a thumbnail made by one node is found by
# the others without asking the bucket.
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the load balancer, a login's address is the one it appends to X-Forwarded-For
# (login throttling counts failures per address).
KARYA_TRUSTED_PROXY_COUNT = env.int("KARYA_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes /healthz (and /healthz/live, /healthz/ready) and Prometheus
# scrapes /metrics over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Operations (shop/ops): one JSON object per log line with the request id, which also
# follows the request into its Celery tasks; LOG_FORMAT=text for a person at a terminal.
if env("LOG_FORMAT", default="json") == "json":
    LOGGING = json_logging(env("LOG_LEVEL", default="INFO"))
    # Celery workers log through the same handlers instead of replacing them.
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports to Sentry, a self-hosted Sentry or GlitchTip, scrubbed of buyers' personal
# data (shop/ops/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
