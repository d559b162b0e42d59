"""Shipping zones: how far a parcel travels, from the province of the Lapas that ships it
to the buyer's province.

Indonesian couriers price by distance in the same broad steps: within a province, within
one island group, between island groups, and to or from Maluku and Papua, where every
parcel goes by air or a long sea route. The island groups below follow the couriers'
regions; the 38 province names are those of the address form
(shop.apps.address.provinces).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    PROVINCE = "province", _("Same province as the Lapas")
    REGION = "region", _("Same island group as the Lapas")
    NATIONAL = "national", _("Another island group")
    REMOTE = "remote", _("To or from Maluku and Papua")


REGIONS = {
    "sumatera": (
        "Aceh",
        "Sumatera Utara",
        "Sumatera Barat",
        "Riau",
        "Kepulauan Riau",
        "Jambi",
        "Bengkulu",
        "Sumatera Selatan",
        "Kepulauan Bangka Belitung",
        "Lampung",
    ),
    "jawa": (
        "Banten",
        "DKI Jakarta",
        "Jawa Barat",
        "Jawa Tengah",
        "DI Yogyakarta",
        "Jawa Timur",
    ),
    "bali_nusa_tenggara": ("Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur"),
    "kalimantan": (
        "Kalimantan Barat",
        "Kalimantan Tengah",
        "Kalimantan Selatan",
        "Kalimantan Timur",
        "Kalimantan Utara",
    ),
    "sulawesi": (
        "Sulawesi Utara",
        "Gorontalo",
        "Sulawesi Tengah",
        "Sulawesi Barat",
        "Sulawesi Selatan",
        "Sulawesi Tenggara",
    ),
    "maluku": ("Maluku", "Maluku Utara"),
    "papua": (
        "Papua",
        "Papua Barat",
        "Papua Barat Daya",
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
    ),
}
REMOTE_REGIONS = {"maluku", "papua"}

REGION_OF = {province: region for region, provinces in REGIONS.items() for province in provinces}


def zone_between(origin: str, destination: str) -> str:
    """The zone of a parcel from the origin province to the destination province.

    A province we do not know (a Lapas whose address lacks one) counts as the farthest
    zone, so a parcel is never charged less than its journey may cost.
    """
    origin_region = REGION_OF.get(origin)
    destination_region = REGION_OF.get(destination)
    if origin_region is None or destination_region is None:
        return Zone.REMOTE
    if origin == destination:
        return Zone.PROVINCE
    if origin_region == destination_region:
        return Zone.REGION
    if {origin_region, destination_region} & REMOTE_REGIONS:
        return Zone.REMOTE
    return Zone.NATIONAL
