from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import sitemaps as cms_sitemaps
from cms import views as cms_views
from shop.api import api
from shop.apps.core import auth_views
from shop.apps.core import views as core_views
from shop.apps.core.policy import policy_urls
from shop.ops import metrics as ops_metrics
from shop.payments import views as payments_views


def oscar_patterns():
    # Oscar's first pattern, named "home", redirects "/" to the catalogue; Wagtail owns
    # "/", so that one pattern is dropped. Only the patterns list of Oscar's
    # (patterns, app, namespace) tuple is included, so URL names stay un-namespaced.
    patterns = apps.get_app_config("oscar").urls[0]
    return [p for p in patterns if getattr(p, "name", None) != "home"]


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz-live"),
    path("healthz/ready", core_views.healthz_ready, name="healthz-ready"),
    # Prometheus scrapes here with METRICS_TOKEN as a bearer token (shop/ops/metrics.py).
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before Wagtail's own: its logout view drops the session cookie even on a GET.
    path("cms/logout/", auth_views.wagtail_logout, name="wagtailadmin_logout"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Search engines: one sitemap (pages, products, categories in both languages).
    path("sitemap.xml", cms_sitemaps.sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    # The API is language-neutral, so it stays outside i18n_patterns.
    path("api/v1/", api.urls),
    # Stripe posts its events here, in no language (shop/payments/webhooks.py).
    path("payments/stripe/webhook/", payments_views.stripe_webhook, name="stripe-webhook"),
    # The point of sale: one service-worker scope (/pos/), so not language-prefixed.
    path("pos/", include("shop.pos.urls_print")),
    path("pos/", include("shop.pos.urls_app")),
    # Product feeds for Google and Meta, language in the file name (shop.marketing).
    path("", include("shop.marketing.urls")),
]

# Indonesian pages live at /..., English ones at /en/...: each language has its own URL,
# so the language switch, caches and search engines all see distinct pages.
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("trace/", include("production_link.urls")),
    path("dashboard/batches/", include("production_link.dashboard.urls")),
    path("dashboard/orders/", include("shop.payments.dashboard.urls")),
    path("dashboard/invoices/", include("shop.invoicing.dashboard.urls")),
    path("dashboard/parcels/", include("shop.apps.shipping.dashboard.urls")),
    path("dashboard/pnbp-reports/", include("production_link.reports.urls")),
    path("dashboard/insight/", include("production_link.insight.urls")),
    path("dashboard/procurement/", include("catalog.procurement.urls")),
    path("dashboard/programme/", include("production_link.programme.urls")),
    path("dashboard/training/", include("production_link.training.urls")),
    path("payments/", include("shop.payments.urls")),
    # production_link.pnbp imports nothing from shop: its pages get the policy here.
    path("dashboard/pnbp/", policy_urls(include("production_link.pnbp.dashboard.urls"))),
    path("dashboard/pos/", include("shop.pos.urls_staff")),
    path("dashboard/commissions/", include("production_link.commissions.dashboard.urls")),
    path("accounts/bookings/", include("production_link.commissions.urls")),
    path("dashboard/institutions/", include("shop.institutions.urls_dashboard")),
    path("accounts/institution/", include("shop.institutions.urls")),
    path("", include("cms.urls")),
    path("", include("shop.apps.basket.urls")),  # "buy again" from a past order
    # Before Oscar's: the erasure takes over Oscar's "Delete profile" address.
    path("", include("shop.privacy.urls")),
    path("", include("shop.receipts.urls")),
    path("", include("shop.invoicing.urls")),
    *oscar_patterns(),
    prefix_default_language=False,
)

# Product images: served by the web server in a large deployment; SERVE_MEDIA lets a
# single gunicorn serve them too.
if settings.DEBUG or settings.SERVE_MEDIA:
    # django.conf.urls.static.static() is a no-op without DEBUG, hence the explicit route.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        )
    ]

# Wagtail's page serving is a catch-all, so it comes last.
urlpatterns += i18n_patterns(
    # Wagtail's own page-serving pattern, through cms.views.serve (cached routing);
    # the rest of wagtail_urls (password-protected pages) stays as it is.
    re_path(wagtail_urls.serve_pattern, cms_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
