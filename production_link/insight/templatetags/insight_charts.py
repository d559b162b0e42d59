from django import template

from .. import charts

register = template.Library()


@register.simple_tag
def bar_chart(rows, label_key, value_key, title, unit=""):
    """{% bar_chart rows "province" "revenue" _("Sales by province") "Rp" %}"""
    return charts.bar_chart(
        [(row[label_key], row[value_key]) for row in rows], title=title, unit=unit
    )


@register.simple_tag
def week_chart(chart, title):
    """{% week_chart searches_chart _("Searches by week") %}: chart = {"weeks": [...],
    "series": [(name, values), ...]}."""
    if not chart:
        return ""
    return charts.week_chart(chart["weeks"], chart["series"], title=title)


@register.filter
def cell(row, key):
    """One figure of a table row as the page shows it: numbers grouped the reader's way,
    dates as dates, nothing as a dash."""
    import datetime
    from decimal import Decimal

    from django.utils.formats import date_format, number_format

    value = row.get(key)
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value


@register.filter
def get(mapping, key):
    return mapping.get(key)
