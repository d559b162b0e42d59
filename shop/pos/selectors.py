"""Reads of the point of sale: who may sell or supervise where, the location's catalogue,
and a session's figures (the Z report)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import compliance
from production_link.models import Allocation, Batch, BatchStock, StockLocation
from production_link.selectors import lapas_for_user, sellable_batch_q, today

from .models import (
    PaymentMethod,
    PosConflict,
    PosLapasSettings,
    PosLocation,
    PosSale,
    PosSession,
    PosVoid,
    StockTransfer,
)

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

ZERO = Decimal("0")
RUPIAH = Decimal("1")
METHODS = [m.value for m in PaymentMethod]
# Rupiah banknotes and coins in circulation, for the cash count at the close.
DENOMINATIONS = (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100)
SALE_KINDS = (StockLocation.Kind.GALLERY, StockLocation.Kind.EXHIBITION)


# --- who -------------------------------------------------------------------------------


def supervised_lapas(user) -> QuerySet:
    """The Lapas whose point of sale a user supervises.

    Supervisors are the people who may already take money back on an order (the
    treasurer and the Kalapas of the Lapas, by the payment.change_source permission, and
    central admins): a void at the till is such a refund, so the same people approve it,
    manage locations and transfers, verify payments and resolve conflicts.
    """
    if not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    if user.is_superuser:
        return Partner.objects.all()
    if not user.has_perm("payment.change_source"):
        return Partner.objects.none()
    return lapas_for_user(user)


def user_is_supervisor(user, *, lapas=None) -> bool:
    lapas_qs = supervised_lapas(user)
    return lapas_qs.filter(pk=lapas.pk).exists() if lapas is not None else lapas_qs.exists()


def locations_for_supervisor(user) -> QuerySet:
    return PosLocation.objects.filter(
        stock_location__lapas__in=supervised_lapas(user)
    ).select_related("stock_location__lapas")


def user_is_cashier(user) -> bool:
    """A cashier by role, someone assigned to a location, or a central admin."""
    from shop.apps.core.roles import CASHIER

    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.groups.filter(name=CASHIER.group_name).exists()
        or user.pos_locations.exists()
    )


def user_may_use_pos(user) -> bool:
    """Who may open the POS app: cashiers, central admins, and anyone a supervisor
    assigned to an active sales location; where they may sell is the API's call."""
    from shop.apps.core.roles import CASHIER

    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.groups.filter(name=CASHIER.group_name).exists()
        or locations_for_cashier(user).exists()
    )


def user_may_print_pos(user) -> bool:
    """Receipts and Z reports: cashiers, and supervisors (each printout is scoped by
    sessions_visible_to)."""
    return user_is_cashier(user) or user_is_supervisor(user)


def locations_for_cashier(user) -> QuerySet:
    """Active locations a user may sell at: those they are assigned to, within their
    Lapas (someone who leaves the Lapas stops selling for it), or all for central admins."""
    if not user.is_authenticated or not user.is_active:
        return PosLocation.objects.none()
    qs = PosLocation.objects.filter(
        stock_location__is_active=True, stock_location__kind__in=SALE_KINDS
    ).select_related("stock_location__lapas")
    if user.is_superuser:
        return qs
    return qs.filter(cashiers=user, stock_location__lapas__users=user).distinct()


def user_may_sell_at(user, *, location) -> bool:
    return locations_for_cashier(user).filter(pk=location.pk).exists()


