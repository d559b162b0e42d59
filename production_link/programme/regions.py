"""Who sees which Lapas through the regional offices (Kanwil). Reads only.

A regional officer belongs to one region and *sees* its Lapas (side by side, their
reports, their monev, the insight pages); they act for none of them: every service that
writes checks ``production_link.selectors.lapas_for_user`` (membership of the Lapas),
which never includes a region's Lapas. Central admins see every region.
"""

from django.db.models import QuerySet
from oscar.core.loading import get_model

from ..selectors import lapas_for_user
from .models import Region, RegionalOfficer

Partner = get_model("partner", "Partner")


def _is_central(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def region_of_user(user) -> Region | None:
    """The region a regional officer belongs to (None for everybody else)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_karya_region", False)
    if cached is False:
        office = RegionalOfficer.objects.select_related("region").filter(user=user).first()
        cached = office.region if office else None
        user._karya_region = cached
    return cached


def user_is_regional_officer(user) -> bool:
    return region_of_user(user) is not None


def regions_visible_to(user) -> QuerySet:
    """Central admins: every region; a regional officer: theirs; others: none."""
    if _is_central(user):
        return Region.objects.all()
    region = region_of_user(user)
    if region is None:
        return Region.objects.none()
    return Region.objects.filter(pk=region.pk)


def lapas_visible_to(user) -> QuerySet:
    """The Lapas whose figures a user may *read*: central admins every Lapas, a regional
    officer the Lapas of their region, anyone else the Lapas they belong to. Never use it
    to decide a write: that is ``lapas_for_user``."""
    if not user.is_authenticated:
        return Partner.objects.none()
    if _is_central(user):
        return Partner.objects.all()
    region = region_of_user(user)
    if region is not None:
        return Partner.objects.filter(region_link__region=region)
    return lapas_for_user(user)


def lapas_ids_visible_to(user) -> list[int]:
    return list(lapas_visible_to(user).order_by().values_list("pk", flat=True))


def lapas_of_region(region) -> QuerySet:
    return Partner.objects.filter(region_link__region=region).order_by("name")


def region_of_lapas(lapas) -> Region | None:
    return Region.objects.filter(memberships__lapas=lapas).first()
