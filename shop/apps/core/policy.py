"""The permission policy: one table saying, for every page, API operation and admin area,
who may use it; one decorator/mixin (pages) and one ninja auth class (API) enforce it.

Which *objects* a user sees is the other half and lives in selectors: a rule marked
``lapas=True`` only lets in people who belong to a Lapas (or central admins); the page's
selector then narrows every lookup to the Lapas they belong to, so another Lapas's batch,
deposit or order is a 404.

A route that is not in this table is refused (403) and fails the permission-matrix test
(tests/shop/core/test_policy.py): a new page gets an entry here or it is not reachable.

This module sits low: it imports nothing of the apps above it. Checks that are not a
Django permission (is this person a cashier?) are named by the dotted path of a selector.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import URLResolver, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import SessionAuth

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Action:
    """A POST action of a page that needs more than the page itself, recognised by the
    values it posts (e.g. Oscar's order page: change_order_status to "Paid")."""

    match: tuple[tuple[str, str], ...]
    perms: tuple[str, ...]

    def matches(self, data) -> bool:
        return all(data.get(key) == value for key, value in self.match)


@dataclass(frozen=True)
class Rule:
    """Who may use one page or operation.

    perms: every one is needed (central admins have them all);
    any_of: at least one of these is needed as well;
    write: needed as well for POST, PUT, PATCH and DELETE;
    actions: needed as well for the POST actions they match;
    check: dotted path of a selector ``(user) -> bool`` that must say yes;
    lapas: scoped to the user's Lapas (they must belong to one; selectors narrow objects);
    public: anyone, signed in or not; signed_in: any signed-in person (buyers' pages);
    signed_out: only the signed-out (Oscar's password reset);
    central: central admins only;
    guard: enforced by another guard, named here (the Django admin, Wagtail's admin):
    the table records it, the matrix test checks it, the decorator leaves it alone.
    """

    perms: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    check: str = ""
    lapas: bool = True
    public: bool = False
    signed_in: bool = False
    signed_out: bool = False
    central: bool = False
    guard: str = ""
    refusal_template: str = ""  # a page of its own for the refused (default: Django's 403)
    refusal_code: str = ""  # the API's machine code for a refusal (default: forbidden)


PUBLIC = Rule(public=True, lapas=False)
SIGNED_IN = Rule(signed_in=True, lapas=False)
SIGNED_OUT = Rule(signed_out=True, lapas=False)
CENTRAL = Rule(central=True, lapas=False)


def perm(*perms: str, write: tuple[str, ...] = (), actions=(), lapas: bool = True) -> Rule:
    return Rule(perms=perms, write=write, actions=tuple(actions), lapas=lapas)


# --- the table -----------------------------------------------------------------------------
# Permission names are Django's "app_label.codename"; the roles that hold them are in
# shop/apps/core/roles.py. Central admins (superusers, staff) pass every rule.

VIEW_PRODUCT = "catalogue.view_product"
VIEW_ORDER = "order.view_order"
RECORD_PAYMENT = "payment.change_source"  # the treasurer's and the Kalapas's
VIEW_BATCH = "production_link.view_batch"
CASHIER_CHECK = "shop.pos.selectors.user_is_cashier"
CASHIER = Rule(check=CASHIER_CHECK, lapas=False, refusal_code="not_a_cashier")
POS_USER_CHECK = "shop.pos.selectors.user_may_print_pos"
VIEW_PROGRAMME = "programme.view_programme"
CHANGE_PROGRAMME = "programme.change_programme"
VIEW_MONEV = "programme.view_monevassessment"
VIEW_REPORT = "production_link.view_pnbpreport"
SUBMIT_REPORT = "programme.submit_reportsubmission"
VIEW_REGION = "programme.view_region"  # regional officers (and central admins)
REVIEW_REPORT = "programme.review_reportsubmission"

# The dashboard's front page and menu: anyone with one of the dashboard's subjects.
DASHBOARD_ENTRY = (
    VIEW_PRODUCT,
    VIEW_ORDER,
    VIEW_BATCH,
    "production_link.view_ledgerentry",
    "production_link.view_pnbpreport",
    "programme.view_programme",
)

MARK_PAID = Action(
    match=(("order_action", "change_order_status"), ("new_status", "Paid")),
    perms=(RECORD_PAYMENT,),
)
PAYMENT_EVENT = Action(match=(("order_action", "create_payment_event"),), perms=(RECORD_PAYMENT,))

VIEWS: dict[str, Rule] = {
    # Site-wide, public.
    "healthz": PUBLIC,
    "healthz-live": PUBLIC,
    "healthz-ready": PUBLIC,
    "metrics": PUBLIC,  # a bearer token of its own (METRICS_TOKEN, shop/ops/metrics.py)
    "set_language": PUBLIC,
    "sitemap": PUBLIC,
    "robots_txt": PUBLIC,
    "javascript-catalog": PUBLIC,
    "stripe-webhook": PUBLIC,  # signed by Stripe (shop/payments/webhooks.py)
    "production_link:trace": PUBLIC,
    "cms_newsletter_signup": PUBLIC,
    "cms_newsletter_confirm": PUBLIC,
    "cms_newsletter_unsubscribe": PUBLIC,
    "wagtail_serve": PUBLIC,
    "wagtailcore_authenticate_with_password": PUBLIC,
    "wagtailcore_login": PUBLIC,  # the login of password-protected pages
    "wagtaildocs_authenticate_with_password": PUBLIC,
    # Oscar's password reset: for the signed-out only (login_forbidden).
    "password-reset": SIGNED_OUT,
    "password-reset-done": SIGNED_OUT,
    "password-reset-confirm": SIGNED_OUT,
    "password-reset-complete": SIGNED_OUT,
    "search:search": PUBLIC,
    "offer:list": PUBLIC,
    "offer:detail": PUBLIC,
    "wishlists:detail": PUBLIC,  # a shared wish list: its key is the secret
    # Buyers sign in, register, follow an order or an alert without an account.
    "customer:login": PUBLIC,
    "customer:logout": PUBLIC,
    "customer:register": PUBLIC,
    "customer:anon-order": PUBLIC,
    "customer:anon-order-form": PUBLIC,
    "customer:alert-create": PUBLIC,
    "customer:alerts-confirm": PUBLIC,
    "customer:alerts-cancel-by-key": PUBLIC,
    "basket:saved": SIGNED_IN,
    "buy_again:order": SIGNED_IN,  # the buyer's own orders only (selector: else a 404)
    "checkout:user-address-update": SIGNED_IN,
    "checkout:user-address-delete": SIGNED_IN,
    # Card payment pages: the order's owner or the session that placed it (selector).
    "payments:stripe-pay": PUBLIC,
    "payments:stripe-return": PUBLIC,
    # --- the POS app and its printouts: cashiers (selector), supervisors for printouts.
    "pos_app:shell": Rule(
        check="shop.pos.selectors.user_may_use_pos",
        lapas=False,
        refusal_template="pos/app/forbidden.html",
    ),
    "pos_app:sw": PUBLIC,  # the service worker script: no data
    "pos_app:manifest": PUBLIC,
    "pos_print:receipt": Rule(check=POS_USER_CHECK, lapas=False),
    "pos_print:receipt-pdf": Rule(check=POS_USER_CHECK, lapas=False),
    "pos_print:z-report": Rule(check=POS_USER_CHECK, lapas=False),
    "pos_print:z-report-pdf": Rule(check=POS_USER_CHECK, lapas=False),
    # --- Oscar's dashboard.
    "dashboard:login": PUBLIC,
    "dashboard:logout": PUBLIC,
    "dashboard:index": Rule(any_of=DASHBOARD_ENTRY),
    # Catalogue: workshop staff list and edit their products; deleting needs its own
    # permission (no role has it: central admins, or a grant to one person).
    "dashboard:catalogue-product-list": perm(VIEW_PRODUCT),
    "dashboard:catalogue-product-lookup": perm(VIEW_PRODUCT),
    "dashboard:catalogue-product": perm(VIEW_PRODUCT, write=("catalogue.change_product",)),
    "dashboard:catalogue-product-create": perm(VIEW_PRODUCT, "catalogue.add_product"),
    "dashboard:catalogue-product-create-child": perm(VIEW_PRODUCT, "catalogue.add_product"),
    "dashboard:catalogue-product-bulk-action": perm(VIEW_PRODUCT, "catalogue.change_product"),
    "dashboard:catalogue-product-delete": perm(VIEW_PRODUCT, "catalogue.delete_product"),
    # Orders of the user's Lapas (Oscar filters them by partner); "Paid" and payment
    # events are the treasurer's and the Kalapas's (the service checks the order's Lapas).
    "dashboard:order-list": perm(VIEW_ORDER),
    "dashboard:order-stats": perm(VIEW_ORDER),
    "dashboard:order-detail": perm(
        VIEW_ORDER, write=("order.change_order",), actions=(MARK_PAID, PAYMENT_EVENT)
    ),
    "dashboard:order-detail-note": perm(VIEW_ORDER, write=("order.change_order",)),
    "dashboard:order-line-detail": perm(VIEW_ORDER),
    "dashboard:order-shipping-address": perm(VIEW_ORDER, "order.change_order"),
    "payments_dashboard:order-refund": perm(VIEW_ORDER, RECORD_PAYMENT),
    "payments_dashboard:refund-retry": perm(VIEW_ORDER, RECORD_PAYMENT),
    # Parcels (courier and waybill) of the orders of their Lapas: whoever packs and ships.
    "parcels_dashboard:order-parcels": perm(VIEW_ORDER, write=("order.change_order",)),
    "parcels_dashboard:parcel-remove": perm(VIEW_ORDER, "order.change_order"),
    "parcels_dashboard:upload": perm(VIEW_ORDER, "order.change_order"),
    # --- production: workshop staff plan and run batches; the Kalapas reads and recalls.
    "production_dashboard:batch-list": perm(VIEW_BATCH),
    "production_dashboard:batch-detail": perm(VIEW_BATCH),
    "production_dashboard:batch-label-png": perm(VIEW_BATCH),
    "production_dashboard:batch-label-pdf": perm(VIEW_BATCH),
    "production_dashboard:batch-label-zpl": perm(VIEW_BATCH),
    "production_dashboard:batch-trace-csv": perm(VIEW_BATCH),
    "production_dashboard:batch-create": perm(VIEW_BATCH, "production_link.add_batch"),
    "production_dashboard:batch-import": perm(VIEW_BATCH, "production_link.add_batch"),
    "production_dashboard:batch-plan": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:batch-production": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:batch-qc": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:batch-release": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:batch-qc-rework": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:batch-write-off": perm(VIEW_BATCH, "production_link.change_batch"),
    "production_dashboard:qc-evidence": perm(VIEW_BATCH),
    "production_dashboard:batch-recall": perm(VIEW_BATCH, "production_link.recall_batch"),
    # --- the government procurement catalogue (catalog.procurement): whoever sees the
    # products of a Lapas downloads its e-Katalog workbook and price list (own Lapas).
    "procurement_dashboard:index": perm(VIEW_PRODUCT),
    "procurement_dashboard:ekatalog": perm(VIEW_PRODUCT),
    "procurement_dashboard:price-list": perm(VIEW_PRODUCT),
    # --- training and certification figures (production_link.training): workshop staff
    # enter and correct them for their own Lapas; the Kalapas reads them.
    "training_dashboard:list": perm("training.view_trainingcourse"),
    "training_dashboard:create": perm(
        "training.view_trainingcourse", "training.add_trainingcourse"
    ),
    "training_dashboard:delete": perm(
        "training.view_trainingcourse", "training.delete_trainingcourse"
    ),
    # --- PNBP: the treasurer deposits; the Kalapas reads and sets the split.
    "pnbp_dashboard:entry-list": perm("production_link.view_ledgerentry"),
    "pnbp_dashboard:entry-detail": perm("production_link.view_ledgerentry"),
    "pnbp_dashboard:split-list": perm(
        "production_link.view_revenuesplit", write=("production_link.add_revenuesplit",)
    ),
    "pnbp_dashboard:deposit-list": perm("production_link.view_deposit"),
    "pnbp_dashboard:deposit-detail": perm("production_link.view_deposit"),
    "pnbp_dashboard:deposit-create": perm("production_link.add_deposit"),
    "pnbp_dashboard:deposit-billing": perm("production_link.change_deposit"),
    "pnbp_dashboard:deposit-ntpn": perm("production_link.change_deposit"),
    "pnbp_dashboard:deposit-cancel": perm("production_link.delete_deposit"),
    "pnbp_reports_dashboard:index": perm("production_link.view_pnbpreport"),
    "pnbp_reports_dashboard:report": perm("production_link.view_pnbpreport"),
    "pnbp_reports_dashboard:export": perm("production_link.view_pnbpreport"),
    # Approving needs the Kalapas of that very Lapas (or a central admin for all of them):
    # report_approve checks it and says so; the page offers it to them only.
    "pnbp_reports_dashboard:approve": perm("production_link.view_pnbpreport"),
    # Demand insight (production_link.insight): workshop staff and the Kalapas, who see
    # the batches, and regional officers; the selector narrows to their own Lapas (or
    # region's), central admins see all.
    **{
        f"insight_dashboard:{name}": Rule(any_of=(VIEW_BATCH, "programme.view_region"))
        for name in ("index", "demand", "products", "buyers", "csv")
    },
    # --- POS supervision: the people who may take money back (treasurer, Kalapas).
    # --- The yearly work programme and the monev: the Kalapas writes, the region reads
    # (selectors narrow to the Lapas a user may read; services refuse all but members).
    "programme_dashboard:programme-list": perm(VIEW_PROGRAMME),
    "programme_dashboard:programme-detail": perm(VIEW_PROGRAMME, write=(CHANGE_PROGRAMME,)),
    **{
        f"programme_dashboard:{name}": perm(VIEW_PROGRAMME, CHANGE_PROGRAMME)
        for name in (
            "programme-create",
            "programme-budget-add",
            "programme-budget-delete",
            "programme-milestone-add",
            "programme-milestone-done",
        )
    },
    "programme_dashboard:monev": perm(VIEW_MONEV),
    **{
        f"programme_dashboard:{name}": perm(VIEW_MONEV, "programme.change_monevassessment")
        for name in (
            "monev-answers",
            "monev-finding-add",
            "monev-follow-up-add",
            "monev-follow-up-status",
        )
    },
    # Reports up the chain: the Kalapas submits; the region (Kanwil) reviews and
    # consolidates; report_submit and the reviews check the very Lapas and region.
    "programme_dashboard:report-submit": perm(VIEW_REPORT, SUBMIT_REPORT),
    "programme_dashboard:report-resubmit": perm(VIEW_REPORT, SUBMIT_REPORT),
    "programme_dashboard:region-index": perm(VIEW_REGION),
    "programme_dashboard:region-submission": perm(VIEW_REGION),
    "programme_dashboard:region-consolidated": perm(VIEW_REGION),
    "programme_dashboard:region-consolidated-export": perm(VIEW_REGION),
    "programme_dashboard:region-acknowledge": perm(VIEW_REGION, REVIEW_REPORT),
    "programme_dashboard:region-return": perm(VIEW_REGION, REVIEW_REPORT),
    **{
        f"pos_dashboard:{name}": perm(RECORD_PAYMENT)
        for name in (
            "location-list",
            "location-create",
            "location-update",
            "transfer-list",
            "transfer-create",
            "transfer-detail",
            "transfer-return",
            "session-list",
            "session-detail",
            "conflict-list",
            "conflict-detail",
            "payment-list",
            "payment-verify",
            "settings",
        )
    },
    # Buyers' personal data (shop.privacy): the notice is public; the download and the
    # erasure are the signed-in buyer's own (the erasure also re-checks the password and
    # refuses staff accounts).
    "privacy:notice": PUBLIC,
    "privacy:account": SIGNED_IN,
    "privacy:export": SIGNED_IN,
    "privacy:erase": SIGNED_IN,
    # Receipts of paid orders: the buyer's own (selector: anything else is a 404), and a
    # guest's through Oscar's signed order link and the e-mail entered in the session.
    "receipts:order": SIGNED_IN,
    "receipts:guest-order": PUBLIC,
    # Invoices on terms (shop.invoicing): the buyer's own (or their organisation's; the
    # selector 404s the rest); the Lapas's staff read them, whoever ships records deliveries,
    # the treasurer and Kalapas record payments and read the aged receivables.
    "invoicing:invoice": SIGNED_IN,
    "invoicing:delivery": SIGNED_IN,
    "invoicing_dashboard:receivables": perm(RECORD_PAYMENT),
    "invoicing_dashboard:receivables-csv": perm(RECORD_PAYMENT),
    "invoicing_dashboard:invoice-detail": perm(VIEW_ORDER),
    "invoicing_dashboard:invoice-pdf": perm(VIEW_ORDER),
    "invoicing_dashboard:delivery-pdf": perm(VIEW_ORDER),
    "invoicing_dashboard:invoice-payment": perm(VIEW_ORDER, RECORD_PAYMENT),
    "invoicing_dashboard:delivery-create": perm(VIEW_ORDER, "order.change_order"),
    # Services booked by date (production_link.commissions): the buyer's own bookings
    # (selector: another's is a 404); the Lapas's days and capacity for its staff.
    "commissions:booking-create": SIGNED_IN,
    "commissions:booking-list": SIGNED_IN,
    "commissions:occurrence-cancel": SIGNED_IN,
    "commissions_dashboard:service-days": perm("commissions.view_servicebooking"),
    "commissions_dashboard:capacity-set": perm(
        "commissions.view_servicebooking", "commissions.change_servicecapacity"
    ),
    "commissions_dashboard:commission-list": perm("commissions.view_commission"),
    # Institutional buyers (shop.institutions): the organisation page and the buyer's own
    # quotes (selectors: another organisation's quote is a 404); asking for a quote needs
    # an approved organisation. A Lapas's quotes and reserved products for its staff (only
    # its own: selectors), the organisations' approval for the central office.
    "institutions:account": SIGNED_IN,
    "institutions:quote-list": SIGNED_IN,
    "institutions:quote-request": Rule(
        check="shop.institutions.selectors.user_is_organisation_buyer", lapas=False
    ),
    "institutions:quote-detail": SIGNED_IN,
    "institutions:quote-accept": SIGNED_IN,
    "institutions:quote-reject": SIGNED_IN,
    "institutions:quote-withdraw": SIGNED_IN,
    "institutions:attachment-download": SIGNED_IN,
    "institutions:po-download": SIGNED_IN,
    "institutions_dashboard:quote-list": perm("institutions.view_quote"),
    "institutions_dashboard:quote-detail": perm(
        "institutions.view_quote", write=("institutions.change_quote",)
    ),
    "institutions_dashboard:quote-decline": perm(
        "institutions.view_quote", "institutions.change_quote"
    ),
    "institutions_dashboard:attachment-download": perm("institutions.view_quote"),
    "institutions_dashboard:po-download": perm("institutions.view_quote"),
    "institutions_dashboard:reservation-list": perm("institutions.change_productreservation"),
    "institutions_dashboard:reservation-clear": perm("institutions.change_productreservation"),
    "institutions_dashboard:organisation-list": CENTRAL,
    "institutions_dashboard:organisation-detail": CENTRAL,
    # Newsletter list export, from the CMS (editors).
    "cms_subscriber_export": Rule(perms=("cms.view_subscriber",), lapas=False),
    # Marketing (shop.marketing): the product feeds are public files; the campaign report
    # (in the CMS) is for editors and central admins.
    "marketing_feed": PUBLIC,
    "marketing_campaign_report": Rule(perms=("marketing.view_orderattribution",), lapas=False),
    # Newsletter issues (cms.newsletter): editors try and follow them; sending to the
    # subscribers needs the send permission as well.
    "cms_newsletter_issue_send": Rule(
        perms=("cms.view_newsletterissue",),
        write=("cms.change_newsletterissue",),
        actions=(Action(match=(("action", "send"),), perms=("cms.send_newsletterissue",)),),
        lapas=False,
    ),
}

# Whole namespaces with one rule: the shop front and the buyer's account are Oscar's own
# (public, or signed-in with the buyer's own objects); the rest of Oscar's dashboard is
# the central office's (categories, product types, offers, vouchers, users, pages, …).
NAMESPACES: dict[str, Rule] = {
    "catalogue": PUBLIC,
    "basket": PUBLIC,
    "checkout": PUBLIC,  # Oscar's checkout lets guests in, or sends to its own login
    # (the saved basket and the address book are the signed-in buyer's own)
    # The buyer's account: Oscar's login_required, and each view reads the buyer's own.
    "customer": SIGNED_IN,
    "product_chooser": Rule(guard="wagtail", lapas=False, perms=("wagtailadmin.access_admin",)),
    "category_chooser": Rule(guard="wagtail", lapas=False, perms=("wagtailadmin.access_admin",)),
    "dashboard": CENTRAL,
}

# Patterns without a name, by their path.
ROUTES: dict[str, Rule] = {
    "accounts/notifications/": PUBLIC,  # a redirect to the inbox, which is signed-in
}

# Areas with their own guard, by path: the table says who, their guard enforces it.
AREAS: dict[str, Rule] = {
    # Django's admin: staff with model permissions (and its actions need them too); only
    # central admins are staff. Its login page is public.
    "admin/": Rule(central=True, lapas=False, guard="django admin"),
    # Wagtail: editors and central admins (wagtailadmin.access_admin).
    "cms/": Rule(perms=("wagtailadmin.access_admin",), lapas=False, guard="wagtail"),
    "documents/": Rule(public=True, lapas=False, guard="wagtail documents"),
    # The API: each operation has its rule in API below, enforced by PolicyAuth.
    "api/v1/": Rule(lapas=False, guard="api"),
}
AREA_PUBLIC_NAMES = {
    "admin:login",
    "admin:javascript-catalog",  # a widget's translations
    "admin:logout",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}

# The API, by "METHOD /path" as ninja's routers declare it.
API: dict[str, Rule] = {
    "GET /products/": PUBLIC,
    "GET /products/{product_id}/": PUBLIC,
    "GET /products/facets/": PUBLIC,
    "GET /segments/": PUBLIC,
    "GET /trace/{code}": PUBLIC,
    "GET /batches": perm(VIEW_BATCH),
    "GET /batches/{batch_id}": perm(VIEW_BATCH),
    "POST /batches": perm(VIEW_BATCH, "production_link.add_batch"),
    "GET /pnbp/entries": perm("production_link.view_ledgerentry"),
    "GET /pnbp/entries/{entry_id}": perm("production_link.view_ledgerentry"),
    "GET /pnbp/deposits": perm("production_link.view_deposit"),
    "GET /pnbp/deposits/{deposit_id}": perm("production_link.view_deposit"),
    "GET /pnbp/reports/{kind}": perm("production_link.view_pnbpreport"),
    "GET /pos/locations": CASHIER,
    "GET /pos/locations/{location_id}/catalogue": CASHIER,
    "POST /pos/sessions": CASHIER,
    "GET /pos/sessions/{session_id}": CASHIER,
    "POST /pos/sales/sync": CASHIER,
    "POST /pos/sessions/{session_id}/close": CASHIER,
    "POST /pos/sales/{order_number}/void": CASHIER,
}
# ninja's own pages: the schema and its browsable docs describe every operation.
for _name in ("api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"):
    VIEWS[_name] = PUBLIC


# --- looking up ----------------------------------------------------------------------------


class NoRule(LookupError):
    pass


def rule_for_route(view_name: str | None, route: str = "") -> Rule:
    """The rule of a URL pattern, by its name (or, for an area, its path)."""
    if view_name in VIEWS:
        return VIEWS[view_name]
    if view_name is None and route in ROUTES:
        return ROUTES[route]
    for prefix, rule in AREAS.items():
        if route.startswith(prefix):
            return PUBLIC if view_name in AREA_PUBLIC_NAMES else rule
    if view_name and ":" in view_name and view_name.split(":", 1)[0] in NAMESPACES:
        return NAMESPACES[view_name.split(":", 1)[0]]
    raise NoRule(view_name or route)


def rule_for_operation(method: str, path: str) -> Rule:
    key = f"{method.upper()} {path}"
    if key not in API:
        raise NoRule(key)
    return API[key]


# --- deciding ------------------------------------------------------------------------------

ALLOW, LOG_IN, REFUSE = "allow", "log in", "refuse"


def is_central_admin(user) -> bool:
    """Central admins see every Lapas (as production_link.selectors.lapas_for_user)."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def _belongs_to_a_lapas(user) -> bool:
    """A member of a Lapas, or a regional officer (who reads the Lapas of their region:
    the selectors narrow to those, and the services' writes need membership, which a
    regional officer never has). The region is read by its reverse name, not imported."""
    cache = getattr(user, "_policy_lapas", None)
    if cache is None:
        cache = (
            user.partners.exists()
            or get_user_model().objects.filter(pk=user.pk, regional_office__isnull=False).exists()
        )
        user._policy_lapas = cache
    return cache


def user_passes(user, rule: Rule, *, method: str = "GET", data=None) -> bool:
    """Whether a signed-in (or anonymous) user passes a rule; objects are the selectors'."""
    if rule.signed_out:
        return not user.is_authenticated
    if rule.public:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if rule.signed_in or is_central_admin(user):
        return True
    if rule.central:
        return False
    needed = list(rule.perms)
    if method.upper() not in SAFE_METHODS:
        needed += rule.write
        if data is not None:
            for action in rule.actions:
                if action.matches(data):
                    needed += action.perms
    if needed and not user.has_perms(needed):
        return False
    if rule.any_of and not any(user.has_perm(p) for p in rule.any_of):
        return False
    if rule.check and not import_string(rule.check)(user):
        return False
    # Scoped rules: only people who belong to a Lapas (selectors narrow to it).
    return not rule.lapas or _belongs_to_a_lapas(user)


def decide(request, rule: Rule) -> str:
    data = request.POST if request.method == "POST" else None
    if user_passes(request.user, rule, method=request.method, data=data):
        return ALLOW
    return REFUSE if request.user.is_authenticated else LOG_IN


def user_may_open(user, url_name: str) -> bool:
    """For menus and links: may this user open the page named url_name (GET)?"""
    try:
        rule = rule_for_route(url_name)
    except NoRule:
        return False
    return user_passes(user, rule)


def user_may_post(user, url_name: str, data: dict) -> bool:
    """For buttons: may this user post this data to the page named url_name?"""
    try:
        rule = rule_for_route(url_name)
    except NoRule:
        return False
    return user_passes(user, rule, method="POST", data=data)


# --- enforcing: pages ----------------------------------------------------------------------


def _check(request):
    """None to go on, or the refusal: the login page for the anonymous, else 403."""
    match = request.resolver_match
    try:
        rule = rule_for_route(match.view_name if match else None, match.route if match else "")
    except NoRule:
        raise PermissionDenied from None
    outcome = decide(request, rule)
    if outcome == ALLOW:
        return None
    if outcome == LOG_IN:
        login_url = settings.LOGIN_URL
        if match and match.route.startswith("cms/"):
            login_url = "wagtailadmin_login"
        elif match and match.view_name.startswith("dashboard:"):
            login_url = "dashboard:login"  # as Oscar's own dashboard decorator
        return redirect_to_login(request.get_full_path(), login_url=login_url)
    if rule.refusal_template:
        html = render_to_string(
            rule.refusal_template,
            {"user": request.user, "logout_url": reverse("customer:logout")},
            request=request,
        )
        return HttpResponseForbidden(html)
    raise PermissionDenied


def policy_required(view):
    """The one decorator of pages: the rule of the route the request came by decides."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        refusal = _check(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    wrapped.policy_required = True
    return wrapped


def policy_urls(included):
    """The decorator on every pattern of an include() (for a package that may not import
    this module): include(...) in, include(...) out."""
    module, app_name, namespace = included
    patterns = getattr(
        import_module(module) if isinstance(module, str) else module, "urlpatterns", module
    )
    _decorate(patterns)
    return included


def _decorate(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _decorate(pattern.url_patterns)
        elif not getattr(pattern.callback, "policy_required", False):
            pattern.callback = policy_required(pattern.callback)


class PolicyRequiredMixin:
    """The same, for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        refusal = _check(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)


# --- enforcing: the API --------------------------------------------------------------------


class PolicyAuth(SessionAuth):
    """The one auth class of the API: the Django session (with ninja's CSRF check for
    writes), then the operation's rule. Not signed in: 401; signed in but refused: 403."""

    def __init__(self, rule: Rule, key: str = ""):
        super().__init__()
        self.rule = rule
        self.key = key

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError as error:
            # ninja's CSRF check failed: a code of its own, so that a client (the POS app)
            # can tell an expired token, which it renews and retries, from a refusal.
            if error.status_code == 403:
                error.code = "csrf_failed"
            raise

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if not user_passes(user, self.rule, method=request.method):
            error = HttpError(403, gettext("Your role may not use this operation."))
            error.code = self.rule.refusal_code or "forbidden"
            raise error
        return user


def api_operations(api):
    """(method, path, operation) for every operation of a NinjaAPI, paths as declared."""
    for prefix, router in api._routers:
        yield from _router_operations(router, prefix)


def _router_operations(router, prefix):
    for path, path_view in router.path_operations.items():
        full = "/" + "/".join(p for p in (prefix.strip("/"), path.strip("/")) if p)
        if path.endswith("/") and not full.endswith("/"):
            full += "/"
        for operation in path_view.operations:
            for method in operation.methods:
                yield method, full, operation


def api_apply_policy(api) -> None:
    """Give every operation of the API the auth of its rule (public ones none). An
    operation without a rule is refused to all but central admins."""
    for method, path, operation in api_operations(api):
        try:
            rule = rule_for_operation(method, path)
        except NoRule:
            rule = CENTRAL
        operation.auth_callbacks = [] if rule.public else [PolicyAuth(rule, f"{method} {path}")]