def cashier_candidates(*, lapas) -> QuerySet:
    """Users who may be assigned as cashiers of a location of this Lapas."""
    from django.contrib.auth import get_user_model

    from shop.apps.core.roles import CASHIER

    return (
        get_user_model()
        .objects.filter(is_active=True, partners=lapas)
        .filter(
            Q(groups__name=CASHIER.group_name)
            | Q(groups__permissions__codename="change_source")
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("username")
    )


def location_open_for_sale(location, *, on=None) -> bool:
    """An exhibition sells only between its first and last day; a gallery any day."""
    on = on or today()
    if location.starts_on and on < location.starts_on:
        return False
    return not (location.ends_on and on > location.ends_on)


def open_session(*, user, location) -> PosSession | None:
    return PosSession.objects.filter(
        cashier=user, location=location, closed_at__isnull=True
    ).first()


def sessions_for_supervisor(user) -> QuerySet:
    return PosSession.objects.filter(
        location__stock_location__lapas__in=supervised_lapas(user)
    ).select_related("cashier", "location__stock_location__lapas")


def sessions_visible_to(user) -> QuerySet:
    """Sessions whose receipts and Z report a user may print: their own, or supervised."""
    if not user.is_authenticated:
        return PosSession.objects.none()
    return PosSession.objects.filter(
        Q(cashier=user) | Q(location__stock_location__lapas__in=supervised_lapas(user))
    ).select_related("cashier", "location__stock_location__lapas")


def sales_visible_to(user) -> QuerySet:
    return PosSale.objects.filter(session__in=sessions_visible_to(user))


def transfers_for_supervisor(user) -> QuerySet:
    return StockTransfer.objects.filter(lapas__in=supervised_lapas(user)).select_related(
        "source", "destination", "lapas"
    )


def conflicts_for_supervisor(user) -> QuerySet:
    return PosConflict.objects.filter(
        sale__session__location__stock_location__lapas__in=supervised_lapas(user)
    ).select_related("sale__session__location__stock_location", "sale__session__cashier")


def unverified_sales_for_supervisor(user) -> QuerySet:
    return PosSale.objects.filter(
        unverified=True,
        session__location__stock_location__lapas__in=supervised_lapas(user),
    ).select_related("order", "session__location__stock_location", "session__cashier")


# --- the location's catalogue ------------------------------------------------------------


def lapas_settings(*, lapas) -> PosLapasSettings | None:
    return PosLapasSettings.objects.filter(lapas=lapas).first()


def lapas_address(lapas) -> str:
    address = lapas.primary_address
    if address is None:
        return ""
    parts = [address.line1, address.line2, address.line3, address.line4, address.state]
    parts.append(address.postcode)
    return ", ".join(p for p in parts if p)


def location_sellable_stock(*, location) -> QuerySet:
    return (
        BatchStock.objects.filter(location=location.stock_location, quantity__gt=0)
        .filter(sellable_batch_q())
        .select_related("batch__product")
        .order_by("batch__product__title", "batch__expiry_date", "batch__production_date")
    )


def location_catalogue(*, location) -> list[dict]:
    """Products with sellable units at the location, each with its batches (FEFO order)
    and its price for the location's channel (gallery or exhibition) from the Strategy."""
    from shop.apps.partner.strategy import Selector

    strategy = Selector().strategy(channel=location.channel)
    by_product: dict[int, list[BatchStock]] = defaultdict(list)
    for row in location_sellable_stock(location=location):
        by_product[row.batch.product_id].append(row)
    versions = _stock_versions(location=location, product_ids=list(by_product))
    products = (
        Product.objects.filter(pk__in=by_product)
        .select_related("product_class", "parent__product_class")
        .prefetch_related("stockrecords", "channel_prices")
        .order_by("title")
    )
    catalogue = []
    for product in products:
        info = strategy.fetch_for_product(product)
        price = info.price.incl_tax if info.price.exists else None
        if price is None:
            continue
        rows = sorted(
            by_product[product.pk],
            key=lambda r: (
                r.batch.expiry_date is None,
                r.batch.expiry_date or r.batch.production_date,
                r.batch.production_date,
                r.batch_id,
            ),
        )
        record = info.stockrecord
        catalogue.append(
            {
                "id": product.pk,
                "title": product.get_title(),
                "sku": (record.partner_sku if record else "") or "",
                "upc": product.upc or "",
                "price": price,
                # Non-empty when the till must refuse it (withdrawn, a licence expired, a
                # compliance fact missing): the device tells the cashier at the scan.
                "refusal": str(compliance.sale_refusal(product)),
                "stock_version": versions.get(product.pk, 0),
                "batches": [
                    {
                        "code": r.batch.code,
                        "barcode": r.batch.code,
                        "quantity": r.quantity,
                        "expiry_date": r.batch.expiry_date,
                    }
                    for r in rows
                ],
            }
        )
    return catalogue


def _stock_versions(*, location, product_ids) -> dict[int, int]:
    """Per product, the highest order line number that took units of it at the location.

    The device compares it with the line numbers in its sync answers to know whether the
    catalogue's count already includes a sale it made (issue 18: clock times could not
    tell, the answer's Date header has whole seconds). Line numbers are a fair order: a
    line is written while the product's stock rows at the location are locked, so a line
    numbered lower than one the catalogue sees was committed before it."""
    rows = (
        Allocation.objects.filter(location_id=location.stock_location_id)
        .filter(batch__product_id__in=product_ids)
        .values("batch__product_id")
        .annotate(version=Max("line_id"))
    )
    return {row["batch__product_id"]: row["version"] for row in rows}


def channel_price(*, product, location) -> Decimal | None:
    from shop.apps.partner.strategy import Selector

    info = Selector().strategy(channel=location.channel).fetch_for_product(product)
    return info.price.incl_tax if info.price.exists else None


def warehouse_stock_for_transfer(*, lapas) -> QuerySet:
    """Sellable batch units in the Lapas's warehouse, which can be sent to a location."""
    return (
        BatchStock.objects.filter(
            location__lapas=lapas,
            location__kind=StockLocation.Kind.WAREHOUSE,
            quantity__gt=0,
            batch__status=Batch.Status.RELEASED,
        )
        .filter(sellable_batch_q())
        .select_related("batch__product", "location")
        .order_by("batch__product__title", "batch__code")
    )


# --- a session's figures ------------------------------------------------------------------


def session_figures(session) -> dict:
    """Everything a Z report shows, computed from the session's sales and voids.

    Money taken counts every sale of the session, also one in conflict: the buyer paid
    and the money is in the drawer (or the account) whatever the stock says. Voids and
    conflict refunds made while the session was open are paid out of it.
    """
    sales = list(session.sales.select_related("order", "conflict").order_by("created_at", "pk"))
    taken = dict.fromkeys(METHODS, ZERO)
    counts = dict.fromkeys(METHODS, 0)
    for sale in sales:
        taken[sale.payment_method] += sale.total
        counts[sale.payment_method] += 1
    paid_out = dict.fromkeys(METHODS, ZERO)
    end = session.closed_at or timezone.now()
    voids = list(
        PosVoid.objects.filter(session=session, refund__status="succeeded")
        .select_related("refund", "sale__order", "supervisor", "cashier")
        .order_by("created_at", "pk")
    )
    for void in voids:
        paid_out[void.sale.payment_method] += void.refund.amount.quantize(RUPIAH)
    conflict_refunds = list(
        PosConflict.objects.filter(
            sale__session=session,
            resolution=PosConflict.Resolution.REFUNDED,
            resolved_at__lte=end,
        ).select_related("sale")
    )
    for conflict in conflict_refunds:
        paid_out[conflict.sale.payment_method] += conflict.refunded_amount
    expected = {m: taken[m] - paid_out[m] for m in METHODS}
    expected["cash"] += session.opening_float
    conflicts = [s for s in sales if s.status == PosSale.Status.CONFLICT]
    return {
        "session": session,
        "sales": sales,
        "recorded_count": sum(1 for s in sales if s.status == PosSale.Status.RECORDED),
        "conflict_count": len(conflicts),
        "sales_count": len(sales),
        "counts": counts,
        "taken": taken,
        "paid_out": paid_out,
        "voids": voids,
        "conflict_refunds": conflict_refunds,
        "expected": expected,
        "total_taken": sum(taken.values(), ZERO),
        "total_paid_out": sum(paid_out.values(), ZERO),
        "unverified_count": sum(1 for s in sales if s.unverified),
        "price_differs_count": sum(1 for s in sales if s.price_differs),
    }


def counted_total(counted: dict) -> Decimal:
    return sum((Decimal(int(k)) * int(v) for k, v in (counted or {}).items()), ZERO)


def counted_rows(counted: dict) -> list[tuple[int, int, Decimal]]:
    """(denomination, count, subtotal) for every denomination, largest first."""
    counted = {int(k): int(v) for k, v in (counted or {}).items()}
    return [(d, counted.get(d, 0), Decimal(d * counted.get(d, 0))) for d in DENOMINATIONS]


def sale_by_order_number(*, number: str) -> PosSale | None:
    return (
        PosSale.objects.select_related(
            "order", "session__cashier", "session__location__stock_location__lapas"
        )
        .filter(order__number=number)
        .first()
    )


def sale_lines_with_batches(sale) -> list[dict]:
    """Receipt lines: each order line with the batch codes its units came from."""
    from production_link.selectors import order_line_batches

    order = sale.order
    batches = order_line_batches(order=order)
    rows = []
    for line in order.lines.order_by("pk"):
        rows.append(
            {
                "line": line,
                "title": line.title,
                "quantity": line.quantity,
                "unit_price": line.unit_price_incl_tax,
                "total": line.line_price_incl_tax,
                "batches": [a.batch for a in batches.get(line.pk, [])],
            }
        )
    return rows


def refunded_total(*, order) -> Decimal:
    from shop.payments.models import Refund

    return (
        Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
            t=Sum("amount")
        )["t"]
        or ZERO
    )


