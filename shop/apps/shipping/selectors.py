"""Reads for shipping: what a basket weighs, which parcels it makes, what they cost, and
where it may be picked up instead.

Rules (README, "Shipping and pickup"):
- Only goods are shipped: lines whose product class requires shipping. Services weigh
  nothing and never make a parcel.
- Each Lapas ships its own goods in its own parcel, from its own province. The charge is
  the sum of the parcels' charges, each from the rate table of its zone.
- A parcel weighs the packaging gross weight of its units. A product without a gross
  weight counts DEFAULT_WEIGHT_GRAMS per unit, never nothing; the compliance gate already
  keeps such goods unpublished and the product's dashboard page warns its staff.
- Charges are whole rupiah, without tax. Shipping is not PNBP: it stays apart from the
  goods on the order (Oscar's shipping fields).
- Free pickup is offered at the active galleries of the Lapas when every good in the
  basket comes from that one Lapas (goods are not carried between Lapas).
"""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from oscar.core.loading import get_model

from production_link.models import StockLocation
from shop.apps.core.shared_cache import get_local
from shop.apps.shipping import rates
from shop.apps.shipping.zones import zone_between

WeightBased = get_model("shipping", "WeightBased")
OrderParcel = get_model("shipping", "OrderParcel")

# What one unit of a product without a gross weight is taken to weigh.
DEFAULT_WEIGHT_GRAMS = 1000

PICKUP_CODE_PREFIX = "pickup-gallery-"


@dataclass(frozen=True)
class Parcel:
    """The goods of one Lapas in one basket, and what shipping them costs."""

    lapas: object
    weight_grams: int
    # True when some unit had no gross weight and DEFAULT_WEIGHT_GRAMS was counted.
    estimated: bool
    zone: str
    charge: Decimal
    # Which rate provider priced it (shipping.rates), and why the zone table stood in
    # for the courier aggregator, if it did: for staff, never shown to the buyer.
    provider: str = rates.ZONE_TABLE
    fallback_reason: str = ""

    @property
    def weight_kg(self) -> Decimal:
        return Decimal(self.weight_grams) / 1000


def product_weight_grams(product) -> int | None:
    """The packaging gross weight of one unit, or None when nobody has entered it."""
    weight = product.gross_weight_grams
    if weight is None and product.parent_id:
        weight = product.parent.gross_weight_grams
    return weight


def lapas_addresses() -> dict[int, tuple[str, str]]:
    """(province, postcode) of each Lapas's (primary) address by Lapas id, read once per
    process (shared_cache.get_local): every checkout step prices the parcels."""

    def read():
        found: dict[int, tuple[str, str]] = {}
        PartnerAddress = get_model("partner", "PartnerAddress")
        for partner_id, state, postcode in PartnerAddress.objects.order_by("pk").values_list(
            "partner_id", "state", "postcode"
        ):
            found.setdefault(partner_id, (state or "", postcode or ""))
        return found

    return get_local("lapas-addresses", read)


def lapas_province(lapas) -> str:
    return lapas_addresses().get(lapas.pk, ("", ""))[0]


def lapas_postcode(lapas) -> str:
    return lapas_addresses().get(lapas.pk, ("", ""))[1]


def shipped_lines(basket) -> list:
    return [line for line in basket.all_lines() if line.product.is_shipping_required]


def basket_parcels(*, basket, province: str, postcode: str = "") -> list[Parcel] | None:
    """The parcels of a basket sent to an address in ``province`` (and ``postcode``).

    Each parcel's charge comes from the configured rate provider (shipping.rates): the
    courier aggregator when it is set up and answers, else the zone table. Returns None
    when a parcel cannot be priced (its zone has no rate table, or one without bands):
    the basket cannot be shipped there, and the courier is not offered.
    """
    groups: OrderedDict = OrderedDict()
    for line in shipped_lines(basket):
        lapas = line.stockrecord.partner
        group = groups.setdefault(lapas.pk, {"lapas": lapas, "grams": 0, "estimated": False})
        weight = product_weight_grams(line.product)
        if weight is None:
            weight = DEFAULT_WEIGHT_GRAMS
            group["estimated"] = True
        group["grams"] += weight * line.quantity
    if not groups:
        return []
    requests = []
    for group in groups.values():
        origin = lapas_province(group["lapas"])
        requests.append(
            rates.RateRequest(
                origin_province=origin,
                origin_postcode=lapas_postcode(group["lapas"]),
                destination_province=province,
                destination_postcode=postcode or "",
                weight_grams=group["grams"],
                zone=zone_between(origin, province),
            )
        )
    parcels = []
    for group, request, quote in zip(
        groups.values(), requests, rates.quote_parcels(requests), strict=True
    ):
        if quote.charge is None:
            return None
        parcels.append(
            Parcel(
                lapas=group["lapas"],
                weight_grams=group["grams"],
                estimated=group["estimated"],
                zone=request.zone,
                charge=quote.charge,
                provider=quote.provider,
                fallback_reason=quote.fallback_reason,
            )
        )
    return parcels


def pickup_galleries(*, basket) -> list:
    """The galleries where this basket's goods may be picked up, by name."""
    lapas_ids = {line.stockrecord.partner_id for line in shipped_lines(basket)}
    if len(lapas_ids) != 1:
        return []
    lapas_id = lapas_ids.pop()
    return get_local(
        "pickup-galleries",
        lambda: list(
            StockLocation.objects.filter(
                lapas_id=lapas_id, kind=StockLocation.Kind.GALLERY, is_active=True
            )
            .select_related("lapas")
            .order_by("name")
        ),
        lapas_id,
    )


def pickup_code(location) -> str:
    return f"{PICKUP_CODE_PREFIX}{location.pk}"


def order_pickup_location(order):
    """The gallery an order is to be picked up at, or None when it is shipped."""
    code = order.shipping_code or ""
    if not code.startswith(PICKUP_CODE_PREFIX):
        return None
    pk = code.removeprefix(PICKUP_CODE_PREFIX)
    if not pk.isdigit():
        return None
    return StockLocation.objects.select_related("lapas").filter(pk=int(pk)).first()


def order_parcels(*, order) -> list:
    """The parcels of an order, each with its courier's name and tracking link."""
    return list(OrderParcel.objects.filter(order=order).order_by("created_at", "pk"))


def order_ships_by_courier(order) -> bool:
    """Whether an order goes to the buyer's address (so it leaves as parcels): it has an
    address and is not picked up at a gallery."""
    return order.shipping_address_id is not None and order_pickup_location(order) is None


def user_may_record_parcels(*, user, order) -> bool:
    """Staff of the order's Lapas who may change orders, or a central admin."""
    from shop.apps.core.policy import is_central_admin

    if is_central_admin(user):
        return True
    if not (user.is_authenticated and user.is_active and user.has_perm("order.change_order")):
        return False
    return order.lapas_id is not None and user.partners.filter(pk=order.lapas_id).exists()


def order_parcels_recorded(order) -> bool:
    """Whether an order may be set Shipped: one sent by courier needs a parcel first."""
    return not order_ships_by_courier(order) or order.parcels.exists()
