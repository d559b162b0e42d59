"""Staff pages: a Lapas's quotes (list by state, detail, pricing form, decline), its
products reserved for internal needs, and the central office's organisation approvals.
Every quote is read through the staff member's Lapas (another Lapas's is a 404)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from production_link.selectors import lapas_for_user
from shop.apps.core.policy import policy_required

from . import selectors, services
from .forms import MemberForm, QuoteTermsForm, RejectForm, ReservationForm, TermsForm
from .models import Organisation, ProductReservation, Quote
from .views import download, form_errors

Product = get_model("catalogue", "Product")

STATES = (
    ("requested", gettext_lazy("To price")),
    ("sent", gettext_lazy("Quoted")),
    ("accepted", gettext_lazy("Accepted")),
    ("closed", gettext_lazy("Closed")),
)


@policy_required
def quote_list(request):
    state = request.GET.get("state", "requested")
    if state not in dict(STATES):
        state = "requested"
    return render(
        request,
        "institutions/dashboard/quote_list.html",
        {
            "quotes": selectors.lapas_quote_list(user=request.user, state=state)[:200],
            "state": state,
            "states": STATES,
        },
    )


def _pricing_entries(data, quote) -> list[services.LinePricing]:
    entries = []
    for line in quote.lines.all():
        prefix = f"line-{line.pk}-"
        if f"{prefix}present" not in data:
            continue
        entries.append(
            services.LinePricing(
                line_id=line.pk,
                unit_price=(data.get(f"{prefix}unit_price") or "").strip() or None,
                reason=data.get(f"{prefix}reason", ""),
                made_to_order=bool(data.get(f"{prefix}made_to_order")),
                workshop_id=data.get(f"{prefix}workshop") or None,
                product_id=data.get(f"{prefix}product") or None,
            )
        )
    return entries


def _detail_context(request, quote, form):
    from production_link.models import Workshop

    lines = list(quote.lines.all())
    for line in lines:
        if line.list_price is None and not line.is_custom and line.product_id:
            line.suggested_price = services.catalogue_tier_price(
                product=line.product, lapas=quote.lapas, quantity=line.quantity
            )
        else:
            line.suggested_price = line.list_price
    return {
        "quote": quote,
        "lines": lines,
        "form": form,
        "totals": services.quote_totals(quote),
        "workshops": Workshop.objects.filter(lapas_id=quote.lapas_id, is_active=True),
        "lapas_products": Product.objects.filter(workshop__lapas_id=quote.lapas_id).order_by(
            "title"
        )[:500],
        "decline_form": RejectForm(),
        "orders": selectors.quote_orders(quote),
        "may_price": quote.status == Quote.Status.REQUESTED
        and request.user.has_perm("institutions.change_quote"),
    }


@policy_required
def quote_detail(request, pk):
    """The quote, and for a request its pricing form (save as draft, or send)."""
    quote = selectors.lapas_quote_get(user=request.user, pk=pk)
    initial = {
        "delivery_cost": quote.delivery_cost,
        "valid_until": quote.valid_until or timezone.localdate() + timedelta(days=14),
        "deposit_percent": quote.deposit_percent,
        "note": quote.lapas_note,
    }
    form = QuoteTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send = "send" in request.POST
        try:
            services.quote_price(
                user=request.user,
                quote_id=quote.pk,
                lines=_pricing_entries(request.POST, quote),
                delivery_cost=data["delivery_cost"],
                valid_until=data["valid_until"],
                deposit_percent=data["deposit_percent"],
                note=data["note"],
                send=send,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Quote sent to the buyer.") if send else _("Prices saved; not sent yet."),
            )
            return redirect("institutions_dashboard:quote-detail", pk=quote.pk)
        quote = selectors.lapas_quote_get(user=request.user, pk=pk)
    return render(
        request,
        "institutions/dashboard/quote_detail.html",
        _detail_context(request, quote, form),
        status=400 if form.errors else 200,
    )


@require_POST
@policy_required
def quote_decline(request, pk):
    quote = selectors.lapas_quote_get(user=request.user, pk=pk)
    try:
        services.quote_decline(
            user=request.user, quote_id=quote.pk, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request declined; the buyer has been told."))
    return redirect("institutions_dashboard:quote-detail", pk=quote.pk)


@policy_required
def attachment_download(request, pk, file_pk):
    quote = selectors.lapas_quote_get(user=request.user, pk=pk)
    attachment = next((a for a in quote.attachments.all() if a.pk == file_pk), None)
    if attachment is None:
        raise Http404
    return download(attachment.file, attachment.original_name)


@policy_required
def po_download(request, pk):
    quote = selectors.lapas_quote_get(user=request.user, pk=pk)
    name = quote.po_document.name if quote.po_document else ""
    return download(quote.po_document, f"PO-{quote.number}{name[name.rfind('.') :]}")


# --- reservations for internal needs -------------------------------------------------------


@policy_required
def reservation_list(request):
    lapas = lapas_for_user(request.user)
    products = Product.objects.filter(workshop__lapas__in=lapas).order_by("title")
    form = ReservationForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.product_reservation_set(
                user=request.user,
                product_id=data["product"].pk,
                reserved_until=data["reserved_until"],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is reserved for correctional units.")
                % {"title": data["product"].get_title()},
            )
            return redirect("institutions_dashboard:reservation-list")
    reservations = (
        ProductReservation.objects.filter(product__workshop__lapas__in=lapas)
        .select_related("product")
        .order_by("-reserved_until")
    )
    return render(
        request,
        "institutions/dashboard/reservation_list.html",
        {"form": form, "reservations": reservations, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@require_POST
@policy_required
def reservation_clear(request, product_pk):
    services.product_reservation_clear(user=request.user, product_id=product_pk)
    messages.success(request, _("The reservation has ended: everyone may order the product."))
    return redirect("institutions_dashboard:reservation-list")


# --- central: organisations ----------------------------------------------------------------


@policy_required
def organisation_list(request):
    status = request.GET.get("status", Organisation.Status.REQUESTED)
    if status not in Organisation.Status.values:
        status = Organisation.Status.REQUESTED
    return render(
        request,
        "institutions/dashboard/organisation_list.html",
        {
            "organisations": selectors.organisation_list(status=status)[:200],
            "status": status,
            "statuses": Organisation.Status.choices,
        },
    )


@policy_required
def organisation_detail(request, pk):
    organisation = selectors.organisation_get(pk=pk)
    initial = {
        "payment_terms": organisation.payment_terms,
        "payment_days": organisation.payment_days,
        "credit_limit": organisation.credit_limit,
    }
    terms_form = TermsForm(initial=initial)
    reject_form = RejectForm()
    member_form = MemberForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "member":
                member_form = MemberForm(request.POST)
                if member_form.is_valid():
                    services.organisation_member_add(
                        organisation_id=organisation.pk,
                        user=request.user,
                        email=member_form.cleaned_data["email"],
                    )
                    messages.success(request, _("Buyer added."))
                    return redirect("institutions_dashboard:organisation-detail", pk=pk)
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.organisation_reject(
                        organisation_id=organisation.pk,
                        user=request.user,
                        reason=reject_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Application rejected; the applicant is told."))
                    return redirect("institutions_dashboard:organisation-list")
            elif action in ("approve", "terms"):
                terms_form = TermsForm(request.POST)
                if terms_form.is_valid():
                    service = (
                        services.organisation_approve
                        if action == "approve"
                        else services.organisation_terms_set
                    )
                    service(
                        organisation_id=organisation.pk,
                        user=request.user,
                        **terms_form.cleaned_data,
                    )
                    messages.success(
                        request,
                        _("Organisation approved; its buyers are told.")
                        if action == "approve"
                        else _("Payment terms saved."),
                    )
                    return redirect("institutions_dashboard:organisation-detail", pk=pk)
        except ValidationError as error:
            forms_by_action = {"reject": reject_form, "member": member_form}
            form_errors(forms_by_action.get(action, terms_form), error)
    return render(
        request,
        "institutions/dashboard/organisation_detail.html",
        {
            "organisation": organisation,
            "terms_form": terms_form,
            "reject_form": reject_form,
            "member_form": member_form,
            "exposure": selectors.organisation_open_exposure(organisation)
            if organisation.is_approved
            else None,
        },
        status=400 if (terms_form.errors or reject_form.errors or member_form.errors) else 200,
    )
