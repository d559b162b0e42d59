"""Settings shared by every environment.

Everything that differs between machines comes from the environment (twelve-factor);
dev.py, test.py and production.py only choose defaults for their use.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's OSCAR_* defaults, overridden below)

from shop.apps.order import statuses as order_statuses

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, whose forms it extends with one field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Oscar, with our forks in place of the apps we change.
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.apps.checkout.apps.CheckoutConfig",
    "shop.apps.address.apps.AddressConfig",
    "shop.apps.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.apps.partner.apps.PartnerConfig",
    "shop.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    # Oscar's search app imports haystack; browse and search themselves run on the
    # database (shop/apps/search), so no index can go stale.
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # django-ninja serves /api/v1/ (shop/api.py); listed so its API docs use local files.
    "ninja",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # The "Translate" action: copies a page into the other language's tree (cms).
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Failed logins are throttled on every login form (shop.apps.core.login_throttle).
    "axes",
    # Content-Security-Policy (shop.apps.core.csp); listed for its configuration checks.
    "csp",
    # Karya
    "shop.apps.core.apps.CoreConfig",
    "shop.payments.apps.PaymentsConfig",
    "shop.pos.apps.PosConfig",
    "production_link.apps.ProductionLinkConfig",
    "cms.apps.CmsConfig",
    # Buyers' personal data (UU 27/2022): notice, download, erasure, retention, audit.
    "shop.privacy.apps.PrivacyConfig",
    "production_link.training.apps.TrainingConfig",
    "production_link.insight.apps.InsightConfig",
    "production_link.commissions.apps.CommissionsConfig",
    "shop.invoicing.apps.InvoicingConfig",
    "shop.marketing.apps.MarketingConfig",
    "production_link.programme.apps.ProgrammeConfig",
    "shop.institutions.apps.InstitutionsConfig",
]

MIDDLEWARE = [
    # First, so every log line and every queued task of the request carries its id, and
    # the metrics time the whole request (shop/ops).
    "shop.ops.request_id.RequestIdMiddleware",
    "shop.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in a query string or JSON body is a 400/422 here, not a database error later.
    "shop.apps.core.input_guard.NulCharacterMiddleware",
    # Printed labels and receipts link to the address the request came in on, unless
    # KARYA_PUBLIC_URL is set (shop.apps.core.public_url).
    "shop.apps.core.public_url.PublicUrlMiddleware",
    # Content-Security-Policy (shop.apps.core.csp): before the page cache, so a stored page
    # gets the policy and nonce of the response it is served in.
    "shop.apps.core.csp.KaryaCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The campaign (UTM) or outside site a visitor lands from, into their session: before
    # the page cache, so a landing page served from it still records the touch
    # (shop.marketing.touch).
    "shop.marketing.touch.AttributionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous visitors' listings and marketing pages from the cache (see its docstring):
    # after the CSRF middleware, which sets each visitor's own token cookie, and before
    # everything a cached page does not need (user, messages, basket, the view).
    "shop.apps.core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Oscar's, applying offers without asking for offers and vouchers that do not exist.
    "shop.apps.basket.middleware.BasketMiddleware",
    # Signed-in buyers and baskets get the same cached pages, with their own header,
    # messages and forms filled in (see its docstring): after everything that sets them.
    "shop.apps.core.personal_pages.SharedPageMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp, shop.apps.core.csp). Scripts only from the shop
# itself or inline with the response's nonce; no plugins, no framing by other sites, forms
# post only to the shop. Styles may be inline: Oscar's dashboard widgets and Wagtail write
# style attributes, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *env.list("KARYA_CSP_IMG_SOURCES", default=[])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Card payment pages only: Stripe.js, its card frames and its API (Stripe's documented CSP).
_STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}
KARYA_CSP_PAGE_UPDATES = {
    "payments:stripe-pay": _STRIPE_CSP,
    "payments:stripe-return": _STRIPE_CSP,
}
# Wagtail's editor writes inline scripts without a nonce; only there may inline scripts run.
KARYA_CSP_INLINE_SCRIPT_PREFIXES = ["/cms/"]
# The address of the page a visitor leaves goes to other sites without its path and query.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "shop.apps.core.context_processors.navigation",
                "shop.apps.core.page_cache.csrf_placeholder",
                "shop.apps.core.csp.csp_nonce",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))


def sqlite_concurrent_options(database: dict) -> dict:
    """SQLite tuned for several writers at once (POS devices syncing while a cashier closes
    a session). WAL lets readers go on beside the one writer; IMMEDIATE takes the write lock
    at BEGIN, so a transaction that reads and then writes waits its turn (up to ``timeout``
    seconds) instead of failing at once with "database is locked" when it tries to upgrade
    a read lock that another writer has overtaken. Django 5.1+ reads transaction_mode."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    return database


