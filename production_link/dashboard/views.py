"""Workshop staff's batch pages in the Oscar dashboard. Thin: forms in, services out.

Every lookup goes through batches_for_user, so a batch of another Lapas is a 404.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.apps.core.policy import policy_required, user_may_post

from .. import labels, selectors, services
from ..models import Batch, QcEvidence
from ..qc import selectors as qc_selectors
from ..qc import services as qc_services
from ..services.imports import batches_import_csv
from .forms import (
    BatchCreateForm,
    BatchImportForm,
    BatchPlanForm,
    BatchProductionForm,
    BatchQcDecisionForm,
    BatchQCForm,
    BatchRecallForm,
)


def _error_messages(request, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                messages.error(request, f"{field}: {message}" if field != "__all__" else message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)


def _form_error_messages(request, form):
    for field, errors in form.errors.items():
        for message in errors:
            messages.error(
                request,
                f"{form.fields[field].label}: {message}" if field in form.fields else message,
            )


@policy_required
def batch_list(request):
    batches = selectors.batches_for_user(request.user)
    status = request.GET.get("status", "")
    if status in Batch.Status.values:
        batches = batches.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        # Either language's title (catalog/translation.py).
        batches = (
            batches.filter(code__icontains=query)
            | batches.filter(product__title_ind__icontains=query)
            | batches.filter(product__title_en__icontains=query)
        )
    page = Paginator(batches.order_by("-production_date", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "production_link/dashboard/batch_list.html",
        {"page": page, "statuses": Batch.Status.choices, "status": status, "query": query},
    )


@policy_required
def batch_create(request):
    form = BatchCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Batch %(code)s planned.") % {"code": batch.code})
            return redirect("production_dashboard:batch-detail", pk=batch.pk)
    return render(request, "production_link/dashboard/batch_form.html", {"form": form})


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@policy_required
def batch_detail(request, pk):
    batch = get_object_or_404(selectors.batches_for_user(request.user), pk=pk)
    return render(
        request,
        "production_link/dashboard/batch_detail.html",
        {
            "batch": batch,
            "stock": selectors.batch_stock_by_location(batch=batch),
            "allocations": selectors.batch_allocations(batch=batch),
            "plan_form": BatchPlanForm(
                initial={
                    "planned_quantity": batch.planned_quantity,
                    "production_date": batch.production_date,
                    "expiry_date": batch.expiry_date,
                    "notes": batch.notes,
                }
            ),
            "production_form": BatchProductionForm(
                initial={
                    "produced_quantity": batch.produced_quantity or batch.planned_quantity,
                    "expiry_date": batch.expiry_date,
                }
            ),
            "qc_form": BatchQCForm(spec=qc_selectors.batch_spec(batch=batch)),
            "qc_decision_form": BatchQcDecisionForm(),
            "inspections": qc_selectors.batch_inspections(batch=batch),
            "recall_form": BatchRecallForm(),
            "may_recall": user_may_post(request.user, "production_dashboard:batch-recall", {}),
            "trace_url": labels.trace_url(batch),
            "label_sizes": [
                (size, refusal)
                for size, refusal in zip(
                    labels.SIZES.values(), labels.label_refusals(batch).values(), strict=True
                )
            ],
        },
    )


def _batch_action(request, pk, form_class, action):
    batch = get_object_or_404(selectors.batches_for_user(request.user), pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_error_messages(request, form)
        return redirect("production_dashboard:batch-detail", pk=batch.pk)
    try:
        message = action(batch, form)
    except (ValidationError, PermissionDenied) as error:
        _error_messages(request, error)
    else:
        messages.success(request, message)
    return redirect("production_dashboard:batch-detail", pk=batch.pk)


@policy_required
@require_POST
def batch_plan(request, pk):
    def action(batch, form):
        batch = services.batch_update_plan(
            batch_id=batch.pk, user=request.user, **form.cleaned_data
        )
        return _("Plan of batch %(code)s saved.") % {"code": batch.code}

    return _batch_action(request, pk, BatchPlanForm, action)


@policy_required
@require_POST
def batch_production(request, pk):
    def action(batch, form):
        services.batch_record_production(batch_id=batch.pk, user=request.user, **form.cleaned_data)
        return _("Production recorded.")

    return _batch_action(request, pk, BatchProductionForm, action)


@policy_required
@require_POST
def batch_qc(request, pk):
    batch = get_object_or_404(selectors.batches_for_user(request.user), pk=pk)
    form = BatchQCForm(request.POST, request.FILES, spec=qc_selectors.batch_spec(batch=batch))
    if not form.is_valid():
        _form_error_messages(request, form)
        return redirect("production_dashboard:batch-detail", pk=batch.pk)
    try:
        evidence = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        batch = services.batch_record_qc(
            batch_id=batch.pk,
            passed=form.cleaned_data["passed"],
            checklist=form.checklist(),
            measurements=form.measurements(),
            notes=form.cleaned_data["notes"],
            sni_reference=form.cleaned_data["sni_reference"],
            evidence=evidence,
            user=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Quality control recorded: %(status)s.") % {"status": batch.get_status_display()},
        )
    return redirect("production_dashboard:batch-detail", pk=batch.pk)


@policy_required
@require_POST
def batch_qc_rework(request, pk):
    def action(batch, form):
        qc_services.batch_qc_rework(
            batch_id=batch.pk, user=request.user, note=form.cleaned_data["note"]
        )
        return _("The batch goes back to production, to be inspected again.")

    return _batch_action(request, pk, BatchQcDecisionForm, action)


@policy_required
@require_POST
def batch_write_off(request, pk):
    def action(batch, form):
        qc_services.batch_write_off(
            batch_id=batch.pk, user=request.user, note=form.cleaned_data["note"]
        )
        return _("The batch is written off: it will never be sold.")

    return _batch_action(request, pk, BatchQcDecisionForm, action)


@policy_required
def qc_evidence_file(request, pk):
    """An evidence file, only to those who may see its batch (it is never public)."""
    evidence = get_object_or_404(
        QcEvidence.objects.filter(inspection__batch__in=selectors.batches_for_user(request.user)),
        pk=pk,
    )
    name = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), filename=name)


@policy_required
@require_POST
def batch_release(request, pk):
    def action(batch, form):
        services.batch_release(batch_id=batch.pk, user=request.user)
        return _("Batch released: its units are on sale.")

    return _batch_action(request, pk, None, action)


@policy_required
@require_POST
def batch_recall(request, pk):
    def action(batch, form):
        affected = services.batch_recall(
            batch_id=batch.pk,
            reason=form.cleaned_data["reason"],
            public_notice=form.cleaned_data["public_notice"],
            user=request.user,
        )
        return _(
            "Batch recalled. %(count)d sale(s) are affected; their buyers are being emailed."
        ) % {"count": len({a.line.order_id for a in affected})}

    return _batch_action(request, pk, BatchRecallForm, action)


def _label_response(request, pk, write, content_type, extension):
    """A batch's labels in the size asked for (?size=), or back to the batch page with the
    reason when its facts do not fit that size: a label never drops a required fact."""
    batch = get_object_or_404(selectors.batches_for_user(request.user), pk=pk)
    size = request.GET.get("size") or labels.DEFAULT_SIZE
    if size not in labels.SIZES:
        raise Http404(_("There is no such label size."))
    try:
        body = write(batch, size)
    except labels.LabelDoesNotFit as refusal:
        messages.error(request, refusal.message)
        return redirect("production_dashboard:batch-detail", pk=batch.pk)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="label-{batch.code}-{size}.{extension}"'
    return response


def _label_count(request) -> int | None:
    try:
        return min(max(int(request.GET.get("count", "0")), 0), 1000) or None
    except ValueError:
        return None


@policy_required
def batch_label_png(request, pk):
    return _label_response(
        request, pk, lambda batch, size: labels.label_png(batch, size=size), "image/png", "png"
    )


@policy_required
def batch_label_pdf(request, pk):
    count = _label_count(request)
    return _label_response(
        request,
        pk,
        lambda batch, size: labels.label_pdf(batch, size=size, count=count),
        "application/pdf",
        "pdf",
    )


@policy_required
def batch_label_zpl(request, pk):
    count = _label_count(request)
    return _label_response(
        request,
        pk,
        lambda batch, size: labels.label_zpl(batch, size=size, count=count),
        "text/plain; charset=utf-8",
        "zpl",
    )


@policy_required
def batch_trace_csv(request, pk):
    batch = get_object_or_404(selectors.batches_for_user(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trace-{batch.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["batch", "kind", "order", "placed", "location", "quantity", "returned", "buyer_email"]
    )
    for allocation in selectors.batch_allocations(batch=batch):
        order = allocation.line.order
        writer.writerow(
            [
                batch.code,
                "order",
                order.number,
                order.date_placed.isoformat(),
                allocation.location.name,
                allocation.quantity,
                allocation.returned_quantity,
                order.email,
            ]
        )
    writer.writerow([])
    writer.writerow(["batch", "kind", "location", "units_now"])
    for stock in selectors.batch_stock_by_location(batch=batch):
        writer.writerow([batch.code, "stock", stock.location.name, stock.quantity])
    return response


@policy_required
def batch_import(request):
    form = BatchImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = batches_import_csv(file_bytes=form.cleaned_data["file"].read(), user=request.user)
        if result.ok:
            messages.success(
                request, _("%(count)d batch(es) imported.") % {"count": len(result.created)}
            )
            return redirect("production_dashboard:batch-list")
        messages.error(
            request, _("Nothing was imported: fix the rows below and upload the file again.")
        )
    return render(
        request, "production_link/dashboard/batch_import.html", {"form": form, "result": result}
    )
