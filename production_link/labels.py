"""Printable batch labels in three sizes, as PNG, PDF (with a text layer) and ZPL.

A label carries the product's required facts (catalog's label facts: name, net quantity,
ingredients, allergens, licence, halal, SNI, producer with address), the production and
expiry dates, a GS1-128 barcode of the expiry date (AI 17) and the batch code (AI 10), and
a QR code of the batch's public trace page.

Nothing is ever cut. The text starts at the size's largest type and shrinks, wrapping at
word boundaries, down to the smallest legible type; if the facts still do not fit, the
label is refused with a message that names the facts that do not fit and the smallest
size that holds them (:class:`LabelDoesNotFit`).

One layout, measured in millimetres and points, feeds three writers, so the PNG, the PDF
and the ZPL show the same lines: the PDF's text is real text (a test reads it back), the
barcodes are drawn with whole pixels or printer dots per module so that scanners read them.
"""

import io
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import barcode
import segno
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from catalog.validators import plain_number
from shop.apps.core.imaging import FONT_FILES
from shop.apps.core.public_url import public_base_url

from .notifications import batch_trace_path

DPI = 300  # PNG and PDF images
ZPL_DPMM = 8  # 203 dpi thermal printers, the common kind
PT_MM = 25.4 / 72
LINE_SPACING = 1.2
QUIET_MODULES = 10  # GS1-128 needs ten modules of white space on each side
GS1_BATCH_MAX = 20  # AI 10 holds at most 20 characters
# Legible minimum, as food-label rules put it: the x-height of the letters, at least
# 1.2 mm, or 0.9 mm on a small label (under 80 cm²). Converted to a type size through
# the font's own x-height, so a different font keeps the same printed letter height.
X_HEIGHT_MM = 1.2
X_HEIGHT_SMALL_MM = 0.9
SMALL_LABEL_CM2 = 80
SHRINK_STEP_PT = 0.25


@dataclass(frozen=True)
class LabelSize:
    key: str
    width_mm: float
    height_mm: float
    thermal: bool
    qr_mm: float
    bars_mm: float  # height of the bars
    pad_mm: float
    text_pt: float  # the largest body type; text shrinks from here
    title_pt: float
    sheet_grid: tuple[int, int] | None = None  # columns × rows on an A4 sheet

    @property
    def name(self) -> str:
        width, height = (plain_number(Decimal(str(v))) for v in (self.width_mm, self.height_mm))
        return f"{width} × {height} mm"

    @property
    def description(self) -> str:
        if self.sheet_grid:
            columns, rows = self.sheet_grid
            return _("%(size)s sheet label (A4, %(count)d per sheet)") % {
                "size": self.name,
                "count": columns * rows,
            }
        return _("%(size)s thermal label") % {"size": self.name}

    @property
    def min_text_pt(self) -> float:
        area_cm2 = self.width_mm * self.height_mm / 100
        x_height = X_HEIGHT_SMALL_MM if area_cm2 < SMALL_LABEL_CM2 else X_HEIGHT_MM
        size = x_height / _fonts().x_height_em / PT_MM
        return math.ceil(size / SHRINK_STEP_PT) * SHRINK_STEP_PT


SIZES = {
    size.key: size
    for size in (
        # A4 sheet of 3 × 7 labels of 70 × 42.3 mm, the common "21 per sheet" stationery.
        LabelSize("70x42", 70, 42.3, False, 16, 7, 2, 7, 9, sheet_grid=(3, 7)),
        LabelSize("100x50", 100, 50, True, 20, 9, 2.5, 8, 11),
        LabelSize("100x150", 100, 150, True, 30, 15, 4, 10, 14),
    )
}
DEFAULT_SIZE = "70x42"
A4_MM = (210, 297)


class LabelDoesNotFit(Exception):
    """The required facts do not fit on this size even at the smallest legible type."""

    def __init__(self, message: str, *, size: LabelSize, facts: list, fitting: LabelSize | None):
        super().__init__(message)
        self.message = message
        self.size = size
        self.facts = facts
        self.fitting = fitting


@dataclass(frozen=True)
class Fact:
    key: str
    name: object  # what the fact is, for a refusal message
    text: str
    bold: bool = False


@dataclass(frozen=True)
class TextLine:
    x_mm: float
    baseline_mm: float  # from the top of the label
    pt: float
    bold: bool
    text: str


