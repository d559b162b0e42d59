"""Times in the zone of the Lapas concerned, with the zone's abbreviation (WIB, WITA, WIT)."""

from django import template
from django.utils import formats, timezone

from shop.apps.partner.timezones import lapas_zone_name, zone_abbreviation

register = template.Library()


def lapas_time_text(value, lapas, fmt: str = "DATETIME_FORMAT") -> str:
    """``value`` (an aware datetime) as local time of ``lapas``'s zone, formatted with
    ``fmt`` in the active language; with its zone's abbreviation unless ``fmt`` is a date
    alone."""
    if not value:
        return ""
    zone_name = lapas_zone_name(lapas)
    with timezone.override(zone_name):
        local = timezone.localtime(value)
        text = formats.date_format(local, fmt)
    if fmt in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
        return text
    return f"{text} {zone_abbreviation(zone_name)}"


@register.simple_tag
def lapas_time(value, lapas, fmt="DATETIME_FORMAT"):
    return lapas_time_text(value, lapas, fmt)
