"""Receipt downloads: the signed-in buyer's own orders, and a guest's through the signed
link of Oscar's guest order page. Anything else, or an order not yet paid, is a 404."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from shop.apps.core.policy import policy_required

from . import selectors
from .pdf import receipt_filename, receipt_pdf


def _pdf_response(order) -> HttpResponse:
    receipt = selectors.receipt_for_order(order=order)
    if receipt is None:
        raise Http404
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(receipt)}"'
    # A buyer's receipt names them: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@policy_required
@require_GET
def order_receipt(request, order_number):
    order = selectors.receipt_order_for_user(user=request.user, number=order_number)
    if order is None:
        raise Http404
    return _pdf_response(order)


@policy_required
@require_GET
def guest_order_receipt(request, order_number, hash):
    order = selectors.receipt_order_for_guest(
        number=order_number,
        verification=hash,
        session_email=request.session.get("anon_order_email"),
    )
    if order is None:
        raise Http404
    return _pdf_response(order)
