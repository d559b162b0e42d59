"""The invoice and the delivery note (berita acara serah terima, BAST) as A4 PDFs, drawn
with reportlab as the kuitansi is (shop.receipts.pdf): page streams uncompressed, so the
text stays searchable by simple tools and by the tests."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from .terbilang import rupiah_in_words


def invoice_filename(invoice) -> str:
    return f"invoice-{invoice.number.replace('/', '-')}.pdf"


def delivery_filename(delivery) -> str:
    return f"bast-{delivery.number.replace('/', '-')}.pdf"


class _Kit:
    """The styles and helpers both documents share."""

    def __init__(self):
        from reportlab.lib.styles import getSampleStyleSheet

        styles = getSampleStyleSheet()
        self.title = styles["Title"]
        self.body = styles["BodyText"].clone("inv_body", fontSize=9, leading=11)
        self.bold = self.body.clone("inv_bold", fontName="Helvetica-Bold")
        self.small = self.body.clone("inv_small", fontSize=7.5, leading=9)
        self.right = self.body.clone("inv_right", alignment=2)
        self.right_bold = self.bold.clone("inv_right_bold", alignment=2)

    def p(self, text, style=None):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style or self.body)

    def doc(self, buffer, title):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        return SimpleDocTemplate(
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

    def facts(self, doc, rows):
        from reportlab.lib.units import mm
        from reportlab.platypus import Table, TableStyle

        return Table(
            [[self.p(label, self.bold), value] for label, value in rows],
            colWidths=[45 * mm, doc.width - 45 * mm],
            hAlign="LEFT",
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        )

    def party(self, invoice, *, seller: bool):
        if seller:
            cells = [self.p(invoice.seller_name, self.bold)]
            if invoice.seller_satker_code:
                cells.append(
                    self.p(_("Satker code: %(code)s") % {"code": invoice.seller_satker_code})
                )
            if invoice.seller_address:
                cells.append(self.p(invoice.seller_address))
            return cells
        cells = [self.p(invoice.buyer_name, self.bold)]
        if invoice.buyer_npwp:
            cells.append(self.p(_("NPWP: %(npwp)s") % {"npwp": invoice.buyer_npwp}))
        if invoice.buyer_address:
            cells.append(self.p(invoice.buyer_address))
        return cells

    def signatures(self, doc, left: str, right: str, left_name: str = "", right_name: str = ""):
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer, Table

        half = doc.width / 2
        return Table(
            [
                [self.p(left, self.bold), self.p(right, self.bold)],
                [Spacer(1, 22 * mm), Spacer(1, 22 * mm)],
                [
                    self.p(f"( {left_name or '.' * 40} )"),
                    self.p(f"( {right_name or '.' * 40} )"),
                ],
            ],
            colWidths=[half, half],
            hAlign="LEFT",
        )


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def invoice_pdf(invoice, *, lines, paid, balance) -> bytes:
    """Render in the language the caller has activated. ``lines`` are the order's lines;
    ``paid`` and ``balance`` what has been received so far and what is still owed."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    kit = _Kit()
    title = _("Invoice %(number)s") % {"number": invoice.number}
    buffer = io.BytesIO()
    doc = kit.doc(buffer, title)

    def money(amount) -> str:
        return currency(amount, invoice.currency)

    facts = [
        (_("Seller"), kit.party(invoice, seller=True)),
        (_("Bill to"), kit.party(invoice, seller=False)),
        (_("Invoice number"), kit.p(invoice.number)),
        (_("Invoice date"), kit.p(_date(invoice.issued_on))),
        (_("Due date"), kit.p(_date(invoice.due_on))),
        (
            _("Payment terms"),
            kit.p(_("%(days)s days") % {"days": invoice.terms_days}),
        ),
        (_("Order number"), kit.p(invoice.order.number)),
    ]
    if invoice.po_number:
        facts.append((_("Purchase order number"), kit.p(invoice.po_number)))
    story = [kit.p(title, kit.title), kit.facts(doc, facts), Spacer(1, 5 * mm)]

    rows = [
        [
            kit.p(_("No."), kit.bold),
            kit.p(_("Description"), kit.bold),
            kit.p(_("Qty"), kit.right_bold),
            kit.p(_("Unit price"), kit.right_bold),
            kit.p(_("Amount"), kit.right_bold),
        ]
    ]
    for position, line in enumerate(lines, start=1):
        rows.append(
            [
                kit.p(position),
                kit.p(line.title),
                kit.p(line.quantity, kit.right),
                kit.p(money(line.unit_price_incl_tax), kit.right),
                kit.p(money(line.line_price_incl_tax), kit.right),
            ]
        )
    sums = [(_("Goods"), invoice.goods_total, kit.right)]
    if invoice.shipping_total:
        sums.append((_("Delivery"), invoice.shipping_total, kit.right))
    sums.append((_("Total"), invoice.total, kit.right_bold))
    if paid:
        sums.append((_("Received"), -paid, kit.right))
        sums.append((_("Balance due"), balance, kit.right_bold))
    for label, amount, style in sums:
        rows.append(["", "", "", kit.p(label, style), kit.p(money(amount), style)])
    table = Table(
        rows,
        colWidths=[10 * mm, doc.width - 105 * mm, 15 * mm, 40 * mm, 40 * mm],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, len(lines)), (-1, len(lines)), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm)]
    # The amount in words is printed in Indonesian whatever the page's language: it is the
    # wording the state's finance officers check against the figures.
    story.append(
        kit.facts(
            doc,
            [(_("In words (terbilang)"), kit.p(rupiah_in_words(invoice.total).capitalize()))],
        )
    )
    story.append(Spacer(1, 5 * mm))
    account = [
        kit.p(invoice.bank_name),
        kit.p(invoice.bank_account_number, kit.bold),
        kit.p(_("Account holder: %(holder)s") % {"holder": invoice.bank_account_holder}),
        kit.p(
            _("Quote %(number)s as the reference of your transfer.") % {"number": invoice.number}
        ),
    ]
    story.append(kit.facts(doc, [(_("Pay by transfer to"), account)]))
    story.append(Spacer(1, 4 * mm))
    story.append(
        kit.p(
            _(
                "The proceeds of this sale are non-tax state revenue (PNBP) of %(lapas)s. "
                "Goods made in its workshops as part of the skills and work programme."
            )
            % {"lapas": invoice.seller_name},
            kit.small,
        )
    )
    story.append(Spacer(1, 8 * mm))
    story.append(kit.signatures(doc, "", _("Treasurer (bendahara penerimaan)")))
    doc.build(story)
    return buffer.getvalue()