sqlite_concurrent_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = (
    # First: refuses a locked-out account or address before any password is checked.
    "shop.apps.core.login_throttle.LoginThrottleBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "customer:login"

# Login throttling (django-axes, see shop.apps.core.login_throttle): after AXES_FAILURE_LIMIT
# failed logins for one account, or from one address, that account or address waits
# AXES_COOLOFF_TIME. The database handler works on any single database; production with
# Redis counts in the cache instead (production.py).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "shop.apps.core.login_throttle.account_key"
AXES_CLIENT_IP_CALLABLE = "shop.apps.core.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "shop.apps.core.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# No row per successful login: an address book of who signed in from where is not needed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# How many proxies in front of the app append to X-Forwarded-For (production: the load
# balancer). 0 trusts only REMOTE_ADDR, so nobody can pick their own address by header.
KARYA_TRUSTED_PROXY_COUNT = env.int("KARYA_TRUSTED_PROXY_COUNT", default=0)

# Indonesian first; English selectable from every page.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Catalogue content (products, categories, segments, workshops) in both languages
# (catalog/translation.py, production_link/translation.py): Indonesian is the source,
# an English page shows it, marked, where no English text exists yet. "default" fills
# the Indonesian column whenever a translated field is set at creation, in whatever
# language is active then, so no product is ever left without its Indonesian name.
MODELTRANSLATION_DEFAULT_LANGUAGE = "id"
MODELTRANSLATION_LANGUAGES = ("id", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("id",)}
MODELTRANSLATION_AUTO_POPULATE = "default"
# The admin fills a new slug from the Indonesian name.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "id"

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SITE_ID = 1

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://karya")}

# Whole pages for anonymous visitors (shop/apps/core/page_cache.py): how long a copy may be
# served at most (0 turns the cache off), and which pages (URL names) are cached. Changes to
# the catalogue and pages, and a product selling out, flush the copies at once; the time
# bounds the rest (a unit count, review or impact figure may be that much older). A product
# page's views are still counted for every copy served (catalog.product_views).
KARYA_PAGE_CACHE_SECONDS = env.int("KARYA_PAGE_CACHE_SECONDS", default=300)
KARYA_PAGE_CACHE_URL_NAMES = frozenset(
    {
        "catalogue:index",
        "catalogue:category",
        "catalogue:detail",
        "catalogue:segment",
        "search:search",
        "wagtail_serve",
    }
)
# Product views are counted in this Redis and folded into Oscar's analytics every minute
# (catalog.product_views). It must not evict keys, so by default the broker's Redis, not
# the cache's; without one each view is written to the database inside the request.
KARYA_PRODUCT_VIEWS_REDIS_URL = env("KARYA_PRODUCT_VIEWS_REDIS_URL", default=REDIS_URL)

# Marketing (shop.marketing): an order is credited to the last campaign link or outside
# site of the buyer's session within this many days; payment pages the buyer returns
# from are no touch.
KARYA_ATTRIBUTION_DAYS = env.int("KARYA_ATTRIBUTION_DAYS", default=30)
KARYA_ATTRIBUTION_IGNORED_REFERRERS = ("stripe.com", "stripe.network")

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Karya <noreply@karya.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The embedded default runs tasks inline; production points at Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs are declared in one place: shop/celery.py (beat_schedule).

# Stripe (used by the payments issue; read here so every environment is configured alike).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# An online order not paid within this many hours is cancelled and its stock released.
KARYA_UNPAID_ORDER_HOURS = env.int("KARYA_UNPAID_ORDER_HOURS", default=48)
# Invoices on terms (shop.invoicing): the terms of a buyer without an organisation, and how
# many days before the due date the buyer is reminded (a second reminder follows it).
KARYA_INVOICE_DEFAULT_TERMS_DAYS = env.int("KARYA_INVOICE_DEFAULT_TERMS_DAYS", default=30)
KARYA_INVOICE_REMINDER_DAYS_BEFORE = env.int("KARYA_INVOICE_REMINDER_DAYS_BEFORE", default=7)
# The contact data (name, e-mail, address, telephone) of an order placed without an account
# is anonymised this many days after the order (shop.privacy, a daily Celery job).
KARYA_GUEST_DATA_RETENTION_DAYS = env.int("KARYA_GUEST_DATA_RETENTION_DAYS", default=365)

# SQLite (the embedded demo database) cannot make "one approved report per period" treat
# an empty Lapas (the national report) as a value, so there only report_approve's own check
# guards it; PostgreSQL, used in production and CI, enforces the constraint.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
# Another Stripe-compatible server (the tests' fake); shop/payments/stripe_client.py uses it.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# The Stripe library retries a failed network call with the same idempotency key.
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)

