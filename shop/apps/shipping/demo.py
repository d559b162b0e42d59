"""Demo shipping: a rate table per zone and two galleries where buyers pick up for free.

Rates follow the regular service of Indonesia's big couriers: a price per kilogram that
grows with distance, each started kilogram charged in full. Loading twice gives the same
tables (looked up by zone and by gallery name).
"""

from decimal import Decimal

from oscar.core.loading import get_model

from production_link.models import StockLocation
from shop.apps.shipping.zones import Zone

WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")
Partner = get_model("partner", "Partner")

# zone: (name, description, rupiah per kilogram)
RATES = {
    Zone.PROVINCE: (
        "Zona 1: dalam provinsi",
        "Paket ke alamat di provinsi yang sama dengan Lapas pengirim.",
        Decimal("10000"),
    ),
    Zone.REGION: (
        "Zona 2: satu pulau",
        "Paket ke provinsi lain di pulau atau kepulauan yang sama (misalnya Jawa).",
        Decimal("19000"),
    ),
    Zone.NATIONAL: (
        "Zona 3: antarpulau",
        "Paket ke pulau lain: Sumatera, Jawa, Bali dan Nusa Tenggara, Kalimantan, Sulawesi.",
        Decimal("38000"),
    ),
    Zone.REMOTE: (
        "Zona 4: Maluku dan Papua",
        "Paket dari atau ke Maluku dan Papua (udara atau laut jarak jauh).",
        Decimal("95000"),
    ),
}
# Bands of one kilogram up to 10 kg; heavier parcels are charged as 10 kg bands plus the
# band of the rest (Oscar's rule), which keeps the price per kilogram.
BAND_LIMITS_KG = range(1, 11)

# Lapas short code: (gallery name, city)
GALLERIES = {
    "YGY": ("Galeri Karya Yogyakarta", "Kota Yogyakarta"),
    "TNG": ("Galeri Karya Tangerang", "Kota Tangerang"),
}


def shipping_demo_load() -> None:
    for zone, (name, description, per_kg) in RATES.items():
        table, _ = WeightBased.objects.update_or_create(
            zone=zone, defaults={"name": name, "description": description}
        )
        limits = [Decimal(kg) for kg in BAND_LIMITS_KG]
        table.bands.exclude(upper_limit__in=limits).delete()
        for limit in limits:
            WeightBand.objects.update_or_create(
                method=table, upper_limit=limit, defaults={"charge": per_kg * limit}
            )
    for short_code, (name, city) in GALLERIES.items():
        lapas = Partner.objects.filter(short_code=short_code).first()
        if lapas is None:
            continue
        StockLocation.objects.update_or_create(
            lapas=lapas,
            kind=StockLocation.Kind.GALLERY,
            name=name,
            defaults={"city": city, "is_active": True},
        )


# The demo buyer's order that is on its way (issue 23): pnbp_demo's order of eight days ago,
# sent by JNE. The waybill is made up but has JNE's shape.
SHIPPED_ORDER_NUMBER = "DEMO-PNBP-017"
SHIPPED_COURIER, SHIPPED_WAYBILL = "jne", "0116042600123456"


def parcel_demo_load() -> int:
    """Ship one of the demo buyer's paid orders by courier, with its waybill, as staff of
    its Lapas would: Being prepared, the parcel recorded, then Shipped (the buyer's e-mail
    is sent once). Returns how many demo orders have parcels; loading twice changes nothing."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_class

    from shop.apps.order import statuses
    from shop.apps.shipping.services import parcel_record

    Order = get_model("order", "Order")
    EventHandler = get_class("order.processing", "EventHandler")
    order = Order.objects.filter(number=SHIPPED_ORDER_NUMBER, user__username="pembeli").first()
    if order is None or order.parcels.exists():
        return Order.objects.filter(number__startswith="DEMO-", parcels__isnull=False).count()
    staff = order.lapas.users.filter(is_active=True).order_by("pk").first() if order.lapas else None
    staff = staff or get_user_model().objects.get(username="admin")
    if order.status == statuses.PAID:
        EventHandler(staff).handle_order_status_change(order, statuses.BEING_PREPARED)
        order.refresh_from_db()
    parcel_record(order_id=order.pk, courier=SHIPPED_COURIER, waybill=SHIPPED_WAYBILL, user=staff)
    if order.status == statuses.BEING_PREPARED:
        EventHandler(staff).handle_order_status_change(order, statuses.SHIPPED)
    return 1
