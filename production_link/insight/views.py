"""Dashboard pages of demand insight. Thin: the scope a request names is checked by
insight_scope_for_user (a Lapas of one's own, or every Lapas for central admins), the
figures come from selectors, tables and CSV from tables.TABLES."""

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shop.apps.core.policy import policy_required

from . import selectors
from .tables import TABLES, table_csv

PAGES = {
    "index": ("make-next",),
    "demand": ("searches-unmet", "viewed-not-bought", "stock-outs"),
    "products": ("funnel", "batches"),
    "buyers": ("channels", "provinces", "segments"),
}


def _without_jit(view):
    """Run the page's reads with PostgreSQL's JIT off (for this transaction only). Its
    figures are a dozen aggregates over one period; over a large shop the planner's cost
    estimates pass the JIT threshold and compiling each query (0.1–0.2 s) takes longer
    than running it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if connection.vendor != "postgresql":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return view(request, *args, **kwargs)

    return wrapped


def _scope(request):
    """(scope, workshop, errors): a value that means nothing is said on the page (with the
    defaults shown), a Lapas not one's own is refused (PermissionDenied, a 403)."""
    errors = []
    lapas, months = request.GET.get("lapas", ""), request.GET.get("months", "")
    try:
        scope = selectors.insight_scope_for_user(user=request.user, lapas=lapas, months=months)
    except ValidationError as error:
        errors = [m for messages in error.message_dict.values() for m in messages]
        scope = selectors.insight_scope_for_user(user=request.user, lapas="", months="")
    # The busiest workshop first (most batches): the one a Kalapas most likely asks about.
    workshops = list(
        selectors.workshops_in_scope(scope)
        .annotate(batch_count=Count("batches"))
        .order_by("-batch_count", "lapas__name", "name")[:200]
    )
    workshop = workshops[0] if workshops else None
    wanted = request.GET.get("workshop", "")
    if wanted:
        found = [w for w in workshops if str(w.pk) == wanted]
        if found:
            workshop = found[0]
        else:
            errors.append(_("Choose one of the workshops listed."))
    return scope, workshop, workshops, errors


def _context(request, page: str) -> dict:
    scope, workshop, workshops, errors = _scope(request)
    query = {"lapas": scope.key, "months": scope.months}
    if workshop is not None:
        query["workshop"] = workshop.pk
    return {
        "page": page,
        "scope": scope,
        "workshop": workshop,
        "workshops": workshops,
        "lapas_choices": selectors.insight_lapas_for_user(request.user),
        "region_choices": selectors.insight_regions_for_user(request.user),
        "sees_all": request.user.is_superuser or request.user.is_staff,
        "months_choices": selectors.MONTHS,
        "errors": errors,
        "query": urlencode(query),
        "headline": selectors.headline(scope),
        "tables": {
            name: {"table": TABLES[name], "rows": TABLES[name].rows(scope, workshop)}
            for name in PAGES[page]
        },
    }


@policy_required
@_without_jit
def insight_index(request):
    context = _context(request, "index")
    context["next_rows"] = context["tables"]["make-next"]["rows"]
    return render(request, "insight/index.html", context)


@policy_required
@_without_jit
def insight_demand(request):
    context = _context(request, "demand")
    weeks = selectors.searches_by_week(context["scope"])
    context["searches_chart"] = {
        "weeks": [row["week"] for row in weeks],
        "series": [
            (_("Searches"), [row["searches"] for row in weeks]),
            (_("No result"), [row["no_results"] for row in weeks]),
            (_("Few results"), [row["few_results"] for row in weeks]),
        ],
    }
    return render(request, "insight/demand.html", context)


@policy_required
@_without_jit
def insight_products(request):
    return render(request, "insight/products.html", _context(request, "products"))


@policy_required
@_without_jit
def insight_buyers(request):
    context = _context(request, "buyers")
    context["repeat"] = selectors.repeat_buyers(context["scope"])
    return render(request, "insight/buyers.html", context)


@policy_required
@_without_jit
def insight_csv(request, name: str):
    table = TABLES.get(name)
    if table is None:
        raise Http404(_("There is no such table."))
    scope, workshop, _workshops, _errors = _scope(request)
    rows = table.rows(scope, workshop)
    response = HttpResponse(table_csv(table, rows), content_type="text/csv; charset=utf-8")
    filename = f"insight-{name}-{scope.key}-{scope.months}m-{scope.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
