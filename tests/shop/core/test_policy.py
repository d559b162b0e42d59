"""The permission policy (shop.apps.core.policy), checked route by route.

The matrix walks every URL pattern of the site (Django's resolver) and every operation of
the API (ninja's routers) as every role, on objects of the role's own Lapas and of
another Lapas, and asserts what the policy's table says: allowed is never a 403 or a
trip to the login page; refused is a 403 or a 404 (or, for the anonymous, the login
page). A route without an entry in the table fails here.

The objects are built once for the module (one transaction rolled back at the end);
every request runs in a savepoint that is rolled back, so a POST changes nothing for the
next one.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from oscar.core.loading import get_model

from shop.api import api
from shop.apps.core import policy

Order = get_model("order", "Order")

ROLES = (
    "anonymous",
    "buyer",
    "institutional_buyer",
    "editor",
    "cashier",
    "workshop_staff",
    "treasurer",
    "kalapas",
    "regional_officer",
    "central_admin",
)
LAPAS_ROLES = ("cashier", "workshop_staff", "treasurer", "kalapas")


def walk(resolver=None, prefix="", namespace=None):
    """(route, name, pattern) of every URL pattern, names with their namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern


ROUTES = list(walk())


# --- the world ------------------------------------------------------------------------------


@dataclass
class Side:
    """The objects of one Lapas."""

    lapas: object
    product: object
    batch: object
    order: object
    entry: object
    deposit: object
    location: object
    session: object
    sale: object


def _side(lapas, code, central, cashier):
    """A product with a batch, an order and its PNBP entry in a deposit, a gallery with an
    open session and one sale: made directly, so the matrix does not hang on the sales
    services (its subject is who may open what, not how a sale is recorded)."""
    from production_link.models import StockLocation
    from production_link.pnbp.services import deposit_create
    from shop.pos.models import PosLocation, PosSale, PosSession
    from tests.factories import LedgerEntryFactory, ProductFactory, WorkshopFactory

    product = ProductFactory(
        title=f"Produk {code}",
        workshop=WorkshopFactory(lapas=lapas, name=f"Bengkel {code}", code=code),
        stockrecord__price=Decimal("50000"),
        stockrecord__num_in_stock=5,
    )
    batch = product.batches.get()
    now = timezone.now()
    entry = LedgerEntryFactory(lapas=lapas, due_at=now, lines=[(batch, 1, Decimal("50000"))])
    deposit = deposit_create(lapas=lapas, entry_ids=[entry.pk], user=central)
    gallery = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(
            lapas=lapas, kind=StockLocation.Kind.GALLERY, name=f"Galeri {code}", city="Kota"
        ),
        venue="Jl. Merdeka 1",
    )
    gallery.cashiers.add(cashier)
    session = PosSession.objects.create(cashier=cashier, location=gallery, opening_float=0)
    counter = LedgerEntryFactory(
        lapas=lapas, due_at=now, channel="pos", lines=[(batch, 1, Decimal("50000"))]
    )
    sale = PosSale.objects.create(
        session=session,
        status=PosSale.Status.RECORDED,
        order=counter.order,
        payment_method="cash",
        total=Decimal("50000"),
        created_at=now,
    )
    return Side(
        lapas=lapas,
        product=product,
        batch=batch,
        order=entry.order,
        entry=entry,
        deposit=deposit,
        location=gallery,
        session=session,
        sale=sale,
    )


@dataclass
class World:
    own: Side
    other: Side
    clients: dict
    users: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from shop.apps.core.services import user_assign_role
    from tests.factories import LapasFactory, UserFactory

    with django_db_blocker.unblock(), transaction.atomic():
        own_lapas = LapasFactory(name="Lapas Policy Own", short_code="POW")
        other_lapas = LapasFactory(name="Lapas Policy Other", short_code="POT")
        central = UserFactory(username="policy.pusat", is_staff=True, is_superuser=True)
        users = {"central_admin": central, "buyer": UserFactory(username="policy.pembeli")}
        for role in LAPAS_ROLES:
            users[role] = user_assign_role(
                user=UserFactory(username=f"policy.{role}"), role_code=role, lapas=own_lapas
            )
        for role in ("editor", "institutional_buyer"):
            users[role] = user_assign_role(
                user=UserFactory(username=f"policy.{role}"), role_code=role
            )
        # The regional officer reads the own Lapas through its region, and no other.
        from production_link.programme.models import Region
        from production_link.programme.services import region_lapas_set, regional_officer_set

        region = Region.objects.create(name="Kanwil Policy", province="Banten")
        region_lapas_set(region=region, lapas=own_lapas)
        users["regional_officer"] = user_assign_role(
            user=UserFactory(username="policy.kanwil"), role_code="regional_officer"
        )
        regional_officer_set(user=users["regional_officer"], region=region)
        other_cashier = user_assign_role(
            user=UserFactory(username="policy.other.cashier"),
            role_code="cashier",
            lapas=other_lapas,
        )
        own = _side(own_lapas, "POW", central, users["cashier"])
        other = _side(other_lapas, "POT", central, other_cashier)
        clients = {"anonymous": Client(raise_request_exception=False)}
        for role, user in users.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            clients[role] = client
        yield World(own=own, other=other, clients=clients, users=users)
        transaction.set_rollback(True)