@dataclass
class Layout:
    size: LabelSize
    lines: list[TextLine]
    qr_url: str
    qr_box: tuple[float, float, float]  # x, y, side in mm
    gs1: str  # the element string the bars encode, e.g. 1726113010TNG-ROTI-261122-01
    gs1_text: str  # the same, human readable: (17)261130(10)TNG-ROTI-261122-01
    bars_pattern: str  # "1" a dark module, "0" a light one, without quiet zones
    bars_box: tuple[float, float, float, float]  # x, y, width, height in mm
    text_pt: float
    facts: list[Fact] = field(default_factory=list)


# --- Fonts: one TrueType font measures the text for every writer


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    regular_file: str | None
    bold_file: str | None
    x_height_em: float


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    files = {}
    for bold, candidates in FONT_FILES.items():
        files[bold] = next((path for path in candidates if _readable(path)), None)
    if files[True] and files[False]:
        pdfmetrics.registerFont(TTFont("KaryaLabel", files[False]))
        pdfmetrics.registerFont(TTFont("KaryaLabel-Bold", files[True]))
        face = ImageFont.truetype(files[False], 1000)
        x_height = (face.getbbox("x", anchor="ls")[3] - face.getbbox("x", anchor="ls")[1]) / 1000
        return _Fonts("KaryaLabel", "KaryaLabel-Bold", files[False], files[True], x_height)
    # Without DejaVu: PDF's own Helvetica measures; its x-height is 0.523 em.
    return _Fonts("Helvetica", "Helvetica-Bold", None, None, 0.523)


def _readable(path: str) -> bool:
    try:
        ImageFont.truetype(path, 10)
    except OSError:
        return False
    return True


def _text_mm(text: str, *, pt: float, bold: bool) -> float:
    fonts = _fonts()
    return pdfmetrics.stringWidth(text, fonts.bold if bold else fonts.regular, pt) * PT_MM


def _ascent_mm(pt: float, bold: bool) -> float:
    fonts = _fonts()
    return pdfmetrics.getAscent(fonts.bold if bold else fonts.regular, pt) * PT_MM


# --- What the label says


def trace_url(batch) -> str:
    return public_base_url() + batch_trace_path(batch)


def _date(value) -> str:
    return formats.date_format(value, "d-m-Y")


def label_facts(batch) -> list[Fact]:
    """Everything the label must print for this batch, in print order. Call within the
    label's language (the shop's own, see :func:`label_layout`)."""
    product = batch.product
    facts = [Fact("name", _("product name"), product.label_name or product.get_title(), True)]
    dates = _("Produced %(made)s") % {"made": _date(batch.production_date)}
    if batch.expiry_date:
        dates += " · " + _("Best before %(date)s") % {"date": _date(batch.expiry_date)}
    facts.append(Fact("dates", _("production and expiry dates"), dates))
    if product.net_quantity is not None:
        facts.append(
            Fact(
                "net_quantity",
                _("net quantity"),
                _("Net: %(quantity)s") % {"quantity": product.net_quantity_display},
            )
        )
    if product.ingredients:
        facts.append(
            Fact(
                "ingredients",
                _("ingredients"),
                _("Ingredients: %(ingredients)s") % {"ingredients": product.ingredients},
            )
        )
    if product.allergens:
        facts.append(
            Fact(
                "allergens",
                _("allergens"),
                _("Allergens: %(allergens)s") % {"allergens": product.allergens},
            )
        )
    if product.licence_number:
        facts.append(
            Fact(
                "licence",
                _("licence number"),
                f"{_licence_short(product)} {product.licence_number}",
            )
        )
    if product.halal_claimed and product.halal_certificate_number:
        facts.append(
            Fact(
                "halal",
                _("halal certificate"),
                _("Halal %(number)s") % {"number": product.halal_certificate_number},
            )
        )
    if product.sni_number:
        facts.append(Fact("sni", _("SNI number"), product.sni_number))
    producer = product.producer_line or batch.workshop.lapas.name
    facts.append(
        Fact(
            "producer",
            _("producer and address"),
            _("Made by %(producer)s") % {"producer": producer},
        )
    )
    return facts


def _licence_short(product) -> str:
    """The licence's name as labels print it: "P-IRT" or "BPOM" (the number says MD/ML)."""
    display = str(product.get_licence_type_display())
    return display.split(" (")[0].split(" ")[0] if display else ""


