"""The time zone of a Lapas, from the province of its address, and its Indonesian name.

Indonesia has three zones: WIB (UTC+7: Sumatra, Java, West and Central Kalimantan), WITA
(UTC+8: Bali, Nusa Tenggara, the rest of Kalimantan, Sulawesi) and WIT (UTC+9: Maluku and
Papua). A time a buyer or staff member acts on (the pay-by time, when an order was placed
or its status changed, a POS receipt) is shown in the zone of the Lapas concerned, with
the zone's abbreviation, since buyer and Lapas may be two zones apart.
"""

from zoneinfo import ZoneInfo

from django.conf import settings

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

_WITA_PROVINCES = {
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Gorontalo",
    "Sulawesi Tengah",
    "Sulawesi Barat",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
}
_WIT_PROVINCES = {
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Barat Daya",
    "Papua Selatan",
    "Papua Tengah",
    "Papua Pegunungan",
}


def province_zone_name(province: str) -> str:
    """The IANA zone of an Indonesian province (shop.apps.address.provinces); WIB for any
    other text, the zone of most Lapas and of the shop's own settings."""
    province = (province or "").strip()
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


def lapas_zone_name(lapas) -> str:
    """The zone of a Lapas (a partner.Partner), from its first address's province; the
    shop's own zone (settings.TIME_ZONE) when there is no Lapas or no address. Kept on the
    instance: a list of orders asks once per Lapas object."""
    if lapas is None:
        return settings.TIME_ZONE
    cached = getattr(lapas, "_karya_zone_name", None)
    if cached is None:
        address = lapas.addresses.order_by("pk").only("state").first()
        cached = province_zone_name(address.state) if address else settings.TIME_ZONE
        lapas._karya_zone_name = cached
    return cached


def zone_abbreviation(zone_name: str) -> str:
    return ABBREVIATIONS.get(zone_name, zone_name)


def lapas_zone(lapas) -> ZoneInfo:
    return ZoneInfo(lapas_zone_name(lapas))
