"""A plain django-oscar 4.2 shop, set up as Oscar's "Building your own shop" guide does.

It is `make bench`'s baseline: what Oscar costs out of the box, on Karya's catalogue. It
departs from the guide only where a shop that really sells must, or where the benchmark
needs Karya and the baseline served alike:

- DEBUG off; SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and MEDIA_ROOT from the
  environment (the bench points MEDIA_ROOT at Karya's media, so the same image files and
  thumbnails are used);
- guest checkout on and rupiah as the currency, as in Karya;
- Redis as the cache when REDIS_URL is set, as in Karya's production settings;
- mail from EMAIL_URL, printed to the console by default, as in Karya (the guide leaves
  Django's SMTP default, and a placed order then fails at its confirmation e-mail);
- haystack with Whoosh, as Oscar's sandbox: the guide's simple engine lists nothing on the
  browse page (it searches for the text of base_sqs's filters, not with them);
- the query counter first in MIDDLEWARE, and a small app (benchdata) with the commands
  that load Karya's exported catalogue and reset stock between rounds.

Run management commands from the repository root:
  PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.benchmarks.oscar_baseline.settings \
      .venv/bin/django-admin migrate
"""

import tempfile
from pathlib import Path

import environ
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

# The baseline only ever runs on loopback for a benchmark; a fixed key keeps its commands
# simple, and the bench may pass its own.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-oscar-baseline-bench-only")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # 3rd-party apps that Oscar depends on
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # The benchmark's own commands (no models, no URLs, no templates).
    "tests.benchmarks.oscar_baseline.benchdata",
]

SITE_ID = 1

MIDDLEWARE = [
    "tests.benchmarks.querycount.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "tests.benchmarks.oscar_baseline.urls"
WSGI_APPLICATION = "tests.benchmarks.oscar_baseline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)

# Same database engine and connection reuse as Karya (shop/settings/base.py).
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Oscar's migrations create integer keys; Oscar's sandbox keeps Django's old default too.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

# Oscar e-mails the buyer when an order is placed; with Django's default (SMTP on
# localhost:25) the order is saved but the buyer gets an error page. Karya reads the same
# variable and prints mail to the console unless told otherwise.
vars().update(env.email("EMAIL_URL", default="consolemail://"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "oscar-baseline-media"))
# No collectstatic in the benchmark: plain names, nothing to look up in a manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": env(
            "BASELINE_WHOOSH_PATH",
            default=str(Path(tempfile.gettempdir()) / "oscar-baseline-whoosh"),
        ),
    },
}

OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_DEFAULT_CURRENCY = "IDR"