# --- building URLs --------------------------------------------------------------------------


def _param_value(name: str, param: str, side: Side, converter):
    namespace, _, page = (name or "").partition(":")
    if param in ("pk", "parent_pk"):
        if namespace == "production_dashboard":
            return side.batch.pk
        if namespace == "pnbp_dashboard":
            return side.entry.pk if page.startswith("entry") else side.deposit.pk
        if namespace in ("pos_dashboard", "pos_print"):
            if page.startswith("location"):
                return side.location.pk
            if page.startswith("payment"):
                return side.sale.pk
            return side.session.pk
        if page.startswith("catalogue-product"):
            return side.product.pk
    if param == "lapas_id":
        return side.lapas.pk
    if param in ("number", "order_number"):
        return side.sale.order.number if namespace == "pos_print" else side.order.number
    if param == "line_id":
        return side.order.lines.first().pk
    if param == "code":
        return side.batch.code
    if param == "fmt":
        return "csv"
    if param == "action":
        return "default_for_billing"
    if isinstance(converter, IntConverter) or converter is None:
        return 987654
    return "x"


def url_for(route, name, pattern, side: Side, other: Side):
    """The URL of a pattern with the objects of one side, or None for an unnamed pattern
    with parameters; and whether the URL names objects (differs with the other side)."""
    if isinstance(pattern.pattern, RegexPattern):
        regex = pattern.pattern.regex
        if regex.groups and not regex.groupindex:  # unnamed groups (Wagtail's)
            for value in ("1", "x/", ""):
                try:
                    return reverse(name, args=[value] * regex.groups), False
                except NoReverseMatch:
                    pass
        params = dict.fromkeys(regex.groupindex)
    else:
        params = dict(pattern.pattern.converters)
    if name is None:
        return (None if params else "/" + route.lstrip("^").rstrip("$")), False
    kwargs = {param: _param_value(name, param, side, conv) for param, conv in params.items()}
    others = {param: _param_value(name, param, other, conv) for param, conv in params.items()}
    try:
        return reverse(name, kwargs=kwargs), kwargs != others
    except NoReverseMatch:
        # A regex group with a fixed list (the admin's app_label): its first choice.
        regex = pattern.pattern.regex.pattern
        for param in params:
            found = re.search(rf"\(\?P<{param}>([\w|]+)\)", regex)
            if found:
                kwargs[param] = found.group(1).split("|")[0]
        return reverse(name, kwargs=kwargs), kwargs != others


# --- asserting ------------------------------------------------------------------------------

REFUSED_LOGIN, ERROR = "login", "error"


def _call(user, url, method):
    """The view of a URL called as the resolver calls it, without the middleware: every
    guard of the site (the policy's decorator, the Django admin's and Wagtail's) is a
    decorator on the view, and skipping the middleware and the 403/404 pages makes a call
    about a millisecond instead of 30-200 on a busy machine. Returns the status, "login"
    for a trip to a login page, or "error" for any other exception (the view ran)."""
    match = resolve(url.split("?")[0])
    request = getattr(RequestFactory(), method.lower())(url)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    request.resolver_match = match
    try:
        if method == "GET":
            response = match.func(request, *match.args, **match.kwargs)
        else:
            # A POST that got through is undone (a savepoint costs a few ms: POSTs only).
            with transaction.atomic():
                try:
                    response = match.func(request, *match.args, **match.kwargs)
                finally:
                    transaction.set_rollback(True)
    except PermissionDenied:
        return 403
    except Http404:
        return 404
    except Exception:  # noqa: BLE001  (past the guards: what it does is not our subject)
        return ERROR
    if response.status_code in (301, 302) and "login" in response.get("Location", ""):
        return REFUSED_LOGIN
    return response.status_code


def _outcome(user, url):
    status = _call(user, url, "GET")
    return _call(user, url, "POST") if status == 405 else status


