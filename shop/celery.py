import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Workers take the request id of the request that queued a task (a message header) for
# their log lines; the web side adds the header (shop/ops/request_id.py).
import shop.ops.request_id  # noqa: E402, F401

# One beat should run; a second one started by mistake sends nothing twice, because each
# entry is sent only by the beat that takes its slot in Redis first (shop/beat.py).
app.conf.beat_scheduler = "shop.beat:LockedScheduler"

# Periodic jobs are declared here, in one place.
app.conf.beat_schedule = {
    # Warns each Lapas of licences expiring in 60 and 30 days, and withdraws products
    # whose licence (P-IRT, BPOM, PSAT, halal, SNI) has expired (catalog.tasks).
    "catalog-licence-expiry-sweep": {
        "task": "catalog.licence_expiry_sweep",
        "schedule": crontab(hour=0, minute=30),
    },
    # Recounts the impact figures of the home and impact pages (cms.selectors); pages
    # only read them from the cache.
    "cms-impact-figures-refresh": {
        "task": "cms.tasks.impact_figures_refresh",
        "schedule": 15 * 60,
    },
    # Product views counted in Redis off the request path go into Oscar's analytics
    # (catalog.product_views); a Redis restart loses at most this interval's views.
    "catalog-product-views-fold": {
        "task": "catalog.product_views_fold",
        "schedule": 60,
    },
    # Demand insight's daily sales roll-up (production_link.insight.rollup): the days that
    # ended and the days touched by late orders or status changes since the last run.
    "insight-sales-days-refresh": {
        "task": "insight.sales_days_refresh",
        "schedule": 10 * 60,
    },
    # Just after midnight in Jakarta: yesterday's expired batches leave the online stock.
    "stock-expire-batches": {
        "task": "production_link.tasks.stock_expire_batches",
        "schedule": crontab(hour=0, minute=5),
    },
    # Online orders unpaid after KARYA_UNPAID_ORDER_HOURS are cancelled and their units
    # released (shop.payments.tasks).
    "payments-expire-unpaid-orders": {
        "task": "payments.orders_expire_unpaid",
        "schedule": 10 * 60,
    },
    # PNBP (production_link.tasks): after the day's deadlines have passed, flag sales not
    # deposited in time and email the treasurers; then reconcile the ledger for central staff.
    "pnbp-flag-overdue": {
        "task": "production_link.tasks.pnbp_flag_overdue",
        "schedule": crontab(hour=0, minute=15),
    },
    "pnbp-reconcile": {
        "task": "production_link.tasks.pnbp_reconcile_daily",
        "schedule": crontab(hour=1, minute=0),
    },
    # Product feeds for Google Merchant Center and the Meta catalogue, per language
    # (shop.marketing.feeds): rebuilt hourly into storage, served as files.
    "marketing-feeds-refresh": {
        "task": "marketing.feeds_refresh",
        "schedule": 60 * 60,
    },
    # Invoices on terms (shop.invoicing.tasks): issue any invoice whose issue was lost, then
    # remind buyers before and after the due date, once per invoice and kind.
    "invoicing-daily": {
        "task": "invoicing.invoices_daily",
        "schedule": crontab(hour=7, minute=0),
    },
    # Guest orders past KARYA_GUEST_DATA_RETENTION_DAYS lose their contact data
    # (shop.privacy.tasks); orders, amounts and the PNBP ledger stay.
    "privacy-guest-orders-anonymise": {
        "task": "privacy.guest_orders_anonymise",
        "schedule": crontab(hour=2, minute=30),
    },
}
