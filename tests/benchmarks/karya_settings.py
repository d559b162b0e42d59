"""Karya as `make bench` serves it: the production settings, read from the environment
(DATABASE_URL, REDIS_URL, SECRET_KEY), over plain HTTP on loopback.

Only what a TLS-terminating proxy would otherwise provide is changed: no HTTPS redirect
and cookies that a plain-HTTP client sends back. The query counter is added in front.
"""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "False")

from shop.settings.production import *  # noqa: E402, F403
from shop.settings.production import MIDDLEWARE  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# collectstatic is not part of the benchmark: pages only need the manifest-free names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = ["tests.benchmarks.querycount.QueryCountMiddleware", *MIDDLEWARE]
# The "rendered" rows and probes send this cookie to have Karya's page caches render the
# page (run.py RENDER_COOKIE); no visitor outside the bench can.
KARYA_PAGE_CACHE_BYPASS_COOKIE = "karya_bench_render"
