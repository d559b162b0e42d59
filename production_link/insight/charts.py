"""Small server-side SVG charts for the insight pages: a horizontal bar chart and a
line chart by week. No JavaScript (the CSP allows no inline script, and a phone on a
slow line gets the picture with the page), no dependency: what the pages need is two
shapes, and every figure drawn is also in the table and CSV beside it.

Every text is escaped (``format_html``); the charts scale to their container through
their viewBox, so they fit a 360 px phone.
"""

import datetime
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
COLOURS = ("#2f6f4f", "#c0392b", "#d68910", "#2e86c1")


def _number(value) -> str:
    if isinstance(value, float):
        value = Decimal(str(round(value, 1)))
    return number_format(value, force_grouping=True)


def _scale(value, top, length) -> float:
    if not top or value is None or value <= 0:
        return 0.0
    return round(float(value) / float(top) * length, 1)


def bar_chart(rows, *, title: str, unit: str = "") -> SafeString:
    """Rows (label, value) as horizontal bars, each label above its bar so long names
    fit a narrow screen; the value follows the bar."""
    rows = [(str(label), value or 0) for label, value in rows]
    if not rows:
        return SafeString("")
    top = max(value for _label, value in rows)
    row_height, bar_height = 38, 16
    height = row_height * len(rows) + 8
    usable = WIDTH - 150  # room for the value after the longest bar
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 4
        length = _scale(value, top, usable)
        bars.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="#222">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="#444">{}{}</text>',
                y + 12,
                label,
                y + 16,
                length,
                bar_height,
                COLOURS[0],
                length + 6,
                y + 29,
                _number(value),
                f" {unit}" if unit else "",
            )
        )
    return format_html(
        '<svg class="insight-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        title,
        mark_safe("".join(bars)),  # noqa: S308 - each piece built by format_html above
    )


def week_chart(weeks: list[datetime.date], series, *, title: str) -> SafeString:
    """Lines over weeks: ``series`` is [(name, [value per week])]; a legend names them,
    the first week of each month is marked under the axis."""
    if not weeks or not series:
        return SafeString("")
    height, left, bottom, top_pad = 240, 44, 40, 12
    plot_w, plot_h = WIDTH - left - 8, height - bottom - top_pad
    top = max((max(values) if values else 0) for _name, values in series) or 1
    step = plot_w / max(len(weeks) - 1, 1)

    def point(i, value):
        return f"{left + i * step:.1f},{top_pad + plot_h - _scale(value, top, plot_h):.1f}"

    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"></polyline>',
        (
            (COLOURS[n % len(COLOURS)], " ".join(point(i, v or 0) for i, v in enumerate(values)))
            for n, (_name, values) in enumerate(series)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="#555" text-anchor="middle">{}</text>',
        (
            (round(left + i * step, 1), height - bottom + 16, week.strftime("%m/%y"))
            for i, week in enumerate(weeks)
            if week.day <= 7
        ),
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#222">{}</text>',
        (
            (
                left + n * 200,
                height - 12,
                COLOURS[n % len(COLOURS)],
                left + n * 200 + 14,
                height - 3,
                str(name),
            )
            for n, (name, _values) in enumerate(series)
        ),
    )
    axes = format_html(
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#999"></line>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"></line>'
        '<text x="{lx}" y="{ty}" font-size="11" fill="#555" text-anchor="end">{top}</text>'
        '<text x="{lx}" y="{b}" font-size="11" fill="#555" text-anchor="end">0</text>',
        l=left,
        t=top_pad,
        b=top_pad + plot_h,
        r=WIDTH - 8,
        lx=left - 4,
        ty=top_pad + 8,
        top=_number(top),
    )
    return format_html(
        '<svg class="insight-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}{}{}</svg>",
        WIDTH,
        height,
        title,
        axes,
        lines,
        ticks,
        legend,
    )
