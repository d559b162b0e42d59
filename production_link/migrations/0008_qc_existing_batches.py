"""Existing data under the QC rules of production_link.qc:

* a batch already produced was produced by whoever created it (the best record there is);
* a batch already inspected gets its inspection as round 1, with the old checklist's
  ticks as optional items (they were never judged one by one, so none counts as failed);
* every existing product kind gets its checklist defaults from qc/checklists.yaml.
"""

from django.db import migrations

OLD_CHECKS = {
    "appearance": "Penampakan dan hasil akhir",
    "measurements": "Ukuran, berat atau volume sesuai spesifikasi",
    "packaging": "Kemasan utuh dan bersih",
    "labeling": "Label lengkap dan terbaca",
    "hygiene": "Kebersihan (pangan)",
}


def forwards(apps, schema_editor):
    from production_link.qc import specs

    Batch = apps.get_model("production_link", "Batch")
    QcInspection = apps.get_model("production_link", "QcInspection")
    QcItemResult = apps.get_model("production_link", "QcItemResult")
    QcSpecItem = apps.get_model("production_link", "QcSpecItem")
    ProductClass = apps.get_model("catalogue", "ProductClass")

    Batch.objects.exclude(status="planned").filter(produced_by__isnull=True).update(
        produced_by=models_f("created_by")
    )
    for batch in Batch.objects.filter(qc_at__isnull=False).iterator():
        if QcInspection.objects.filter(batch=batch).exists():
            continue
        inspection = QcInspection.objects.create(
            batch=batch,
            round=1,
            passed=bool(batch.qc_passed),
            inspector_id=batch.qc_inspector_id,
            produced_by_id=batch.produced_by_id or batch.created_by_id,
            notes=batch.qc_notes,
            sni_reference=batch.qc_sni_reference,
            inspected_at=batch.qc_at,
            disposition="write_off" if batch.status == "written_off" else "",
        )
        QcItemResult.objects.bulk_create(
            [
                QcItemResult(
                    inspection=inspection,
                    code=str(code)[:40],
                    label=OLD_CHECKS.get(code, str(code))[:200],
                    kind="check",
                    required=False,
                    checked=bool(ticked),
                    ok=True,
                )
                for code, ticked in (batch.qc_checklist or {}).items()
            ]
        )
    for product_class in ProductClass.objects.all():
        if QcSpecItem.objects.filter(product_class=product_class).exists():
            continue
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
                for position, item in enumerate(specs.kind_defaults(product_class))
            ]
        )


def models_f(name):
    from django.db.models import F

    return F(name)


class Migration(migrations.Migration):
    dependencies = [
        ("production_link", "0007_qc_inspections"),
        ("catalogue", "0036_product_search"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
