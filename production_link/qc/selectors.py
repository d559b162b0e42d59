"""Reads of quality control."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from ..models import Batch, QcInspection, QcItemResult
from . import specs


def batch_inspections(*, batch) -> QuerySet:
    return (
        QcInspection.objects.filter(batch=batch)
        .select_related("inspector", "produced_by", "disposition_by")
        .prefetch_related("results", "evidence")
        .order_by("round")
    )


def batch_spec(*, batch) -> list[specs.SpecItem]:
    return specs.product_spec(batch.product)


def qc_failure_rates_by_item(*, lapas, start: date, end: date) -> list[dict]:
    """Per checklist item: how often it was inspected and failed, over the inspections of
    the batches produced in [start, end] (of ``lapas``, or of every Lapas for None).
    Items are grouped by code and label, so a kind's and a product's item of the same
    code and wording count together; most failed first."""
    results = QcItemResult.objects.filter(
        inspection__batch__production_date__gte=start,
        inspection__batch__production_date__lte=end,
    ).exclude(inspection__batch__status=Batch.Status.PLANNED)
    if lapas is not None:
        results = results.filter(inspection__batch__workshop__lapas=lapas)
    rows = (
        results.values("code", "label", "source")
        .annotate(inspected=Count("pk"), failed=Count("pk", filter=Q(ok=False)))
        .order_by()
    )
    found = [
        {
            "item": row["label"],
            "source": row["source"],
            "inspected": row["inspected"],
            "failed": row["failed"],
        }
        for row in rows
    ]
    return sorted(found, key=lambda r: (-r["failed"], r["item"]))
