"""Receipts for thermal paper: what the HTML print view and the PDF show.

Thermal printers print a fixed number of monospace characters per line: 32 on 58 mm
paper, 48 on 80 mm paper. The PDF is drawn with Pillow (as the batch labels are) at the
printers' 203 dpi, one text line per printed line, so it prints the same on either.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency
from PIL import Image, ImageDraw, ImageFont

from production_link.labels import trace_url
from shop.apps.core.templatetags.karya_time import lapas_time_text

from . import selectors
from .models import PaymentMethod

WIDTHS = {58: 32, 80: 48}
DPI = 203
MM = DPI / 25.4
# Printable width of each paper (the print head is narrower than the paper).
PRINT_WIDTH_MM = {58: 48, 80: 72}
MONO_FONTS = (
    "DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)


def paper_width(value) -> int:
    try:
        width = int(value)
    except (TypeError, ValueError):
        return 80
    return width if width in WIDTHS else 80


def paper_style(width: int) -> dict:
    """Page size, side margins and font size for the HTML print view."""
    width = paper_width(width)
    return {
        "paper_mm": width,
        "pad_mm": (width - PRINT_WIDTH_MM[width]) // 2,
        "font_pt": 8 if width == 58 else 9,
    }


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def receipt_context(sale) -> dict:
    """Everything a receipt shows, for the template and the PDF alike."""
    order = sale.order
    session = sale.session
    location = session.location
    lapas = location.lapas
    lines = selectors.sale_lines_with_batches(sale)
    batches = []
    for row in lines:
        for batch in row["batches"]:
            if batch not in batches:
                batches.append(batch)
    return {
        "sale": sale,
        "order": order,
        "number": order.number,
        "lapas": lapas,
        "lapas_address": selectors.lapas_address(lapas),
        "location": location,
        "cashier": _person(session.cashier),
        "date": timezone.localtime(sale.created_at),
        # The time of the sale in its Lapas's zone, with WIB, WITA or WIT.
        "date_text": lapas_time_text(sale.created_at, lapas, "d-m-Y H:i"),
        "lines": lines,
        "total": order.total_incl_tax,
        "method": PaymentMethod(sale.payment_method).label,
        "tendered": sale.tendered,
        "change": sale.change,
        "reference": sale.reference,
        "unverified": sale.unverified,
        "refunded": selectors.refunded_total(order=order),
        "traces": [(batch.code, trace_url(batch)) for batch in batches],
    }


def _fit(left: str, right: str, columns: int) -> str:
    space = columns - len(right)
    if len(left) >= space:
        left = left[: max(space - 1, 0)]
    return left.ljust(space) + right


def _wrap(text: str, columns: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        while len(word) > columns:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:columns])
            word = word[columns:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= columns:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _money(value) -> str:
    return currency(value)


def receipt_text(context: dict, *, width: int) -> list[str]:
    """The receipt as monospace lines for the given paper width (58 or 80)."""
    columns = WIDTHS[paper_width(width)]
    rule = "-" * columns
    out = []
    out += [line.center(columns) for line in _wrap(context["lapas"].name, columns)]
    out += [line.center(columns) for line in _wrap(context["lapas_address"], columns)]
    location = context["location"]
    place = location.name + (f" · {location.venue}" if location.venue else "")
    out += [line.center(columns) for line in _wrap(place, columns)]
    out.append(rule)
    out.append(_fit(_("Receipt"), context["number"], columns))
    out.append(_fit(_("Date"), context["date_text"], columns))
    out.append(_fit(_("Cashier"), context["cashier"], columns))
    out.append(rule)
    for row in context["lines"]:
        out += _wrap(row["title"], columns)
        out.append(
            _fit(
                f"  {row['quantity']} x {_money(row['unit_price'])}",
                _money(row["total"]),
                columns,
            )
        )
        for batch in row["batches"]:
            out.append(f"  {_('Batch')} {batch.code}"[:columns])
    out.append(rule)
    out.append(_fit(_("TOTAL"), _money(context["total"]), columns))
    out.append(_fit(str(context["method"]), _money(context["total"]), columns))
    if context["tendered"] is not None:
        out.append(_fit(_("Tendered"), _money(context["tendered"]), columns))
        out.append(_fit(_("Change given"), _money(context["change"]), columns))
    if context["reference"]:
        out.append(_fit(_("Reference"), context["reference"], columns))
    if context["unverified"]:
        out.append(_("Payment to be verified").center(columns))
    if context["refunded"]:
        out.append(_fit(_("Refunded"), "-" + _money(context["refunded"]), columns))
    out.append(rule)
    out += _wrap(_("Trace your goods back to the workshop that made them:"), columns)
    for _code, url in context["traces"]:
        out += _wrap(url, columns)
    out.append("")
    out += [line.center(columns) for line in _wrap(_("Thank you. All proceeds are PNBP."), columns)]
    return out


def _mono(size: int):
    for name in MONO_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def text_pdf(lines: list[str], *, width: int) -> bytes:
    """Monospace lines drawn on a strip of thermal paper, saved as a one-page PDF."""
    width = paper_width(width)
    columns = WIDTHS[width]
    page_width = round(width * MM)
    print_width = round(PRINT_WIDTH_MM[width] * MM)
    margin = (page_width - print_width) // 2
    size = 10
    while _mono(size + 1).getlength("M" * columns) <= print_width:
        size += 1
    face = _mono(size)
    line_height = round(size * 1.3)
    height = 2 * margin + line_height * max(len(lines), 1)
    image = Image.new("L", (page_width, height), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * line_height), line, font=face, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=DPI)
    return buffer.getvalue()


def receipt_pdf(sale, *, width: int = 80) -> bytes:
    return text_pdf(receipt_text(receipt_context(sale), width=width), width=width)
