"""Quality control (production_link.qc): checklists inherited from the product's kind,
a second pair of eyes, item-by-item failures, rework and write-off, evidence, and the
failure rates of the quarterly monitoring report."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from production_link.models import Batch, QcInspection, QcLapasSettings, QcSpecItem
from production_link.qc import services as qc
from production_link.qc.specs import passing_findings, product_spec
from production_link.reports.periods import period_containing
from production_link.reports.selectors import monev_figures
from production_link.services import (
    BatchError,
    batch_create,
    batch_record_production,
    batch_record_qc,
    batch_release,
)
from tests.production_link.test_batches import inspector_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def produced(bread, workshop, workshop_staff):
    """A batch of bread whose production the workshop staff member recorded."""
    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=10,
        production_date=datetime.date.today() - datetime.timedelta(days=1),
        user=workshop_staff,
    )
    return batch_record_production(batch_id=batch.pk, produced_quantity=10, user=workshop_staff)


@pytest.fixture
def inspector(lapas):
    return inspector_of(lapas)


def png_file(name="bukti.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#884422").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_product_inherits_its_kinds_checklist_and_may_replace_an_item(bread):
    codes = [item.code for item in product_spec(bread)]
    assert codes == ["penampakan", "ukuran", "bahan", "kemasan", "label", "tanda-sni"]

    QcSpecItem.objects.create(
        product=bread,
        code="ukuran",
        label="Panjang roti",
        kind="measure",
        unit="cm",
        min_value=Decimal("29"),
        max_value=Decimal("31"),
    )
    QcSpecItem.objects.create(product=bread, code="aroma", label="Aroma", required=False)

    spec = {item.code: item for item in product_spec(bread)}
    assert spec["ukuran"].label == "Panjang roti" and spec["ukuran"].max_value == Decimal("31")
    assert spec["aroma"].required is False
    assert len(spec) == 7


def test_the_kinds_items_in_the_database_replace_the_data_file(bread):
    kind = bread.get_product_class()
    QcSpecItem.objects.create(product_class=kind, code="rapi", label="Jahitan rapi")

    assert [item.code for item in product_spec(bread)] == ["rapi"]


def test_an_unticked_required_item_cannot_pass_and_nothing_is_recorded(produced, inspector):
    checks, measures = passing_findings(produced.product)
    checks["kemasan"] = False

    with pytest.raises(BatchError) as error:
        batch_record_qc(
            batch_id=produced.pk,
            passed=True,
            checklist=checks,
            measurements=measures,
            user=inspector,
        )

    assert "Kemasan utuh" in str(error.value)
    produced.refresh_from_db()
    assert produced.status == Batch.Status.PRODUCED
    assert not QcInspection.objects.exists()


def test_a_measurement_out_of_its_limits_fails_the_batch_item_by_item(produced, inspector):
    checks, measures = passing_findings(produced.product)
    measures["ukuran"] = Decimal("3.5")  # limits −2 … 2 %
    checks["kemasan"] = False

    batch = batch_record_qc(
        batch_id=produced.pk, checklist=checks, measurements=measures, user=inspector
    )

    assert batch.status == Batch.Status.QC_FAILED
    inspection = batch.inspections.get()
    failed = {r.code: r.reason for r in inspection.results.all() if not r.ok}
    assert set(failed) == {"ukuran", "kemasan"}
    assert "3,5" in failed["ukuran"] or "3.5" in failed["ukuran"]
    assert inspection.inspector == inspector and not inspection.passed
    with pytest.raises(BatchError):
        batch_release(batch_id=batch.pk, user=inspector)


def test_optional_items_may_stay_unticked_and_the_inspector_is_recorded(
    produced, inspector, workshop_staff
):
    checks, measures = passing_findings(produced.product)
    checks["tanda-sni"] = False  # optional

    batch = batch_record_qc(
        batch_id=produced.pk,
        passed=True,
        checklist=checks,
        measurements=measures,
        user=inspector,
    )

    assert batch.status == Batch.Status.QC_PASSED
    inspection = batch.inspections.get()
    assert inspection.inspector == inspector
    assert inspection.produced_by == workshop_staff
    assert all(result.ok for result in inspection.results.all())


def test_the_producer_may_not_inspect_their_own_batch(produced, workshop_staff, lapas):
    checks, measures = passing_findings(produced.product)

    with pytest.raises(PermissionDenied):
        batch_record_qc(
            batch_id=produced.pk, checklist=checks, measurements=measures, user=workshop_staff
        )
    assert not QcInspection.objects.exists()

    # A Lapas with one person in its workshop may switch the rule off (a central admin).
    QcLapasSettings.objects.create(lapas=lapas, inspector_must_differ=False)
    batch = batch_record_qc(
        batch_id=produced.pk, checklist=checks, measurements=measures, user=workshop_staff
    )
    assert batch.status == Batch.Status.QC_PASSED


def test_only_a_central_admin_changes_the_rule(lapas, workshop_staff, central_admin):
    with pytest.raises(PermissionDenied):
        qc.qc_lapas_settings_save(lapas=lapas, user=workshop_staff, inspector_must_differ=False)

    qc.qc_lapas_settings_save(lapas=lapas, user=central_admin, inspector_must_differ=False)
    assert qc.inspector_must_differ(lapas) is False


def test_a_failed_batch_is_reworked_into_a_new_inspection(produced, inspector):
    checks, measures = passing_findings(produced.product)
    batch_record_qc(
        batch_id=produced.pk,
        checklist={**checks, "label": False},
        measurements=measures,
        user=inspector,
    )
    with pytest.raises(BatchError):
        qc.batch_qc_rework(batch_id=produced.pk, user=inspector, note="  ")

    qc.batch_qc_rework(batch_id=produced.pk, user=inspector, note="Label dicetak ulang")
    batch = batch_record_qc(
        batch_id=produced.pk,
        passed=True,
        checklist=checks,
        measurements=measures,
        user=inspector,
    )

    assert batch.status == Batch.Status.QC_PASSED
    first, second = batch.inspections.order_by("round")
    assert (first.round, first.passed, first.disposition) == (1, False, "rework")
    assert (second.round, second.passed) == (2, True)


def test_a_written_off_batch_is_never_inspected_or_released_again(produced, inspector):
    batch_record_qc(batch_id=produced.pk, checklist={}, measurements={}, user=inspector)

    batch = qc.batch_write_off(batch_id=produced.pk, user=inspector, note="Berjamur")

    assert batch.status == Batch.Status.WRITTEN_OFF
    for step in (
        lambda: qc.batch_qc_rework(batch_id=batch.pk, user=inspector, note="x"),
        lambda: batch_record_qc(batch_id=batch.pk, checklist={}, user=inspector),
        lambda: batch_release(batch_id=batch.pk, user=inspector),
    ):
        with pytest.raises(BatchError):
            step()


def test_a_passed_batch_cannot_be_written_off(produced, inspector):
    checks, measures = passing_findings(produced.product)
    batch_record_qc(batch_id=produced.pk, checklist=checks, measurements=measures, user=inspector)

    with pytest.raises(BatchError):
        qc.batch_write_off(batch_id=produced.pk, user=inspector, note="x")


def test_staff_of_another_lapas_cannot_inspect(produced, other_workshop_staff):
    with pytest.raises(PermissionDenied):
        batch_record_qc(batch_id=produced.pk, checklist={}, user=other_workshop_staff)


def test_evidence_is_a_checked_image_or_a_pdf(produced, inspector):
    checks, measures = passing_findings(produced.product)
    fake = SimpleUploadedFile("foto.png", b"not an image", content_type="image/png")

    with pytest.raises(BatchError) as error:
        batch_record_qc(
            batch_id=produced.pk,
            checklist=checks,
            measurements=measures,
            evidence=[fake],
            user=inspector,
        )
    assert "evidence" in error.value.message_dict
    assert not QcInspection.objects.exists()

    pdf = SimpleUploadedFile("hasil-lab.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    batch = batch_record_qc(
        batch_id=produced.pk,
        checklist=checks,
        measurements=measures,
        evidence=[png_file(), pdf],
        user=inspector,
    )
    names = [e.file.name for e in batch.inspections.get().evidence.all()]
    assert [name.rsplit(".", 1)[1] for name in names] == ["png", "pdf"]
    # Stored under a random name: the address of an internal file is not guessable.
    assert "bukti" not in names[0] and "hasil-lab" not in names[1]


def test_the_dashboard_records_an_inspection_and_refuses_the_producer(
    client, produced, inspector, workshop_staff
):
    url = reverse("production_dashboard:batch-qc", kwargs={"pk": produced.pk})
    all_ticked = {
        "passed": "1",
        **{f"check_{code}": "on" for code in ("penampakan", "bahan", "kemasan", "label")},
        "measure_ukuran": "1",
    }
    client.force_login(workshop_staff)
    client.post(url, all_ticked)
    produced.refresh_from_db()
    assert produced.status == Batch.Status.PRODUCED

    client.force_login(inspector)
    response = client.post(url, {**all_ticked, "evidence": png_file()})
    produced.refresh_from_db()
    assert response.status_code == 302
    assert produced.status == Batch.Status.QC_PASSED
    evidence = produced.inspections.get().evidence.get()

    page = client.get(reverse("production_dashboard:batch-detail", kwargs={"pk": produced.pk}))
    assert b"qc-inspection" in page.content
    download = reverse("production_dashboard:qc-evidence", kwargs={"pk": evidence.pk})
    assert client.get(download).status_code == 200


def test_evidence_of_another_lapas_is_not_found(client, produced, inspector, other_workshop_staff):
    checks, measures = passing_findings(produced.product)
    batch = batch_record_qc(
        batch_id=produced.pk,
        checklist=checks,
        measurements=measures,
        evidence=[png_file()],
        user=inspector,
    )
    evidence = batch.inspections.get().evidence.get()

    client.force_login(other_workshop_staff)
    url = reverse("production_dashboard:qc-evidence", kwargs={"pk": evidence.pk})
    assert client.get(url).status_code == 404


def test_failure_rates_by_item_feed_the_quarterly_report(produced, inspector, lapas):
    checks, measures = passing_findings(produced.product)
    batch_record_qc(
        batch_id=produced.pk,
        checklist={**checks, "kemasan": False},
        measurements=measures,
        user=inspector,
    )
    qc.batch_qc_rework(batch_id=produced.pk, user=inspector, note="Dikemas ulang")
    batch_record_qc(batch_id=produced.pk, checklist=checks, measurements=measures, user=inspector)

    period = period_containing("quarterly", produced.production_date)
    rows = monev_figures(lapas=lapas, period=period)["tables"]["qc_by_item"]["rows"]

    packaging = next(row for row in rows if row["item"].startswith("Kemasan"))
    assert (packaging["inspected"], packaging["failed"]) == (2, 1)
    assert packaging["failure_rate"] == Decimal("50.0")
    assert rows[0] is packaging  # most failed first
    assert all(row["failed"] == 0 for row in rows[1:])


def test_the_checklist_defaults_load_once_per_kind(bread):
    kind = bread.get_product_class()

    first = qc.qc_checklists_load()
    again = qc.qc_checklists_load()

    assert first >= 6 and again == 0
    assert QcSpecItem.objects.filter(product_class=kind).count() == 6
    assert [item.code for item in product_spec(bread)][0] == "penampakan"


def test_a_central_admin_switches_the_rule_off_in_the_admin(client, central_admin, lapas):
    client.force_login(central_admin)

    response = client.post(
        reverse("admin:production_link_qclapassettings_add"),
        {"lapas": lapas.pk, "inspector_must_differ": ""},
    )

    assert response.status_code == 302
    assert qc.inspector_must_differ(lapas) is False


def test_workshop_staff_have_no_admin_for_qc_rules(client, workshop_staff):
    client.force_login(workshop_staff)

    response = client.get(reverse("admin:production_link_qclapassettings_changelist"))

    assert response.status_code in (302, 403)
