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
