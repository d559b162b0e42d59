"""The insight pages' SVG charts: drawn to scale, text escaped, nothing for no data."""

import datetime
import re
from decimal import Decimal

from production_link.insight import charts


def test_bars_are_drawn_to_scale_with_their_values():
    svg = charts.bar_chart([("Banten", Decimal(50000)), ("Bali", Decimal(25000))], title="Sales")
    widths = [float(w) for w in re.findall(r'<rect x="0" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0
    assert "<title>Sales</title>" in svg
    assert svg.startswith("<svg") and 'viewBox="0 0 640' in svg


def test_text_is_escaped():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3)], title='"x" & <y>')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&quot;x&quot; &amp; &lt;y&gt;" in svg


def test_no_data_draws_nothing_and_zero_or_negative_bars_are_empty():
    assert charts.bar_chart([], title="Empty") == ""
    assert charts.week_chart([], [("a", [])], title="Empty") == ""
    svg = charts.bar_chart([("a", 0), ("b", -5)], title="Zero")
    assert re.findall(r'width="([\d.]+)" height', svg) == ["0.0", "0.0"]


def test_week_lines_one_point_per_week_and_a_legend():
    monday = datetime.date(2026, 11, 2)
    weeks = [monday + datetime.timedelta(weeks=n) for n in range(4)]
    svg = charts.week_chart(weeks, [("All", [1, 4, 2, 0]), ("None", [0, 1, 0, 0])], title="W")
    lines = re.findall(r'points="([^"]+)"', svg)
    assert len(lines) == 2
    assert all(len(points.split()) == 4 for points in lines)
    assert ">All<" in svg and ">None<" in svg
    assert ">11/26<" in svg  # the first week of November is marked
