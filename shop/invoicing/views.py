"""The buyer's downloads: the invoice and the delivery notes (BAST) of their own orders,
or of the organisation they buy for. Anything else is a 404."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from shop.apps.core.policy import policy_required

from . import selectors
from .pdf import delivery_filename, delivery_pdf, invoice_filename, invoice_pdf


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # It names the buyer and their purchase: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_pdf_response(invoice) -> HttpResponse:
    paid = selectors.invoice_paid_amount(invoice)
    content = invoice_pdf(
        invoice,
        lines=list(invoice.order.lines.order_by("pk")),
        paid=paid,
        balance=invoice.total - paid,
    )
    return _pdf(content, invoice_filename(invoice))


def delivery_pdf_response(invoice, sequence: int) -> HttpResponse:
    delivery = selectors.delivery_for(invoice=invoice, sequence=sequence)
    if delivery is None:
        raise Http404
    content = delivery_pdf(delivery, rows=selectors.line_deliveries(invoice))
    return _pdf(content, delivery_filename(delivery))


def _buyer_invoice(request, order_number):
    invoice = selectors.invoice_for_buyer(user=request.user, order_number=order_number)
    if invoice is None:
        raise Http404
    return invoice


@policy_required
@require_GET
def buyer_invoice(request, order_number):
    return invoice_pdf_response(_buyer_invoice(request, order_number))


@policy_required
@require_GET
def buyer_delivery(request, order_number, sequence):
    return delivery_pdf_response(_buyer_invoice(request, order_number), sequence)