def gs1_element_string(batch) -> tuple[str, str]:
    """The GS1 element string of a batch and its human-readable form.

    The expiry date (AI 17, fixed length) goes first so the batch (AI 10, variable length)
    ends the string and needs no separator.
    """
    raw, shown = "", ""
    if batch.expiry_date:
        date = batch.expiry_date.strftime("%y%m%d")
        raw, shown = f"17{date}", f"(17){date}"
    return raw + f"10{batch.code}", shown + f"(10){batch.code}"


# --- Layout


def label_layout(batch, *, size: str = DEFAULT_SIZE) -> Layout:
    """Where every line, the QR code and the bars go on a label of ``size``.

    Raises LabelDoesNotFit (with a message for staff) when the facts do not fit even at
    the smallest legible type, and KeyError for a size that does not exist.
    """
    label = SIZES[size]
    with translation.override(settings.LANGUAGE_CODE):
        facts = label_facts(batch)
        gs1, gs1_text = gs1_element_string(batch)
        if len(batch.code) > GS1_BATCH_MAX:
            raise LabelDoesNotFit(
                _(
                    "The batch code %(code)s is longer than the %(max)d characters a GS1 "
                    "barcode holds for a batch."
                )
                % {"code": batch.code, "max": GS1_BATCH_MAX},
                size=label,
                facts=[],
                fitting=None,
            )
        pattern = barcode.get("gs1_128", gs1).build()[0]
        placed = _fit(label, facts)
        if isinstance(placed, list):
            raise _refusal(batch, label, facts, placed)
        lines, text_pt = placed
        pad = label.pad_mm
        bars_top = label.height_mm - pad - _bars_band_mm(label) + 0.0
        bars_width = label.width_mm - 2 * pad
        gs1_width = _text_mm(gs1_text, pt=_bars_text_pt(label), bold=False)
        lines.append(
            TextLine(
                x_mm=(label.width_mm - gs1_width) / 2,
                baseline_mm=bars_top
                + label.bars_mm
                + 0.6
                + _ascent_mm(_bars_text_pt(label), False),
                pt=_bars_text_pt(label),
                bold=False,
                text=gs1_text,
            )
        )
        return Layout(
            size=label,
            lines=lines,
            qr_url=trace_url(batch),
            qr_box=(label.width_mm - pad - label.qr_mm, pad, label.qr_mm),
            gs1=gs1,
            gs1_text=gs1_text,
            bars_pattern=pattern,
            bars_box=(pad, bars_top, bars_width, label.bars_mm),
            text_pt=text_pt,
            facts=facts,
        )


def _bars_text_pt(label: LabelSize) -> float:
    return max(label.min_text_pt, label.text_pt * 0.85)


def _bars_band_mm(label: LabelSize) -> float:
    return label.bars_mm + 0.6 + _bars_text_pt(label) * PT_MM * LINE_SPACING


def _fit(label: LabelSize, facts: list[Fact]):
    """The lines at the largest type that holds every fact, with that type size; or, when
    not even the smallest legible type does, the facts that do not fit at it."""
    smallest = label.min_text_pt
    text_pt = label.text_pt
    while True:
        lines, overflow = _place(label, facts, text_pt=text_pt)
        if not overflow:
            return lines, text_pt
        if text_pt <= smallest:
            return overflow
        text_pt = max(smallest, text_pt - SHRINK_STEP_PT)


def _place(label: LabelSize, facts: list[Fact], *, text_pt: float):
    """Flow the facts down the label, wrapping at spaces: beside the QR code while it is
    there, across the whole width below it. A word wider than its line, or a line below
    the barcode's band, does not fit; such facts are returned as the overflow."""
    pad = label.pad_mm
    bottom = label.height_mm - pad - _bars_band_mm(label) - 0.5
    qr_bottom = pad + label.qr_mm + 0.5
    narrow = label.width_mm - 3 * pad - label.qr_mm
    wide = label.width_mm - 2 * pad
    lines: list[TextLine] = []
    overflow: list[Fact] = []
    top = pad
    for fact in facts:
        pt = text_pt * label.title_pt / label.text_pt if fact.bold else text_pt
        height = pt * PT_MM * LINE_SPACING
        words = fact.text.split()
        fits = True
        while words:
            width = narrow if top < qr_bottom else wide
            if top + height > bottom or _text_mm(words[0], pt=pt, bold=fact.bold) > width:
                fits = False
                break
            line = words.pop(0)
            while words:
                candidate = f"{line} {words[0]}"
                if _text_mm(candidate, pt=pt, bold=fact.bold) > width:
                    break
                line = candidate
                words.pop(0)
            lines.append(TextLine(pad, top + _ascent_mm(pt, fact.bold), pt, fact.bold, line))
            top += height
        if not fits:
            overflow.append(fact)
    return lines, overflow


