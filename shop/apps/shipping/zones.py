"""Shipping zones: how far a parcel travels, from the province of the Lapas that ships it
to the buyer's province.

Indonesian couriers price by distance in the same broad steps: within a province, within
one island group, between island groups, and to or from Maluku and Papua, where every
parcel goes by air or a long sea route. The island groups follow the couriers'
regions; the 38 province names are those of the address form
(shop.apps.address.provinces). Both come from data/reference/provinces.yaml.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.apps.core.datafiles import data_file


class Zone(models.TextChoices):
    PROVINCE = "province", _("Same province as the Lapas")
    REGION = "region", _("Same island group as the Lapas")
    NATIONAL = "national", _("Another island group")
    REMOTE = "remote", _("To or from Maluku and Papua")


_PROVINCES = data_file("reference/provinces.yaml")
REGIONS = {group["slug"]: tuple(group["provinces"]) for group in _PROVINCES["island_groups"]}
REMOTE_REGIONS = {group["slug"] for group in _PROVINCES["island_groups"] if group.get("remote")}

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
