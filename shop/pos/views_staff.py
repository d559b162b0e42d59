"""Supervisors' point-of-sale pages in the Oscar dashboard: locations and cashiers, stock
transfers, sessions and Z reports, conflicts, unverified payments, QRIS and PIN.

Thin: forms in, services out. Every lookup goes through a supervisor selector, so an
object of another Lapas is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from production_link.inputs import parse_id
from production_link.services import stock_location_warehouse
from shop.apps.core.policy import policy_required

from . import forms, selectors, services, transfers
from .models import PosSale, StockTransfer


def _page(request, queryset, size=25):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _error(request, error: services.PosError):
    messages.error(request, error.message)


# --- locations ---------------------------------------------------------------------------


@policy_required
def location_list(request):
    locations = selectors.locations_for_supervisor(request.user).prefetch_related("cashiers")
    return render(request, "pos/staff/location_list.html", {"locations": locations})


@policy_required
def location_form(request, pk=None):
    location = None
    if pk is not None:
        location = get_object_or_404(selectors.locations_for_supervisor(request.user), pk=pk)
    initial = {}
    if location:
        initial = {
            "lapas": location.lapas,
            "kind": location.kind,
            "name": location.name,
            "venue": location.venue,
            "city": location.city,
            "starts_on": location.starts_on,
            "ends_on": location.ends_on,
            "is_active": location.is_active,
            "cashiers": list(location.cashiers.all()),
        }
    form = forms.LocationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = services.location_save(user=request.user, location=location, **data)
        except services.PosError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Location %(name)s saved.") % {"name": location.name})
            return redirect("pos_dashboard:location-list")
    return render(request, "pos/staff/location_form.html", {"form": form, "location": location})


# --- transfers ---------------------------------------------------------------------------


@policy_required
def transfer_list(request):
    transfers_qs = selectors.transfers_for_supervisor(request.user).prefetch_related("lines__batch")
    return render(request, "pos/staff/transfer_list.html", {"page": _page(request, transfers_qs)})


@policy_required
def transfer_create(request):
    lapas_qs = selectors.supervised_lapas(request.user)
    lapas = (
        get_object_or_404(
            lapas_qs, pk=parse_id(request.GET.get("lapas") or request.POST.get("lapas"))
        )
        if (request.GET.get("lapas") or request.POST.get("lapas"))
        else lapas_qs.order_by("name").first()
    )
    if lapas is None:
        raise PermissionDenied
    warehouse = stock_location_warehouse(lapas=lapas)
    stock = list(selectors.warehouse_stock_for_transfer(lapas=lapas))
    destinations = selectors.locations_for_supervisor(request.user).filter(
        stock_location__lapas=lapas, stock_location__is_active=True
    )
    if request.method == "POST":
        lines = []
        for row in stock:
            raw = request.POST.get(f"qty_{row.batch_id}", "").strip() or "0"
            try:
                lines.append(
                    transfers.TransferLineRequest(batch_id=row.batch_id, quantity=int(raw))
                )
            except ValueError:
                messages.error(
                    request, _("%(code)s: enter a whole number.") % {"code": row.batch.code}
                )
                break
        else:
            destination = destinations.filter(pk=parse_id(request.POST.get("destination"))).first()
            if destination is None:
                messages.error(request, _("destination: choose the location to send to."))
            else:
                try:
                    transfer = transfers.transfer_send(
                        user=request.user,
                        source=warehouse,
                        destination=destination.stock_location,
                        lines=lines,
                        note=request.POST.get("note", ""),
                    )
                except services.PosError as error:
                    _error(request, error)
                else:
                    messages.success(request, _("Transfer #%(pk)s sent.") % {"pk": transfer.pk})
                    return redirect("pos_dashboard:transfer-detail", pk=transfer.pk)
    return render(
        request,
        "pos/staff/transfer_form.html",
        {
            "lapas": lapas,
            "lapas_choices": lapas_qs.order_by("name"),
            "warehouse": warehouse,
            "stock": stock,
            "destinations": destinations,
            "posted": request.POST,
        },
    )


@policy_required
def transfer_detail(request, pk):
    transfer = get_object_or_404(selectors.transfers_for_supervisor(request.user), pk=pk)
    receive_form = None
    if transfer.status == StockTransfer.Status.SENT:
        receive_form = forms.TransferReceiveForm(request.POST or None, transfer=transfer)
        if request.method == "POST" and receive_form.is_valid():
            try:
                transfers.transfer_receive(
                    user=request.user,
                    transfer=transfer,
                    received=receive_form.received(),
                    reasons=receive_form.reasons(),
                )
            except services.PosError as error:
                _error(request, error)
            else:
                messages.success(request, _("Transfer received."))
                return redirect("pos_dashboard:transfer-detail", pk=transfer.pk)
    lines = list(transfer.lines.select_related("batch__product"))
    if transfer.status == StockTransfer.Status.RECEIVED:
        from production_link.models import BatchStock

        there = dict(
            BatchStock.objects.filter(
                location=transfer.destination, batch__in=[line.batch_id for line in lines]
            ).values_list("batch_id", "quantity")
        )
        for line in lines:
            line.still_there = min(there.get(line.batch_id, 0), line.quantity_received or 0)
    return render(
        request,
        "pos/staff/transfer_detail.html",
        {"transfer": transfer, "lines": lines, "receive_form": receive_form},
    )


@policy_required
@require_POST
def transfer_return(request, pk):
    transfer = get_object_or_404(selectors.transfers_for_supervisor(request.user), pk=pk)
    quantities = {}
    for line in transfer.lines.all():
        raw = request.POST.get(f"return_{line.pk}", "").strip() or "0"
        try:
            quantities[line.pk] = int(raw)
        except ValueError:
            messages.error(request, _("Enter whole numbers to return."))
            return redirect("pos_dashboard:transfer-detail", pk=transfer.pk)
    try:
        transfers.transfer_return(user=request.user, transfer=transfer, quantities=quantities)
    except services.PosError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("Units returned to %(place)s.") % {"place": transfer.source.name}
        )
    return redirect("pos_dashboard:transfer-detail", pk=transfer.pk)


# --- sessions, conflicts, payments ----------------------------------------------------------


@policy_required
def session_list(request):
    sessions = selectors.sessions_for_supervisor(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        sessions = sessions.filter(closed_at__isnull=True)
    elif state == "closed":
        sessions = sessions.filter(closed_at__isnull=False)
    return render(
        request, "pos/staff/session_list.html", {"page": _page(request, sessions), "state": state}
    )


@policy_required
def session_detail(request, pk):
    session = get_object_or_404(selectors.sessions_for_supervisor(request.user), pk=pk)
    from .zreport import z_report_context

    return render(request, "pos/staff/session_detail.html", z_report_context(session))


@policy_required
def conflict_list(request):
    conflicts = selectors.conflicts_for_supervisor(request.user)
    if request.GET.get("all") != "1":
        conflicts = conflicts.filter(resolution="")
    return render(
        request,
        "pos/staff/conflict_list.html",
        {"page": _page(request, conflicts), "all": request.GET.get("all") == "1"},
    )


@policy_required
def conflict_detail(request, pk):
    conflict = get_object_or_404(selectors.conflicts_for_supervisor(request.user), pk=pk)
    sale = conflict.sale
    location = sale.session.location
    stock = list(selectors.location_sellable_stock(location=location))
    lines = []
    for index, raw in enumerate(sale.payload.get("lines") or []):
        try:
            product_id = int(raw.get("product_id"))
        except (TypeError, ValueError):
            product_id = None
        lines.append(
            {
                "index": index,
                "raw": raw,
                "options": [s for s in stock if s.batch.product_id == product_id],
            }
        )
    record_form = forms.ConflictRecordForm(prefix="record")
    refund_form = forms.ConflictRefundForm(prefix="refund")
    if request.method == "POST" and not conflict.is_resolved:
        action = request.POST.get("action")
        if action == "record":
            record_form = forms.ConflictRecordForm(request.POST, prefix="record")
            if record_form.is_valid():
                codes = [request.POST.get(f"batch_{line['index']}") or None for line in lines]
                try:
                    services.conflict_resolve_record(
                        user=request.user,
                        conflict=conflict,
                        batch_codes=codes,
                        note=record_form.cleaned_data["note"],
                    )
                except services.PosError as error:
                    _error(request, error)
                else:
                    messages.success(request, _("The sale is recorded."))
                    return redirect("pos_dashboard:conflict-detail", pk=conflict.pk)
        elif action == "refund":
            refund_form = forms.ConflictRefundForm(request.POST, prefix="refund")
            if refund_form.is_valid():
                try:
                    services.conflict_resolve_refund(
                        user=request.user, conflict=conflict, note=refund_form.cleaned_data["note"]
                    )
                except services.PosError as error:
                    _error(request, error)
                else:
                    messages.success(request, _("The refund is recorded."))
                    return redirect("pos_dashboard:conflict-detail", pk=conflict.pk)
    conflict.refresh_from_db()
    return render(
        request,
        "pos/staff/conflict_detail.html",
        {
            "conflict": conflict,
            "sale": conflict.sale,
            "lines": lines,
            "record_form": record_form,
            "refund_form": refund_form,
        },
    )


@policy_required
def payment_list(request):
    sales = selectors.unverified_sales_for_supervisor(request.user)
    return render(
        request,
        "pos/staff/payment_list.html",
        {"page": _page(request, sales), "form": forms.VerifyForm()},
    )


@policy_required
@require_POST
def payment_verify(request, pk):
    sale = get_object_or_404(
        PosSale.objects.filter(
            session__location__stock_location__lapas__in=selectors.supervised_lapas(request.user)
        ),
        pk=pk,
    )
    form = forms.VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.sale_verify(
                user=request.user, sale=sale, reference=form.cleaned_data["reference"]
            )
        except services.PosError as error:
            _error(request, error)
        else:
            messages.success(request, _("Payment verified."))
    return redirect("pos_dashboard:payment-list")


# --- settings: QRIS and PIN -----------------------------------------------------------------


@policy_required
def settings_view(request):
    pin_form = forms.PinForm(prefix="pin")
    qris_form = forms.QrisForm(prefix="qris", user=request.user)
    if request.method == "POST" and request.POST.get("action") == "pin":
        pin_form = forms.PinForm(request.POST, prefix="pin")
        if pin_form.is_valid():
            try:
                services.supervisor_pin_set(user=request.user, pin=pin_form.cleaned_data["pin"])
            except services.PosError as error:
                pin_form.add_error("pin", error.message)
            else:
                messages.success(request, _("Your supervisor PIN is set."))
                return redirect("pos_dashboard:settings")
    elif request.method == "POST" and request.POST.get("action") == "qris":
        qris_form = forms.QrisForm(request.POST, request.FILES, prefix="qris", user=request.user)
        if qris_form.is_valid():
            try:
                services.lapas_settings_save(
                    user=request.user,
                    lapas=qris_form.cleaned_data["lapas"],
                    qris_image=qris_form.cleaned_data["qris_image"],
                )
            except services.PosError as error:
                _error(request, error)
            else:
                messages.success(request, _("QRIS image saved."))
                return redirect("pos_dashboard:settings")
    lapas_rows = [
        (lapas, selectors.lapas_settings(lapas=lapas))
        for lapas in selectors.supervised_lapas(request.user).order_by("name")
    ]
    return render(
        request,
        "pos/staff/settings.html",
        {
            "pin_form": pin_form,
            "qris_form": qris_form,
            "has_pin": hasattr(request.user, "pos_pin"),
            "lapas_rows": lapas_rows,
        },
    )