def delivery_pdf(delivery, *, rows) -> bytes:
    """The handover record of one delivery, for both sides to sign. ``rows`` are the
    order's line deliveries (selectors.line_deliveries) after this one."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    kit = _Kit()
    invoice = delivery.invoice
    title = _("Handover record (berita acara serah terima) %(number)s") % {
        "number": delivery.number
    }
    buffer = io.BytesIO()
    doc = kit.doc(buffer, title)
    facts = [
        (_("Handed over by"), kit.party(invoice, seller=True)),
        (_("Received by"), kit.party(invoice, seller=False)),
        (_("Delivery date"), kit.p(_date(delivery.delivered_on))),
        (_("Order number"), kit.p(invoice.order.number)),
        (_("Invoice number"), kit.p(invoice.number)),
    ]
    if invoice.po_number:
        facts.append((_("Purchase order number"), kit.p(invoice.po_number)))
    if delivery.place:
        facts.append((_("Delivery place"), kit.p(delivery.place)))
    story = [kit.p(title, kit.title), kit.facts(doc, facts), Spacer(1, 5 * mm)]
    story.append(
        kit.p(
            _(
                "On the date above the seller handed over, and the buyer received in good "
                "order, the goods below."
            )
        )
    )
    story.append(Spacer(1, 3 * mm))
    now = {dl.line_id: dl.quantity for dl in delivery.lines.all()}
    table_rows = [
        [
            kit.p(_("No."), kit.bold),
            kit.p(_("Description"), kit.bold),
            kit.p(_("Ordered"), kit.right_bold),
            kit.p(_("Handed over now"), kit.right_bold),
            kit.p(_("Delivered in total"), kit.right_bold),
            kit.p(_("Still to deliver"), kit.right_bold),
        ]
    ]
    position = 0
    for row in rows:
        if row.line.pk not in now:
            continue
        position += 1
        table_rows.append(
            [
                kit.p(position),
                kit.p(row.line.title),
                kit.p(row.ordered, kit.right),
                kit.p(now[row.line.pk], kit.right_bold),
                kit.p(row.delivered, kit.right),
                kit.p(row.remaining, kit.right),
            ]
        )
    table = Table(
        table_rows,
        colWidths=[10 * mm, doc.width - 110 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    if delivery.note:
        story.append(kit.facts(doc, [(_("Note"), kit.p(delivery.note))]))
    story.append(Spacer(1, 10 * mm))
    story.append(
        kit.signatures(
            doc,
            _("Handed over by (seller)"),
            _("Received by (buyer)"),
            right_name=delivery.recipient_name,
        )
    )
    doc.build(story)
    return buffer.getvalue()
