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
from decimal import ROUND_HALF_UP, Decimal

from oscar.core.loading import get_model

from production_link.models import StockLocation
from shop.apps.core.shared_cache import get_local
from shop.apps.shipping.zones import zone_between

WeightBased = get_model("shipping", "WeightBased")
PartnerAddress = get_model("partner", "PartnerAddress")

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

    @property
    def weight_kg(self) -> Decimal:
        return Decimal(self.weight_grams) / 1000


@dataclass(frozen=True)
class RateTable:
    """A zone's weight bands, (upper limit in kg, charge) from the lightest up, read once
    per process (shared_cache.get_local): checkout asks for them on every step."""

    bands: tuple

    def charge(self, weight) -> Decimal:
        # Oscar's WeightBased.get_charge, on the bands in memory: the closest band that
        # holds the weight; past the top band, as many top-band parcels as needed.
        weight = Decimal(weight)
        top_limit, top_charge = self.bands[-1]
        if weight <= top_limit:
            return self._band_charge(weight)
        quotient, remaining = divmod(weight, top_limit)
        if remaining:
            return quotient * top_charge + self._band_charge(remaining)
        return quotient * top_charge

    def _band_charge(self, weight) -> Decimal:
        return next(charge for limit, charge in self.bands if limit >= weight)


def rate_tables() -> dict[str, RateTable]:
    """The rate table of each zone that has one with bands."""

    def read():
        tables = {}
        for table in WeightBased.objects.exclude(zone=None).prefetch_related("bands"):
            bands = sorted((band.upper_limit, band.charge) for band in table.bands.all())
            if bands:
                tables[table.zone] = RateTable(bands=tuple(bands))
        return tables

    return get_local("shipping-rate-tables", read)


def lapas_provinces() -> dict[int, str]:
    """The province of each Lapas's (primary) address, by Lapas id."""

    def read():
        provinces: dict[int, str] = {}
        for partner_id, state in PartnerAddress.objects.order_by("pk").values_list(
            "partner_id", "state"
        ):
            provinces.setdefault(partner_id, state or "")
        return provinces

    return get_local("lapas-provinces", read)


def product_weight_grams(product) -> int | None:
    """The packaging gross weight of one unit, or None when nobody has entered it."""
    weight = product.gross_weight_grams
    if weight is None and product.parent_id:
        weight = product.parent.gross_weight_grams
    return weight


def shipped_lines(basket) -> list:
    return [line for line in basket.all_lines() if line.product.is_shipping_required]


def whole_rupiah(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def basket_parcels(*, basket, province: str) -> list[Parcel] | None:
    """The parcels of a basket sent to an address in ``province``.

    Returns None when a parcel's zone has no rate table (or one without bands): the
    basket cannot be shipped there, and the courier is not offered.
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
    tables = rate_tables()
    provinces = lapas_provinces()
    parcels = []
    for group in groups.values():
        zone = zone_between(provinces.get(group["lapas"].pk, ""), province)
        table = tables.get(zone)
        if table is None:
            return None
        charge = table.charge(Decimal(group["grams"]) / 1000)
        parcels.append(
            Parcel(
                lapas=group["lapas"],
                weight_grams=group["grams"],
                estimated=group["estimated"],
                zone=zone,
                charge=whole_rupiah(charge),
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