def _lapas_scoped_pass(rule, user) -> bool:
    return rule.lapas and not policy.is_central_admin(user) and user.is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_follows_the_policy(world, role):
    user = world.users.get(role) or _anonymous()
    failures = []
    for route, name, pattern in ROUTES:
        rule = policy.rule_for_route(name, route)
        if rule.guard == "api":
            continue  # operation by operation below
        if (name or "").endswith("logout"):
            continue  # public; a logout answers with the login page, by design
        url, has_objects = url_for(route, name, pattern, world.own, world.other)
        if url is None:
            continue
        allowed = policy.user_passes(user, rule)
        if rule.guard and allowed and url.rstrip("/") not in ("/admin", "/cms"):
            # Inside the Django admin and Wagtail their own guards decide model by model;
            # the policy says who gets in at all (checked on their front pages).
            continue
        status = _outcome(user, url)
        if allowed and status in (401, 403, REFUSED_LOGIN):
            failures.append(f"{role} {url} ({name}): allowed but got {status}")
        elif not allowed and status not in (403, 404, REFUSED_LOGIN):
            failures.append(f"{role} {url} ({name}): refused but got {status}")
        elif allowed and has_objects and _lapas_scoped_pass(rule, user):
            other_url, _ = url_for(route, name, pattern, world.other, world.own)
            other = _outcome(user, other_url)
            if other not in (403, 404):
                failures.append(f"{role} {other_url} ({name}): another Lapas's, got {other}")
    assert not failures, "\n".join(failures)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


API_PARAMS = {
    "product_id": lambda side: side.product.pk,
    "batch_id": lambda side: side.batch.pk,
    "entry_id": lambda side: side.entry.pk,
    "deposit_id": lambda side: side.deposit.pk,
    "location_id": lambda side: side.location.pk,
    "session_id": lambda side: side.session.pk,
    "order_number": lambda side: side.sale.order.number,
    "code": lambda side: side.batch.code,
    "kind": lambda side: "monthly",
}


def api_url(path: str, side: Side) -> tuple[str, bool]:
    # Products and report kinds are not objects of a Lapas here (products are public).
    has_objects = "{" in path and "{kind}" not in path and "{product_id}" not in path
    for param, value in API_PARAMS.items():
        path = path.replace("{" + param + "}", str(value(side)))
    return "/api/v1" + path, has_objects


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_follows_the_policy(world, role):
    client = world.clients[role]
    user = world.users.get(role) or _anonymous()
    failures = []
    for method, path, _operation in policy.api_operations(api):
        rule = policy.rule_for_operation(method, path)
        allowed = policy.user_passes(user, rule, method=method)
        url, has_objects = api_url(path, world.own)
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, "{}", content_type="application/json")
            transaction.set_rollback(True)
        status = response.status_code
        if status >= 500:
            failures.append(f"{role} {method} {url}: {status}")
        elif allowed and status in (401, 403):
            failures.append(f"{role} {method} {url}: allowed but got {status}")
        elif not allowed and status != (401 if role == "anonymous" else 403):
            failures.append(f"{role} {method} {url}: refused but got {status}")
        elif allowed and method == "GET" and has_objects and _lapas_scoped_pass(rule, user):
            other_url, _ = api_url(path, world.other)
            other = client.get(other_url).status_code
            if other not in (403, 404):
                failures.append(f"{role} GET {other_url}: another Lapas's object, got {other}")
    assert not failures, "\n".join(failures)


# --- the table itself -----------------------------------------------------------------------


def test_every_route_has_an_entry_in_the_table():
    missing = []
    for route, name, _pattern in ROUTES:
        try:
            policy.rule_for_route(name, route)
        except policy.NoRule:
            missing.append(f"{route} ({name})")
    assert missing == []


def test_every_api_operation_has_an_entry_and_every_entry_an_operation():
    declared = {f"{method} {path}" for method, path, _op in policy.api_operations(api)}
    assert declared == set(policy.API)


def test_every_guarded_page_carries_the_policy_decorator():
    """A rule that the decorator enforces is useless on a view that does not carry it."""
    bare = []
    for route, name, pattern in ROUTES:
        rule = policy.rule_for_route(name, route)
        if rule.public or rule.signed_in or rule.signed_out or rule.guard:
            continue
        if not getattr(pattern.callback, "policy_required", False):
            bare.append(f"{route} ({name})")
    assert bare == []


def test_an_unknown_route_is_refused(rf, buyer):
    from django.core.exceptions import PermissionDenied
    from django.urls import ResolverMatch

    request = rf.get("/nowhere/")
    request.user = buyer
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name="nowhere", route="x/")

    with pytest.raises(PermissionDenied):
        policy.policy_required(lambda r: None)(request)
