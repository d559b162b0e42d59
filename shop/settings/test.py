"""Settings for the test suite. `make test` points DATABASE_URL at a throwaway PostgreSQL."""

import tempfile

from .base import *  # noqa: F403
from .base import SILENCED_SYSTEM_CHECKS, env

DEBUG = False
SECRET_KEY = "django-insecure-karya-tests-only"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Tests read pages right after changing data; the page cache has tests of its own that
# turn it on (tests/shop/core/test_page_cache.py).
KARYA_PAGE_CACHE_SECONDS = 0
# Product views written at once, so tests can read them; the Redis counter has tests of its
# own (tests/catalog/test_product_views.py).
KARYA_PRODUCT_VIEWS_REDIS_URL = ""
CELERY_BROKER_URL = "memory://"
# Each test gets its own MEDIA_ROOT (tests/conftest.py); this one is for anything else.
MEDIA_ROOT = env("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="karya-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests talk to a local fake Stripe (tests/fakes/stripe_server.py): a retry only hides bugs.
STRIPE_MAX_NETWORK_RETRIES = 0
# Never the real Stripe from a test, whatever the environment holds: the card method is
# off unless a test turns on the fake server (the `fake_stripe` fixture).
STRIPE_SECRET_KEY = ""
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
STRIPE_API_BASE = "http://127.0.0.1:9"
# Failed logins counted in the cache, which every test starts empty (tests/conftest.py);
# axes warns that a local-memory cache is per process, which a test run is.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]
