"""PNBP pages of the Oscar dashboard: the ledger, deposits and the revenue split.

Who may open each page is the permission policy's (shop.apps.core.policy), applied where
shop/urls.py includes these URLs: this package imports nothing from shop.

Treasurers and the Kalapas see their own Lapas, central admins all. Every lookup goes
through the scoped selectors, so another Lapas's entry or deposit is a 404; writes go
through production_link.pnbp.services, which checks the permission and the Lapas again.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from ...inputs import parse_id
from ...models import Deposit, LedgerEntry
from .. import selectors as sel
from .. import services
from .forms import BillingForm, NtpnForm, RevenueSplitForm

Order = get_model("order", "Order")


def _messages_from(request, error):
    if hasattr(error, "error_dict"):
        for messages_list in error.message_dict.values():
            for message in messages_list:
                messages.error(request, message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _month(value: str):
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


def entry_list(request):
    user = request.user
    visible = sel.pnbp_lapas_for_user(user).order_by("name")
    entries = sel.entries_for_user(user)
    lapas = None
    if request.GET.get("lapas"):
        # "abc" or "²" names no Lapas: a 404, not a ValueError from the database lookup.
        lapas = get_object_or_404(visible, pk=parse_id(request.GET.get("lapas")))
    elif visible.count() == 1:
        lapas = visible.first()
    if lapas is not None:
        entries = entries.filter(lapas=lapas)
    month = _month(request.GET.get("month", ""))
    if month:
        entries = entries.filter(due_at__year=month.year, due_at__month=month.month)
    channel = request.GET.get("channel", "")
    if channel:
        entries = entries.filter(channel=channel)
    state = request.GET.get("state", "")
    entries = sel.entries_in_state(entries, state)
    overdue = {
        o.entry.pk: o.deadline
        for o in sel.pnbp_overdue_entries(lapas_in=[lapas] if lapas else visible)
    }
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        entries = entries.filter(pk__in=overdue)
    totals = entries.aggregate(gross=Sum("gross"), pnbp=Sum("pnbp_amount"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    deadlines = sel.deadlines_for(page.object_list)
    rows = [
        {
            "entry": entry,
            "state": sel.entry_state(entry),
            "deadline": deadlines.get(entry.pk),
            "overdue": entry.pk in overdue,
        }
        for entry in page.object_list
    ]
    may_deposit = lapas is not None and sel.user_may_act_for_lapas(
        user=user, lapas=lapas, perm="add_deposit"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "production_link/dashboard/pnbp_entry_list.html",
        {
            "page": page,
            "rows": rows,
            "lapas_choices": visible,
            "lapas": lapas,
            "month": request.GET.get("month", ""),
            "channel": channel,
            "channels": Order.Channel.choices,
            "state": state,
            "states": sel.EntryState.choices(),
            "only_overdue": only_overdue,
            "overdue_count": len(overdue),
            "totals": {k: v or Decimal(0) for k, v in totals.items()},
            "may_deposit": may_deposit,
            "query": query.urlencode(),
        },
    )


def entry_detail(request, pk):
    entry = get_object_or_404(sel.entries_for_user(request.user), pk=pk)
    deadline = sel.pnbp_deadline(due_at=entry.due_at)
    return render(
        request,
        "production_link/dashboard/pnbp_entry_detail.html",
        {
            "entry": entry,
            "lines": sel.entry_lines(entry=entry),
            "state": sel.entry_state(entry),
            "deadline": deadline,
            "reversals": entry.order.pnbp_entries.filter(
                lapas=entry.lapas, kind=LedgerEntry.Kind.REVERSAL
            ).order_by("due_at", "pk")
            if entry.kind == LedgerEntry.Kind.SALE
            else [],
        },
    )


def split_list(request):
    user = request.user
    may_set = sel.user_has_pnbp_perm(user, "add_revenuesplit")
    form = RevenueSplitForm(request.POST or None, user=user)
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                split = services.revenue_split_set(user=user, **data)
            except PermissionDenied:
                form.add_error("lapas", _("You may only set the revenue split of your own Lapas."))
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Revenue split of %(lapas)s saved; it applies from %(date)s.")
                    % {"lapas": split.lapas, "date": split.effective_from.strftime("%d-%m-%Y")},
                )
                return redirect("pnbp_dashboard:split-list")
    today = timezone.localdate()
    splits = sel.revenue_splits_for_user(user).order_by("lapas__name", "-effective_from")
    in_force = {
        lapas.pk: sel.revenue_split_in_force(lapas=lapas, on=today)
        for lapas in sel.pnbp_lapas_for_user(user)
    }
    return render(
        request,
        "production_link/dashboard/pnbp_split_list.html",
        {
            "splits": splits,
            "in_force_ids": {s.pk for s in in_force.values() if s},
            "form": form,
            "may_set": may_set,
        },
    )


def deposit_list(request):
    deposits = sel.deposits_for_user(request.user)
    status = request.GET.get("status", "")
    if status:
        deposits = deposits.filter(status=status)
    page = Paginator(deposits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "production_link/dashboard/pnbp_deposit_list.html",
        {"page": page, "status": status, "statuses": Deposit.Status.choices},
    )


@require_POST
def deposit_create(request):
    lapas = get_object_or_404(
        sel.pnbp_lapas_for_user(request.user), pk=parse_id(request.POST.get("lapas"))
    )
    ids = [parse_id(pk) for pk in request.POST.getlist("entries")]
    ids = [] if None in ids else ids
    try:
        deposit = services.deposit_create(lapas=lapas, entry_ids=ids, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("Deposit %(id)s made. Get its billing code in SIMPONI and record it here.")
            % {"id": deposit.pk},
        )
        return redirect("pnbp_dashboard:deposit-detail", pk=deposit.pk)
    return redirect(f"{_entry_list_url()}?lapas={lapas.pk}&state=undeposited")


def _entry_list_url():
    from django.urls import reverse

    return reverse("pnbp_dashboard:entry-list")


def _deposit_page(request, deposit, billing_form=None, ntpn_form=None):
    user = request.user
    may_change = deposit.status != deposit.Status.PAID and sel.user_may_act_for_lapas(
        user=user, lapas=deposit.lapas, perm="change_deposit"
    )
    expires = deposit.billing_expires_at
    return render(
        request,
        "production_link/dashboard/pnbp_deposit_detail.html",
        {
            "deposit": deposit,
            "entries": sel.deposit_entries(deposit=deposit),
            "billing_expired": sel.deposit_billing_expired(deposit=deposit),
            "may_change": may_change,
            "may_cancel": deposit.status != deposit.Status.PAID
            and sel.user_may_act_for_lapas(user=user, lapas=deposit.lapas, perm="delete_deposit"),
            "billing_form": billing_form
            or BillingForm(
                initial={
                    "billing_code": deposit.billing_code,
                    "billing_expires_at": timezone.localtime(expires) if expires else None,
                }
            ),
            "ntpn_form": ntpn_form or NtpnForm(initial={"paid_on": timezone.localdate()}),
        },
    )


def deposit_detail(request, pk):
    deposit = get_object_or_404(sel.deposits_for_user(request.user), pk=pk)
    return _deposit_page(request, deposit)


def _deposit_action(request, pk, form_class, form_name, action, success):
    deposit = get_object_or_404(sel.deposits_for_user(request.user), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(deposit, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("pnbp_dashboard:deposit-detail", pk=deposit.pk)
    deposit.refresh_from_db()
    return _deposit_page(request, deposit, **{form_name: form})


@require_POST
def deposit_billing(request, pk):
    def action(deposit, data):
        services.deposit_set_billing(
            deposit_id=deposit.pk,
            billing_code=data["billing_code"],
            expires_at=data["billing_expires_at"],
            user=request.user,
        )

    return _deposit_action(
        request, pk, BillingForm, "billing_form", action, _("Billing code recorded.")
    )


@require_POST
def deposit_ntpn(request, pk):
    def action(deposit, data):
        services.deposit_record_ntpn(
            deposit_id=deposit.pk, ntpn=data["ntpn"], paid_on=data["paid_on"], user=request.user
        )

    return _deposit_action(
        request,
        pk,
        NtpnForm,
        "ntpn_form",
        action,
        _("NTPN recorded: the deposit is closed."),
    )


@require_POST
def deposit_cancel(request, pk):
    deposit = get_object_or_404(sel.deposits_for_user(request.user), pk=pk)
    try:
        freed = services.deposit_cancel(deposit_id=deposit.pk, user=request.user)
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("pnbp_dashboard:deposit-detail", pk=deposit.pk)
    messages.success(
        request,
        _("Deposit withdrawn; %(count)d entries can be deposited again.") % {"count": freed},
    )
    return redirect("pnbp_dashboard:deposit-list")
