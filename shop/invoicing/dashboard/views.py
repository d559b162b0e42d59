"""The Lapas's invoice pages: aged receivables (the treasurer's), an invoice with its
payments and deliveries, the PDFs. Thin: forms in, services out; every lookup goes
through the selectors, which scope it to the user's Lapas (another Lapas's is a 404)."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from shop.apps.core.policy import policy_required

from .. import selectors, services
from ..views import delivery_pdf_response, invoice_pdf_response
from .forms import DeliveryForm, InvoicePaymentForm

# Marked only: translated per request (a gettext here froze the import-time language).
BUCKET_LABELS = {
    "current": gettext_noop("Not yet due"),
    "1_30": gettext_noop("1–30 days"),
    "31_60": gettext_noop("31–60 days"),
    "61_90": gettext_noop("61–90 days"),
    "over_90": gettext_noop("Over 90 days"),
}


def _bucket_labels():
    # Translated per request, in the reader's language.
    return [(key, _(str(label))) for key, label in BUCKET_LABELS.items()]


def _invoice(request, order_number):
    invoice = selectors.invoice_for_staff(user=request.user, order_number=order_number)
    if invoice is None:
        raise Http404
    return invoice


def _lapas_filter(request):
    value = request.GET.get("lapas", "")
    return int(value) if value.isdigit() else None


@policy_required
@require_GET
def receivables(request):
    report = selectors.aged_receivables(user=request.user, lapas_id=_lapas_filter(request))
    lapas_choices = None
    if selectors.lapas_ids_for(request.user) is None:
        from oscar.core.loading import get_model

        lapas_choices = get_model("partner", "Partner").objects.order_by("name")
    return render(
        request,
        "invoicing/dashboard/receivables.html",
        {
            "report": report,
            "buckets": [(key, label, report.totals[key]) for key, label in _bucket_labels()],
            "bucket_labels": dict(_bucket_labels()),
            "lapas_choices": lapas_choices,
            "lapas_selected": _lapas_filter(request),
        },
    )


@policy_required
@require_GET
def receivables_csv(request):
    report = selectors.aged_receivables(user=request.user, lapas_id=_lapas_filter(request))
    labels = dict(_bucket_labels())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="receivables-{report.today.isoformat()}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Lapas"),
            _("Satker code"),
            _("Invoice number"),
            _("Order number"),
            _("Buyer"),
            _("NPWP"),
            _("Purchase order number"),
            _("Invoice date"),
            _("Due date"),
            _("Days past due"),
            _("Age"),
            _("Total"),
            _("Balance due"),
        ]
    )
    for row in report.rows:
        invoice = row.invoice
        writer.writerow(
            [
                invoice.seller_name,
                invoice.seller_satker_code,
                invoice.number,
                invoice.order.number,
                _csv_safe(invoice.buyer_name),
                invoice.buyer_npwp,
                _csv_safe(invoice.po_number),
                invoice.issued_on.isoformat(),
                invoice.due_on.isoformat(),
                row.days_late,
                labels[row.bucket],
                f"{invoice.total:.0f}",
                f"{row.balance:.0f}",
            ]
        )
    for key, label in labels.items():
        writer.writerow(
            ["", "", "", "", "", "", "", "", "", "", label, "", f"{report.totals[key]:.0f}"]
        )
    writer.writerow(["", "", "", "", "", "", "", "", "", "", _("Total"), "", f"{report.total:.0f}"])
    return response


def _csv_safe(value: str) -> str:
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _detail_context(request, invoice, *, payment_form=None, delivery_form=None):
    rows = selectors.line_deliveries(invoice)
    paid = selectors.invoice_paid_amount(invoice)
    balance = invoice.total - paid
    may_pay = selectors.user_may_record_invoice_payment(user=request.user, invoice=invoice)
    may_deliver = selectors.user_may_record_delivery(user=request.user, invoice=invoice)
    void = selectors.invoice_is_void(invoice)
    to_deliver = [row for row in rows if row.remaining > 0]
    if payment_form is None and may_pay and balance > 0 and not void:
        payment_form = InvoicePaymentForm(balance=balance)
    if delivery_form is None and may_deliver and to_deliver and not void:
        delivery_form = DeliveryForm(rows=to_deliver)
    return {
        "invoice": invoice,
        "order": invoice.order,
        "rows": rows,
        "paid": paid,
        "balance": balance,
        "void": void,
        "payments": selectors.invoice_payments(invoice),
        "deliveries": selectors.invoice_deliveries(invoice),
        "payment_form": payment_form if may_pay and not void else None,
        "delivery_form": delivery_form if may_deliver and not void else None,
    }


@policy_required
@require_GET
def invoice_detail(request, order_number):
    invoice = _invoice(request, order_number)
    return render(request, "invoicing/dashboard/invoice.html", _detail_context(request, invoice))


@policy_required
@require_GET
def invoice_pdf_download(request, order_number):
    return invoice_pdf_response(_invoice(request, order_number))


@policy_required
@require_GET
def delivery_pdf_download(request, order_number, sequence):
    return delivery_pdf_response(_invoice(request, order_number), sequence)


@policy_required
@require_POST
def invoice_payment(request, order_number):
    invoice = _invoice(request, order_number)
    form = InvoicePaymentForm(request.POST)
    if form.is_valid():
        try:
            result = services.invoice_payment_record(
                invoice_id=invoice.pk,
                user=request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                token=form.cleaned_data["token"],
            )
        except services.InvoiceError as error:
            messages.error(request, error.messages[0])
        else:
            if not result.created:
                messages.info(request, _("This payment was already recorded."))
            elif result.settled:
                messages.success(
                    request,
                    _("Payment recorded: the invoice is paid in full and its PNBP is booked."),
                )
            else:
                messages.success(request, _("Payment recorded."))
            return redirect("invoicing_dashboard:invoice-detail", order_number=order_number)
    else:
        messages.error(request, _("Please correct the errors below."))
    context = _detail_context(request, invoice, payment_form=form)
    return render(request, "invoicing/dashboard/invoice.html", context, status=400)


@policy_required
@require_POST
def delivery_create(request, order_number):
    invoice = _invoice(request, order_number)
    # Every line: one delivered in full meanwhile is refused by the service, saying so.
    form = DeliveryForm(request.POST, rows=selectors.line_deliveries(invoice))
    if form.is_valid():
        try:
            delivery, created = services.delivery_record(
                invoice_id=invoice.pk,
                user=request.user,
                delivered_on=form.cleaned_data["delivered_on"],
                quantities=form.quantities(),
                token=form.cleaned_data["token"],
                place=form.cleaned_data["place"],
                recipient_name=form.cleaned_data["recipient_name"],
                note=form.cleaned_data["note"],
            )
        except services.InvoiceError as error:
            messages.error(request, error.messages[0])
        else:
            if created:
                messages.success(
                    request,
                    _("Delivery %(number)s recorded: print its handover record for signing.")
                    % {"number": delivery.number},
                )
            else:
                messages.info(request, _("This delivery was already recorded."))
            return redirect("invoicing_dashboard:invoice-detail", order_number=order_number)
    else:
        messages.error(request, _("Please correct the errors below."))
    context = _detail_context(request, invoice, delivery_form=form)
    return render(request, "invoicing/dashboard/invoice.html", context, status=400)
