"""A web node as production runs it (shop.settings.production, everything from the
environment: DATABASE_URL, REDIS_URL, the bucket), over plain HTTP on loopback for the
multi-node test. Only what the TLS-terminating load balancer would otherwise provide is
changed: no HTTPS redirect, and cookies a plain-HTTP client sends back."""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "False")

from shop.settings.production import *  # noqa: E402, F403
from shop.settings.production import STORAGES  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# collectstatic is not part of the test: pages only need the manifest-free names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