def _refusal(batch, label: LabelSize, facts: list[Fact], overflow: list[Fact]) -> LabelDoesNotFit:
    fitting = next(
        (
            other
            for other in sorted(SIZES.values(), key=lambda s: s.width_mm * s.height_mm)
            if other.key != label.key and not isinstance(_fit(other, facts), list)
        ),
        None,
    )
    names = ", ".join(str(fact.name) for fact in overflow)
    message = _(
        "The label does not fit on %(size)s: %(facts)s would not fit even at the smallest "
        "legible type (%(pt)s pt)."
    ) % {"size": label.name, "facts": names, "pt": formats.number_format(label.min_text_pt)}
    if fitting is not None:
        message += " " + _("It fits on a %(size)s label.") % {"size": fitting.name}
    else:
        message += " " + _(
            "No label size holds it: shorten these facts in the product's label details."
        )
    return LabelDoesNotFit(message, size=label, facts=overflow, fitting=fitting)


def label_refusals(batch) -> dict[str, str | None]:
    """For each size, None if the batch's label prints on it, else the refusal message."""
    refusals = {}
    for key in SIZES:
        try:
            label_layout(batch, size=key)
        except LabelDoesNotFit as refusal:
            refusals[key] = refusal.message
        else:
            refusals[key] = None
    return refusals


# --- Writers


