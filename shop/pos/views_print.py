"""Print views under /pos/: receipts (58 or 80 mm, or PDF) and Z reports.

The cashier of the session and the supervisors of its Lapas may print them; for anyone
else the receipt does not exist (404).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from shop.apps.core.policy import policy_required
from shop.pos.language import device_language

from . import receipts, selectors, zreport


def _sale(request, number):
    sale = selectors.sales_visible_to(request.user).filter(order__number=number).first()
    if sale is None:
        raise Http404
    return selectors.sale_by_order_number(number=number)


def _session(request, pk):
    session = selectors.sessions_visible_to(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


@policy_required
@device_language
def receipt(request, number):
    sale = _sale(request, number)
    width = receipts.paper_width(request.GET.get("width"))
    context = receipts.receipt_context(sale)
    return render(
        request,
        "pos/print/receipt.html",
        {**context, **receipts.paper_style(width), "width": width},
    )


@policy_required
@device_language
def receipt_pdf(request, number):
    sale = _sale(request, number)
    width = receipts.paper_width(request.GET.get("width"))
    response = HttpResponse(receipts.receipt_pdf(sale, width=width), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response


@policy_required
@device_language
def z_report(request, pk):
    session = _session(request, pk)
    return render(
        request,
        "pos/print/z_report.html",
        {**zreport.z_report_context(session), **receipts.paper_style(80)},
    )


@policy_required
@device_language
def z_report_pdf(request, pk):
    session = _session(request, pk)
    response = HttpResponse(zreport.z_report_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="z-report-{session.pk}.pdf"'
    return response