def transfer_places(*, lapas) -> QuerySet:
    """Where a Lapas's transfers can go from or to: its warehouse and its locations."""
    return StockLocation.objects.filter(lapas=lapas, is_active=True).order_by("kind", "name")


def session_sale_lines(*, sales) -> dict[int, dict]:
    """For each order of these sales: its lines with the units not yet given back, and the
    amount given back so far, in two queries. Every device of a session lists its sales from
    this (so a sale made on one tablet can be reprinted and voided on another)."""
    from shop.payments.models import Refund, RefundLine

    order_ids = [sale.order_id for sale in sales if sale.order_id]
    Line = get_model("order", "Line")
    taken = {
        row["line_id"]: row
        for row in RefundLine.objects.filter(
            line__order_id__in=order_ids,
            refund__status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED),
        )
        .values("line_id")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
    }
    found: dict[int, dict] = defaultdict(lambda: {"lines": [], "voided": Decimal("0")})
    for line in Line.objects.filter(order_id__in=order_ids).order_by("pk"):
        back = taken.get(line.pk, {})
        entry = found[line.order_id]
        entry["voided"] += back.get("amount") or Decimal("0")
        entry["lines"].append(
            {
                "line_id": line.pk,
                "product_id": line.product_id,
                "title": line.title,
                "quantity": line.quantity - (back.get("quantity") or 0),
                "unit_price": str(line.unit_price_incl_tax.quantize(Decimal("1"))),
            }
        )
    return found