def _qr_image(url: str, *, side_px: int) -> Image.Image:
    qr = segno.make(url, error="m")
    modules = qr.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(1, side_px // modules), border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _bars_image(pattern: str, *, width_px: int, height_px: int) -> Image.Image:
    """The bars with whole pixels per module, quiet zones included, as wide as fits."""
    module_px = width_px // (len(pattern) + 2 * QUIET_MODULES)
    if module_px < 1:
        raise ValueError("bars wider than the label")
    modules = "0" * QUIET_MODULES + pattern + "0" * QUIET_MODULES
    image = Image.new("L", (len(modules) * module_px, height_px), 255)
    draw = ImageDraw.Draw(image)
    for index, module in enumerate(modules):
        if module == "1":
            x = index * module_px
            draw.rectangle((x, 0, x + module_px - 1, height_px - 1), fill=0)
    return image


def _px(mm: float) -> int:
    return round(mm * DPI / 25.4)


@lru_cache(maxsize=64)
def _pil_font(pt: float, bold: bool):
    fonts = _fonts()
    path = fonts.bold_file if bold else fonts.regular_file
    size = pt * DPI / 72
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def render_label(batch, *, size: str = DEFAULT_SIZE) -> Image.Image:
    """One label as a 300 dpi greyscale image."""
    layout = label_layout(batch, size=size)
    return _render(layout)


def _render(layout: Layout) -> Image.Image:
    label = layout.size
    image = Image.new("L", (_px(label.width_mm), _px(label.height_mm)), 255)
    draw = ImageDraw.Draw(image)
    for line in layout.lines:
        draw.text(
            (_px(line.x_mm), _px(line.baseline_mm)),
            line.text,
            font=_pil_font(line.pt, line.bold),
            fill=0,
            anchor="ls",
        )
    x, y, side = layout.qr_box
    image.paste(_qr_image(layout.qr_url, side_px=_px(side)), (_px(x), _px(y)))
    bx, by, bwidth, bheight = layout.bars_box
    bars = _bars_image(layout.bars_pattern, width_px=_px(bwidth), height_px=_px(bheight))
    image.paste(bars, ((image.width - bars.width) // 2, _px(by)))
    return image


def label_png(batch, *, size: str = DEFAULT_SIZE) -> bytes:
    buffer = io.BytesIO()
    render_label(batch, size=size).save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def label_count(batch, count: int | None) -> int:
    """How many labels to print: one per unit produced unless count says otherwise."""
    return count or batch.produced_quantity or batch.planned_quantity or 1


def label_pdf(batch, *, size: str = DEFAULT_SIZE, count: int | None = None) -> bytes:
    """Labels as a PDF with real text: A4 sheets for sheet labels, one page per label
    for thermal ones. The QR code and the bars are images with whole pixels per module."""
    layout = label_layout(batch, size=size)
    label = layout.size
    count = label_count(batch, count)
    x, y, side = layout.qr_box
    qr = _qr_image(layout.qr_url, side_px=_px(side))
    bx, by, bwidth, bheight = layout.bars_box
    bars = _bars_image(layout.bars_pattern, width_px=_px(bwidth), height_px=_px(bheight))
    buffer = io.BytesIO()
    if label.sheet_grid:
        page_mm = A4_MM
        columns, rows = label.sheet_grid
    else:
        page_mm = (label.width_mm, label.height_mm)
        columns, rows = 1, 1
    pdf = pdf_canvas.Canvas(buffer, pagesize=(page_mm[0] / PT_MM, page_mm[1] / PT_MM))
    pdf.setTitle(f"{batch.code} ({label.name})")
    margin_x = (page_mm[0] - columns * label.width_mm) / 2
    margin_y = (page_mm[1] - rows * label.height_mm) / 2
    per_page = columns * rows
    fonts = _fonts()
    qr_reader = _reader(qr)
    bars_reader = _reader(bars)
    for index in range(count):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        left = margin_x + (slot % columns) * label.width_mm
        top = margin_y + (slot // columns) * label.height_mm

        def at(x_mm, y_mm, left=left, top=top):
            return (left + x_mm) / PT_MM, (page_mm[1] - top - y_mm) / PT_MM

        for line in layout.lines:
            pdf.setFont(fonts.bold if line.bold else fonts.regular, line.pt)
            pdf.drawString(*at(line.x_mm, line.baseline_mm), line.text)
        pdf.drawImage(qr_reader, *at(x, y + qr.height * 25.4 / DPI), *_pt_size(qr))
        bars_x = (label.width_mm - bars.width * 25.4 / DPI) / 2
        pdf.drawImage(bars_reader, *at(bars_x, by + bheight), *_pt_size(bars))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _reader(image: Image.Image) -> ImageReader:
    return ImageReader(image)


def _pt_size(image: Image.Image) -> tuple[float, float]:
    return image.width * 72 / DPI, image.height * 72 / DPI


def label_zpl(batch, *, size: str = DEFAULT_SIZE, count: int | None = None) -> str:
    """Labels in ZPL II for a 203 dpi thermal printer: the same lines in the printer's
    scalable font (narrower than ours, so every line that fits here fits there), the
    GS1-128 in the printer's GS1 mode and the QR code, printed ``count`` times."""
    layout = label_layout(batch, size=size)
    label = layout.size

    def dots(mm: float) -> int:
        return round(mm * ZPL_DPMM)

    commands = [
        "^XA",
        "^CI28",  # field data is UTF-8
        f"^PW{dots(label.width_mm)}",
        f"^LL{dots(label.height_mm)}",
        "^LH0,0",
    ]
    for line in layout.lines:
        if line.text == layout.gs1_text:
            continue  # the printer writes the human-readable line under the bars itself
        height = dots(line.pt * PT_MM)
        top = dots(line.baseline_mm - _ascent_mm(line.pt, line.bold))
        commands.append(f"^FO{dots(line.x_mm)},{top}^A0N,{height},{height}^FD{_zpl(line.text)}^FS")
    x, y, side = layout.qr_box
    qr_modules = segno.make(layout.qr_url, error="m").symbol_size(scale=1, border=0)[0]
    magnification = max(1, min(10, dots(side) // qr_modules))
    commands.append(f"^FO{dots(x)},{dots(y)}^BQN,2,{magnification}^FDMA,{layout.qr_url}^FS")
    bx, by, bwidth, bheight = layout.bars_box
    modules = len(layout.bars_pattern) + 2 * QUIET_MODULES
    module_dots = max(1, dots(bwidth) // modules)
    bars_dots = (modules - 2 * QUIET_MODULES) * module_dots
    left = (dots(label.width_mm) - bars_dots) // 2
    commands.append(f"^BY{module_dots}")
    commands.append(f"^FO{left},{dots(by)}^BCN,{dots(bheight)},Y,N,N,D^FD{layout.gs1_text}^FS")
    commands.append(f"^PQ{label_count(batch, count)}")
    commands.append("^XZ")
    return "\n".join(commands) + "\n"


def _zpl(text: str) -> str:
    # ^ and ~ start commands in ZPL; a fact never needs them, so they become look-alikes.
    return text.replace("^", "ˆ").replace("~", "˜")
