"""Printable batch labels: PNG for one label, an A4 PDF sheet for many.

Each label carries the product's label facts, the producer line, production and expiry
dates, the batch code as a Code128 barcode (a point-of-sale scanner reads it to find
product and batch) and a QR code of the batch's public trace page.
"""

import io

import barcode
import segno
from barcode.writer import ImageWriter
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from shop.apps.core.imaging import font, wrap

from .notifications import batch_trace_path

DPI = 300
MM = DPI / 25.4
# A4 sheet of 3 × 7 labels of 70 × 42.3 mm, the common "21 per sheet" stationery.
LABEL_SIZE = (round(70 * MM), round(42.3 * MM))
SHEET_SIZE = (round(210 * MM), round(297 * MM))
SHEET_GRID = (3, 7)


def trace_url(batch) -> str:
    return settings.KARYA_PUBLIC_URL.rstrip("/") + batch_trace_path(batch)


def label_facts(batch) -> list[str]:
    """The lines of label text for a batch's product, from the catalogue's label facts."""
    product = batch.product
    lines = []
    if product.net_quantity is not None:
        lines.append(_("Net: %(quantity)s") % {"quantity": product.net_quantity_display})
    if product.ingredients:
        lines.append(_("Ingredients: %(ingredients)s") % {"ingredients": product.ingredients})
    if product.allergens:
        lines.append(_("Allergens: %(allergens)s") % {"allergens": product.allergens})
    if product.licence_number:
        lines.append(f"{product.get_licence_type_display()} {product.licence_number}")
    if product.halal_claimed and product.halal_certificate_number:
        lines.append(_("Halal %(number)s") % {"number": product.halal_certificate_number})
    if product.sni_number:
        lines.append(product.sni_number)
    lines.append(
        _("Made by %(producer)s") % {"producer": product.producer_line or batch.workshop.lapas.name}
    )
    return lines


def _barcode_image(code: str, *, height_px: int) -> Image.Image:
    writer = ImageWriter()
    options = {
        "module_width": 0.33,  # mm: wide enough for ordinary handheld scanners
        "module_height": height_px / MM,
        "quiet_zone": 3.0,
        "write_text": False,
        "dpi": DPI,
        "background": "white",
        "foreground": "black",
    }
    return barcode.get("code128", code, writer=writer).render(options).convert("L")


def _qr_image(url: str, *, size_px: int) -> Image.Image:
    buffer = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(buffer, kind="png", scale=max(1, size_px // (qr.symbol_size(scale=1)[0])), border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("L").resize((size_px, size_px), Image.NEAREST)


def render_label(batch) -> Image.Image:
    """One label as a 300 dpi greyscale image."""
    width, height = LABEL_SIZE
    pad = round(2.5 * MM)
    image = Image.new("L", LABEL_SIZE, 255)
    draw = ImageDraw.Draw(image)
    with translation.override(settings.LANGUAGE_CODE):
        qr_size = round(20 * MM)
        image.paste(_qr_image(trace_url(batch), size_px=qr_size), (width - qr_size - pad, pad))
        text_width = width - qr_size - 3 * pad
        y = pad
        for line in wrap(draw, batch.product.get_title(), font=font(34), max_width=text_width)[:2]:
            draw.text((pad, y), line, font=font(34), fill=0)
            y += 38
        dates = _("Produced %(made)s") % {
            "made": formats.date_format(batch.production_date, "d-m-Y")
        }
        if batch.expiry_date:
            dates += " · " + _("Best before %(date)s") % {
                "date": formats.date_format(batch.expiry_date, "d-m-Y")
            }
        for line in [dates, *label_facts(batch)]:
            for part in wrap(draw, line, font=font(21, bold=False), max_width=text_width)[:2]:
                if y > height - round(17 * MM):
                    break
                draw.text((pad, y), part, font=font(21, bold=False), fill=0)
                y += 25
        bars = _barcode_image(batch.code, height_px=round(9 * MM))
        bars.thumbnail((width - 2 * pad, bars.height))
        bars_top = height - pad - round(4 * MM) - bars.height
        image.paste(bars, ((width - bars.width) // 2, bars_top))
        code_font = font(26)
        code_width = draw.textlength(batch.code, font=code_font)
        draw.text(
            ((width - code_width) / 2, bars_top + bars.height + 4),
            batch.code,
            font=code_font,
            fill=0,
        )
    return image


def label_png(batch) -> bytes:
    buffer = io.BytesIO()
    render_label(batch).save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def label_sheet_pdf(batch, *, count: int | None = None) -> bytes:
    """A4 sheets of labels for a batch: one per unit produced unless count says otherwise."""
    count = count or batch.produced_quantity or batch.planned_quantity or 1
    per_sheet = SHEET_GRID[0] * SHEET_GRID[1]
    label = render_label(batch)
    sheets = []
    for start in range(0, count, per_sheet):
        sheet = Image.new("L", SHEET_SIZE, 255)
        margin_x = (SHEET_SIZE[0] - SHEET_GRID[0] * LABEL_SIZE[0]) // 2
        margin_y = (SHEET_SIZE[1] - SHEET_GRID[1] * LABEL_SIZE[1]) // 2
        for index in range(min(per_sheet, count - start)):
            col, row = index % SHEET_GRID[0], index // SHEET_GRID[0]
            sheet.paste(label, (margin_x + col * LABEL_SIZE[0], margin_y + row * LABEL_SIZE[1]))
        sheets.append(sheet)
    buffer = io.BytesIO()
    sheets[0].save(buffer, format="PDF", resolution=DPI, save_all=True, append_images=sheets[1:])
    return buffer.getvalue()
