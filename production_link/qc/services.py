"""Writes of quality control: an inspection item by item, the rework or write-off of a
failed batch, evidence files, a Lapas's QC settings and the checklist defaults."""

import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.apps.core.imaging import image_upload_check

from ..models import Batch, QcEvidence, QcInspection, QcItemResult, QcLapasSettings, QcSpecItem
from ..services.batches import BatchError, _locked, _require_member, _require_status
from . import specs

S = Batch.Status
# A photo or a scanned document; the image check decides what an image is.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


def inspector_must_differ(lapas) -> bool:
    settings_row = QcLapasSettings.objects.filter(lapas=lapas).first()
    return settings_row.inspector_must_differ if settings_row else True


def _evidence_check(file) -> str:
    """The extension to store ``file`` under; ValidationError unless it is an image
    (the shop's one image check) or a PDF, within the size limit."""
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("Evidence file %(name)s is larger than %(limit)d MB.")
            % {"name": file.name, "limit": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            code="evidence_too_large",
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return ".pdf"
    try:
        image_upload_check(file)
    except ValidationError as error:
        raise ValidationError(
            _("Evidence file %(name)s: a photo (JPEG, PNG, WebP, GIF) or a PDF, please. %(why)s")
            % {"name": file.name, "why": " ".join(error.messages)},
            code="evidence_invalid",
        ) from error
    extension = os.path.splitext(file.name)[1].lower()
    return extension if extension in (".jpg", ".jpeg", ".png", ".webp", ".gif") else ".img"


def _evidence_save(*, inspection, files, user) -> None:
    for file, extension in files:
        evidence = QcEvidence(inspection=inspection, uploaded_by=user)
        # A random name: the file is internal and its address must not be guessable.
        evidence.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
        evidence.save()


@transaction.atomic
def batch_inspect(
    *,
    batch_id: int,
    user,
    checks: dict | None = None,
    measurements: dict | None = None,
    passed: bool | None = None,
    notes: str = "",
    sni_reference: str = "",
    evidence=(),
) -> QcInspection:
    """Record an inspection of a produced batch against its product's checklist.

    It passes only when every required item is ticked and every measurement is within its
    limits; ``passed=True`` with an item out of order is refused (nothing is recorded),
    ``passed=False`` fails a batch whose items are all in order (notes must say why).
    ``passed=None`` lets the findings decide. The inspector must not be the person who
    recorded production, unless the Lapas has switched that rule off."""
    batch = _locked(batch_id)
    _require_member(user, batch.lapas)
    _require_status(batch, {S.PRODUCED}, _("inspected"))
    if (
        batch.produced_by_id
        and batch.produced_by_id == user.pk
        and inspector_must_differ(batch.lapas)
    ):
        raise PermissionDenied(
            _(
                "You recorded the production of batch %(code)s; another person must inspect "
                "it (a second pair of eyes)."
            )
            % {"code": batch.code}
        )
    evidence = list(evidence or ())
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise BatchError(
            {"evidence": _("At most %(n)d evidence files.") % {"n": MAX_EVIDENCE_FILES}}
        )
    try:
        stored = [(file, _evidence_check(file)) for file in evidence]
    except ValidationError as error:
        raise BatchError({"evidence": error.messages}) from error
    findings = specs.judge(
        specs.product_spec(batch.product), checks=checks or {}, measurements=measurements or {}
    )
    failed = [f for f in findings if not f.ok]
    if passed and failed:
        raise BatchError(
            _("The batch cannot pass: %(items)s.") % {"items": specs.failure_summary(findings)}
        )
    if passed is False and not failed and not notes.strip():
        raise BatchError({"notes": _("Say why the batch failed quality control.")})
    verdict = not failed if passed is None else bool(passed)
    number = (batch.inspections.aggregate(last=Max("round"))["last"] or 0) + 1
    now = timezone.now()
    inspection = QcInspection.objects.create(
        batch=batch,
        round=number,
        passed=verdict,
        inspector=user,
        produced_by_id=batch.produced_by_id,
        notes=notes.strip(),
        sni_reference=sni_reference.strip(),
        inspected_at=now,
    )
    QcItemResult.objects.bulk_create(
        [
            QcItemResult(
                inspection=inspection,
                code=f.item.code,
                label=f.item.label[:200],
                kind=f.item.kind,
                required=f.item.required,
                source=f.item.source[:200],
                unit=f.item.unit,
                min_value=f.item.min_value,
                max_value=f.item.max_value,
                checked=f.checked,
                value=f.value,
                ok=f.ok,
                reason=f.reason[:255],
            )
            for f in findings
        ]
    )
    _evidence_save(inspection=inspection, files=stored, user=user)
    # The batch keeps the latest verdict in its own columns: the trace page, the API and
    # the reports read them without joining the inspections.
    batch.qc_passed = verdict
    batch.qc_checklist = {f.item.code: f.ok for f in findings}
    batch.qc_notes = inspection.notes
    if not verdict and failed:
        summary = specs.failure_summary(findings)
        batch.qc_notes = f"{summary}. {inspection.notes}".strip() if inspection.notes else summary
    batch.qc_sni_reference = inspection.sni_reference
    batch.qc_inspector = user
    batch.qc_at = now
    batch.status = S.QC_PASSED if verdict else S.QC_FAILED
    batch.save()
    return inspection


def _failed_inspection(batch) -> QcInspection:
    return batch.inspections.order_by("-round").first()


def _decide(*, batch_id: int, user, note: str, disposition: str) -> Batch:
    batch = _locked(batch_id)
    _require_member(user, batch.lapas)
    action = _("reworked") if disposition == QcInspection.Disposition.REWORK else _("written off")
    _require_status(batch, {S.QC_FAILED}, action)
    if not (note or "").strip():
        raise BatchError({"note": _("Say what is done with the failed batch.")})
    inspection = _failed_inspection(batch)
    if inspection is not None:
        inspection.disposition = disposition
        inspection.disposition_note = note.strip()
        inspection.disposition_by = user
        inspection.disposition_at = timezone.now()
        inspection.save()
    return batch


@transaction.atomic
def batch_qc_rework(*, batch_id: int, user, note: str) -> Batch:
    """A failed batch is reworked: it goes back to produced, for a new inspection."""
    batch = _decide(
        batch_id=batch_id, user=user, note=note, disposition=QcInspection.Disposition.REWORK
    )
    batch.status = S.PRODUCED
    batch.save(update_fields=["status", "updated_at"])
    return batch


@transaction.atomic
def batch_write_off(*, batch_id: int, user, note: str) -> Batch:
    """A failed batch is written off: it is never inspected, released or sold."""
    batch = _decide(
        batch_id=batch_id, user=user, note=note, disposition=QcInspection.Disposition.WRITE_OFF
    )
    batch.status = S.WRITTEN_OFF
    batch.save(update_fields=["status", "updated_at"])
    return batch


@transaction.atomic
def qc_lapas_settings_save(*, lapas, user, inspector_must_differ: bool) -> QcLapasSettings:
    if not (user.is_superuser or user.has_perm("production_link.change_qclapassettings")):
        raise PermissionDenied(_("Only a central admin may change a Lapas's QC rules."))
    row, _created = QcLapasSettings.objects.update_or_create(
        lapas=lapas, defaults={"inspector_must_differ": inspector_must_differ}
    )
    return row


@transaction.atomic
def qc_checklists_load(*, path=None, product_classes=None) -> int:
    """Copy the checklist defaults of the data file into the database for each existing
    product kind that has no items yet (a kind staff have adjusted is left alone).
    Idempotent; returns the number of items created."""
    from oscar.core.loading import get_model

    ProductClass = get_model("catalogue", "ProductClass")
    if path is not None:
        specs.checklist_defaults.cache_clear()
    created = 0
    classes = product_classes if product_classes is not None else ProductClass.objects.all()
    for product_class in classes:
        if QcSpecItem.objects.filter(product_class=product_class).exists():
            continue
        defaults = (
            specs.kind_defaults(product_class)
            if path is None
            else _kind_defaults_from(path, product_class)
        )
        QcSpecItem.objects.bulk_create(
            [
                QcSpecItem(
                    product_class=product_class,
                    code=item.code,
                    label=item.label,
                    kind=item.kind,
                    required=item.required,
                    source=item.source,
                    unit=item.unit,
                    min_value=item.min_value,
                    max_value=item.max_value,
                    ordering=position,
                )
                for position, item in enumerate(defaults)
            ]
        )
        created += len(defaults)
    return created


def _kind_defaults_from(path, product_class):
    data = specs.checklist_defaults(str(path))
    if product_class.slug in data["kinds"]:
        return data["kinds"][product_class.slug]
    return specs.kind_defaults(product_class)
