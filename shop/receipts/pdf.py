"""The receipt (kuitansi) as an A4 PDF, drawn with reportlab as the PNBP reports are.

Page streams are left uncompressed, as in production_link.reports.exports: the file stays
small and its text searchable by simple tools (and by the tests).
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from .selectors import Receipt


def receipt_filename(receipt: Receipt) -> str:
    return f"kuitansi-{receipt.order.number}.pdf"


def receipt_pdf(receipt: Receipt) -> bytes:
    """Render in the language the caller has activated (the order's, for the e-mail)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("receipt_body", fontSize=9, leading=11)
    bold = body.clone("receipt_bold", fontName="Helvetica-Bold")
    small = body.clone("receipt_small", fontSize=7.5, leading=9)
    right = body.clone("receipt_right", alignment=2)
    right_bold = bold.clone("receipt_right_bold", alignment=2)

    def money(amount) -> str:
        return currency(amount, receipt.currency)

    def p(text, style=body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    title = _("Receipt (kuitansi) %(number)s") % {"number": receipt.number}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=settings.OSCAR_SHOP_NAME,
        pageCompression=0,
    )
    lapas = receipt.lapas
    seller = [p(lapas.display_name if lapas else settings.OSCAR_SHOP_NAME, bold)]
    if lapas is not None and lapas.satker_code:
        seller.append(p(_("Satker code: %(code)s") % {"code": lapas.satker_code}))
    if receipt.lapas_address:
        seller.append(p(receipt.lapas_address))
    contact = " · ".join(x for x in (lapas.phone, lapas.email) if x) if lapas else ""
    if contact:
        seller.append(p(contact))

    order = receipt.order
    facts = [
        (_("Receipt number"), receipt.number),
        (_("Order number"), order.number),
        (_("Order date"), formats.date_format(order.date_placed, "DATE_FORMAT")),
        (_("Paid on"), formats.date_format(receipt.paid_at, "DATETIME_FORMAT")),
        (_("Payment method"), receipt.payment_method),
    ]
    if receipt.payment_reference:
        facts.append((_("Payment reference"), receipt.payment_reference))
    if order.checkout_id:
        facts.append((_("Checkout number"), order.checkout.number))
    facts.append((_("Received from"), receipt.buyer_name or "—"))

    story = [
        Paragraph(escape(title), styles["Title"]),
        Table(
            [
                [p(_("Seller"), bold), seller],
                *[[p(label, bold), p(value)] for label, value in facts],
            ],
            colWidths=[45 * mm, doc.width - 45 * mm],
            hAlign="LEFT",
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
        Spacer(1, 5 * mm),
    ]

    rows = [
        [
            p(_("Product"), bold),
            p(_("Qty"), right_bold),
            p(_("Unit price"), right_bold),
            p(_("Amount"), right_bold),
        ]
    ]
    for line in receipt.lines:
        cell = [p(line.title)]
        if line.batches:
            links = ", ".join(
                f'<link href="{escape(url)}" color="blue">{escape(code)}</link>'
                for code, url in line.batches
            )
            cell.append(Paragraph(escape(_("Batch")) + ": " + links, small))
            for _code, url in line.batches:
                cell.append(p(url, small))
        rows.append(
            [
                cell,
                p(line.quantity, right),
                p(money(line.unit_price), right),
                p(money(line.total), right),
            ]
        )
    totals = [(_("Goods"), receipt.goods_total), (_("Shipping"), receipt.shipping)]
    for label, amount in totals:
        rows.append(["", "", p(label, right), p(money(amount), right)])
    rows.append(["", "", p(_("Total paid"), right_bold), p(money(receipt.total), right_bold)])
    if receipt.refunded:
        rows.append(["", "", p(_("Refunded"), right), p(money(-receipt.refunded), right)])
    table = Table(
        rows,
        colWidths=[doc.width - 95 * mm, 15 * mm, 40 * mm, 40 * mm],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, len(receipt.lines)), (-1, len(receipt.lines)), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 6 * mm))
    story.append(
        p(
            _(
                "Made in a workshop of %(lapas)s as part of the skills and work programme. "
                "The proceeds of this sale are non-tax state revenue (PNBP) of %(lapas)s. "
                "Each batch code links to the batch's public trace page."
            )
            % {"lapas": lapas.display_name if lapas else settings.OSCAR_SHOP_NAME},
            small,
        )
    )
    doc.build(story)
    return buffer.getvalue()
