"""The buyer's pages: the organisation (apply, see its status and terms), quote requests
(from the basket or free-form), the quotes and their decision. Thin: forms in, services
out; every lookup through the buyer's own selectors (another organisation's quote is a
404)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import PaymentError

from shop.apps.core.policy import policy_required

from . import selectors, services
from .forms import AcceptForm, ApplicationForm, FreeFormRequestForm, QuoteRejectForm, RequestForm

MAX_FORM_ITEMS = services.MAX_QUOTE_LINES


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def download(field_file, name: str):
    """A private upload, always as a download with its own type: never shown inline, so
    an uploaded file can never run as a page of the site."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type not in (
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
    ):
        content_type = "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@policy_required
def account(request):
    """The organisation's page: the application form, or its status and terms."""
    organisation = selectors.organisation_for_user(request.user)
    form = None
    if organisation is None:
        form = ApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.organisation_apply(
                    user=request.user, language=get_language(), **form.cleaned_data
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: Karya's staff will check your application and e-mail you."),
                )
                return redirect("institutions:account")
    context = {"organisation": organisation, "form": form}
    if organisation is not None and organisation.is_approved:
        context["exposure"] = selectors.organisation_open_exposure(organisation)
        context["quotes"] = selectors.buyer_quote_list(user=request.user)[:5]
    return render(request, "institutions/account.html", context)


@policy_required
def quote_list(request):
    return render(
        request,
        "institutions/quote_list.html",
        {
            "organisation": selectors.organisation_for_user(request.user),
            "quotes": selectors.buyer_quote_list(user=request.user)[:100],
        },
    )


def _posted_items(data) -> list[services.CustomItem]:
    items = []
    for index in range(MAX_FORM_ITEMS):
        description = (data.get(f"item-{index}-description") or "").strip()
        if description:
            items.append(
                services.CustomItem(
                    description=description, quantity=data.get(f"item-{index}-quantity") or 0
                )
            )
    return items


@policy_required
def quote_request(request):
    """A free-form request to one Lapas (items not in the catalogue), or, with
    ``?from=basket``, a request on the basket (one per Lapas)."""
    from shop.apps.partner.models import Partner

    from_basket = request.GET.get("from") == "basket" or request.POST.get("from") == "basket"
    basket = getattr(request, "basket", None)
    if from_basket:
        form = RequestForm(request.POST or None, request.FILES or None)
    else:
        form = FreeFormRequestForm(
            request.POST or None,
            request.FILES or None,
            lapas_choices=Partner.objects.order_by("name"),
        )
    items = _posted_items(request.POST) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "user": request.user,
            "wanted_by": data["wanted_by"],
            "delivery_place": data["delivery_place"],
            "note": data["note"],
            "language": get_language(),
            "attachments": data["attachments"],
        }
        try:
            if from_basket:
                quotes = services.quote_request_from_basket(basket=basket, **common)
            else:
                quotes = [
                    services.quote_request_free_form(
                        lapas_id=data["lapas"].pk, items=items, **common
                    )
                ]
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent: %(numbers)s. The Lapas will reply by e-mail.")
                % {"numbers": ", ".join(q.number for q in quotes)},
            )
            if len(quotes) == 1:
                return redirect("institutions:quote-detail", pk=quotes[0].pk)
            return redirect("institutions:quote-list")
    rows = [{"description": i.description, "quantity": i.quantity} for i in items]
    rows += [{"description": "", "quantity": ""}] * max(5 - len(rows), 2)
    rows = rows[:MAX_FORM_ITEMS]
    return render(
        request,
        "institutions/quote_request.html",
        {
            "form": form,
            "from_basket": from_basket,
            "basket_lines": list(basket.all_lines()) if from_basket and basket else [],
            "items": rows,
            "today": timezone.localdate(),
        },
    )


@policy_required
def quote_detail(request, pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    return render(
        request,
        "institutions/quote_detail.html",
        {
            "quote": quote,
            "totals": services.quote_totals(quote),
            "accept_form": AcceptForm(),
            "reject_form": QuoteRejectForm(),
            "orders": selectors.quote_orders(quote),
            "today": timezone.localdate(),
        },
    )


@require_POST
@policy_required
def quote_accept(request, pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    form = AcceptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            orders = services.quote_accept(
                user=request.user,
                quote_id=quote.pk,
                po_number=form.cleaned_data["po_number"],
                po_document=form.cleaned_data["po_document"],
            )
        except ValidationError as error:
            form_errors(form, error)
        except PermissionDenied:
            raise
        except (UnableToPlaceOrder, PaymentError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Quote accepted: order %(numbers)s is placed.")
                % {"numbers": ", ".join(o.number for o in orders)},
            )
            return redirect("institutions:quote-detail", pk=quote.pk)
    return render(
        request,
        "institutions/quote_detail.html",
        {
            "quote": quote,
            "totals": services.quote_totals(quote),
            "accept_form": form,
            "reject_form": QuoteRejectForm(),
            "orders": selectors.quote_orders(quote),
            "today": timezone.localdate(),
        },
        status=400,
    )


@require_POST
@policy_required
def quote_reject(request, pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    try:
        services.quote_reject(
            user=request.user, quote_id=quote.pk, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You rejected the quote. The Lapas has been told."))
    return redirect("institutions:quote-detail", pk=quote.pk)


@require_POST
@policy_required
def quote_withdraw(request, pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    try:
        services.quote_withdraw(user=request.user, quote_id=quote.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("institutions:quote-detail", pk=quote.pk)


@policy_required
def attachment_download(request, pk, file_pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    attachment = next((a for a in quote.attachments.all() if a.pk == file_pk), None)
    if attachment is None:
        raise Http404
    return download(attachment.file, attachment.original_name)


@policy_required
def po_download(request, pk):
    quote = selectors.buyer_quote_get(user=request.user, pk=pk)
    return download(quote.po_document, f"PO-{quote.number}{_extension(quote.po_document)}")


def _extension(field_file) -> str:
    name = getattr(field_file, "name", "") or ""
    return name[name.rfind(".") :] if "." in name else ""