# Courier rates from a courier aggregator's API (shop/apps/shipping/rates.py, README
# "Parcels and waybills"); without a URL the zone tables price every parcel.
KARYA_SHIPPING_RATES_URL = env("KARYA_SHIPPING_RATES_URL", default="")
KARYA_SHIPPING_RATES_KEY = env("KARYA_SHIPPING_RATES_KEY", default="")
KARYA_SHIPPING_RATES_COURIERS = env("KARYA_SHIPPING_RATES_COURIERS", default="jne,sicepat,jnt")
KARYA_SHIPPING_RATES_TIMEOUT = env.float("KARYA_SHIPPING_RATES_TIMEOUT", default=3.0)
KARYA_SHIPPING_RATES_RETRY_AFTER = env.int("KARYA_SHIPPING_RATES_RETRY_AFTER", default=60)

# Oscar
OSCAR_SHOP_NAME = "Karya"
OSCAR_SHOP_TAGLINE = _("Goods from the workshops of Indonesia's correctional institutions")
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "IDR"
# Whole rupiah: Rp150.000 in Indonesian, IDR150,000 in English.
OSCAR_CURRENCY_FORMAT = {"IDR": {"format": "¤#,##0", "currency_digits": False}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_REQUIRED_ADDRESS_FIELDS = (
    "first_name",
    "line1",
    "line4",
    "state",
    "postcode",
    "country",
    "phone_number",
)
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
OSCAR_SEND_REGISTRATION_EMAIL = True

# Order statuses. Status values are stored as written here; their Indonesian labels
# come from shop.apps.order.statuses.
OSCAR_INITIAL_ORDER_STATUS = order_statuses.AWAITING_PAYMENT
OSCAR_INITIAL_LINE_STATUS = order_statuses.AWAITING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = order_statuses.PIPELINE
OSCAR_LINE_STATUS_PIPELINE = order_statuses.PIPELINE
OSCAR_ORDER_STATUS_CASCADE = order_statuses.CASCADE

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
# Browse and search query the database directly, so no index has to follow changes.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Wagtail
WAGTAIL_SITE_NAME = "Karya"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/cms/login/"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# The same pixel limit as every other upload (shop.apps.core.imaging.MAX_IMAGE_PIXELS).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Wagtail's admin would load avatars from gravatar.com and check releases.wagtail.org: the
# Content-Security-Policy refuses both, and the shop must work on a closed network.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors must give every image a description: it is the image's alt text (cms.forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
TAGGIT_CASE_INSENSITIVE = True

# Prometheus scrapes /metrics with this bearer token; without one the endpoint is off.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "sorl.thumbnail": {"level": "WARNING"},
        # Oscar logs two lines per stock record saved; only problems are worth reading.
        "oscar.alerts": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
OSCAR_HIDDEN_FEATURES = ["reviews"]
# The public address of the shop, for links in emails and on printed labels and receipts.
# Empty: the address of the request being served, else WAGTAILADMIN_BASE_URL
# (shop.apps.core.public_url).
KARYA_PUBLIC_URL = env("KARYA_PUBLIC_URL", default="")

# Oscar's dashboard menu, with Karya's production pages after the catalogue.
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "shop.apps.core.dashboard.access_fn"
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION[:2],
    {
        "label": _("Production"),
        "icon": "fas fa-industry",
        "children": [
            {"label": _("Batches"), "url_name": "production_dashboard:batch-list"},
            {"label": _("Plan a batch"), "url_name": "production_dashboard:batch-create"},
            {"label": _("Import batches (CSV)"), "url_name": "production_dashboard:batch-import"},
            {"label": _("Demand insight"), "url_name": "insight_dashboard:index"},
            {"label": _("Service bookings"), "url_name": "commissions_dashboard:service-days"},
            {"label": _("Made to order"), "url_name": "commissions_dashboard:commission-list"},
            {
                "label": _("Government procurement catalogue"),
                "url_name": "procurement_dashboard:index",
            },
            {"label": _("Training and certification"), "url_name": "training_dashboard:list"},
        ],
    },
    {
        "label": _("PNBP"),
        "icon": "fas fa-landmark",
        "children": [
            {"label": _("Ledger"), "url_name": "pnbp_dashboard:entry-list"},
            {"label": _("Deposits"), "url_name": "pnbp_dashboard:deposit-list"},
            {"label": _("Revenue split"), "url_name": "pnbp_dashboard:split-list"},
            {"label": _("Reports"), "url_name": "pnbp_reports_dashboard:index"},
            {"label": _("Receivables (invoices)"), "url_name": "invoicing_dashboard:receivables"},
        ],
    },
    {
        "label": _("Planning and monev"),
        "icon": "fas fa-clipboard-check",
        "children": [
            {"label": _("Work programmes"), "url_name": "programme_dashboard:programme-list"},
            {"label": _("Monitoring and evaluation"), "url_name": "programme_dashboard:monev"},
            {"label": _("Regional office"), "url_name": "programme_dashboard:region-index"},
        ],
    },
    {
        "label": _("Point of sale"),
        "icon": "fas fa-cash-register",
        "children": [
            {"label": _("Sales locations"), "url_name": "pos_dashboard:location-list"},
            {"label": _("Stock transfers"), "url_name": "pos_dashboard:transfer-list"},
            {"label": _("Cash sessions"), "url_name": "pos_dashboard:session-list"},
            {"label": _("Sale conflicts"), "url_name": "pos_dashboard:conflict-list"},
            {"label": _("Payments to verify"), "url_name": "pos_dashboard:payment-list"},
            {"label": _("QRIS and PIN"), "url_name": "pos_dashboard:settings"},
        ],
    },
    {
        "label": _("Institutions"),
        "icon": "fas fa-building",
        "children": [
            {"label": _("Institutional quotes"), "url_name": "institutions_dashboard:quote-list"},
            {
                "label": _("Reserved for internal needs"),
                "url_name": "institutions_dashboard:reservation-list",
            },
            {"label": _("Organisations"), "url_name": "institutions_dashboard:organisation-list"},
        ],
    },
    *OSCAR_DASHBOARD_NAVIGATION[2:],
]

# Oscar leaves its shipping-charge pages out of the menu; Karya's rate tables per zone are
# edited there (shop.apps.shipping), by central staff only (the pages' permissions).
OSCAR_DASHBOARD_NAVIGATION = [
    {
        **entry,
        "children": [
            *entry["children"],
            {"label": _("Shipping charges"), "url_name": "dashboard:shipping-method-list"},
        ],
    }
    if any(child.get("url_name") == "dashboard:order-list" for child in entry.get("children", ()))
    else entry
    for entry in OSCAR_DASHBOARD_NAVIGATION
]
