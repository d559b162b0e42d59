import datetime

import pytest
from django.urls import reverse
from oscar.test.factories import create_basket

from production_link.models import Batch
from tests.factories import ProductFactory, WorkshopFactory, place_order, released_batch
from tests.production_link.test_batches import inspector_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_batch(other_lapas):
    product = ProductFactory(
        title="Lemari Jati", workshop=WorkshopFactory(lapas=other_lapas, name="Mebel", code="MBL")
    )
    return product.batches.get()


@pytest.fixture
def sold_batch(bread):
    batch = released_batch(product=bread, quantity=6)
    basket = create_basket(empty=True)
    basket.add_product(bread, 2)
    order = place_order(basket=basket)
    return batch, order


def test_staff_list_only_their_lapas_batches(client, workshop_staff, sold_batch, foreign_batch):
    client.force_login(workshop_staff)

    body = client.get(reverse("production_dashboard:batch-list")).content.decode()

    assert sold_batch[0].code in body
    assert foreign_batch.code not in body


def test_another_lapas_batch_is_not_found_for_any_action(client, workshop_staff, foreign_batch):
    client.force_login(workshop_staff)

    for name in ("batch-detail", "batch-label-png", "batch-label-pdf", "batch-trace-csv"):
        url = reverse(f"production_dashboard:{name}", kwargs={"pk": foreign_batch.pk})
        assert client.get(url).status_code == 404, name
    response = client.post(
        reverse("production_dashboard:batch-release", kwargs={"pk": foreign_batch.pk})
    )
    assert response.status_code == 404


def test_buyers_have_no_batch_pages(client, buyer):
    client.force_login(buyer)

    assert client.get(reverse("production_dashboard:batch-list")).status_code == 403


def test_staff_plan_produce_inspect_and_release_a_batch(client, workshop_staff, bread, workshop):
    # Made yesterday and good for a week: a batch that has expired cannot be released, so
    # the dates follow the day the test runs.
    made = datetime.date.today() - datetime.timedelta(days=1)
    client.force_login(workshop_staff)
    response = client.post(
        reverse("production_dashboard:batch-create"),
        {
            "product": bread.pk,
            "workshop": workshop.pk,
            "planned_quantity": 40,
            "production_date": made.isoformat(),
            "expiry_date": (made + datetime.timedelta(days=7)).isoformat(),
        },
    )
    batch = Batch.objects.get(code=f"TNG-ROTI-{made:%y%m%d}-01")
    assert response["Location"] == reverse(
        "production_dashboard:batch-detail", kwargs={"pk": batch.pk}
    )

    client.post(
        reverse("production_dashboard:batch-production", kwargs={"pk": batch.pk}),
        {"produced_quantity": 38, "materials_cost": 250000, "labor_hours": 24, "head_count": 6},
    )
    # A second pair of eyes inspects: every required item ticked, the size within limits,
    # the optional SNI mark left unticked.
    client.force_login(inspector_of(workshop.lapas))
    client.post(
        reverse("production_dashboard:batch-qc", kwargs={"pk": batch.pk}),
        {
            "passed": "1",
            "check_penampakan": "on",
            "check_bahan": "on",
            "check_kemasan": "on",
            "check_label": "on",
            "measure_ukuran": "0.5",
            "sni_reference": "SNI 01-3840-1995",
        },
    )
    client.force_login(workshop_staff)
    client.post(reverse("production_dashboard:batch-release", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert batch.status == Batch.Status.RELEASED
    assert batch.qc_inspector == inspector_of(workshop.lapas)
    assert batch.qc_checklist["penampakan"] is True and batch.qc_checklist["tanda-sni"] is True
    bread.stockrecords.get().refresh_from_db()
    assert bread.stockrecords.get().num_in_stock == 38


def test_a_step_out_of_order_shows_a_message_and_changes_nothing(
    client, workshop_staff, bread, workshop
):
    client.force_login(workshop_staff)
    client.post(
        reverse("production_dashboard:batch-create"),
        {
            "product": bread.pk,
            "workshop": workshop.pk,
            "planned_quantity": 5,
            "production_date": "2026-11-20",
        },
    )
    batch = Batch.objects.get()

    response = client.post(
        reverse("production_dashboard:batch-release", kwargs={"pk": batch.pk}), follow=True
    )

    # "it must pass quality control first", as the Indonesian page says it
    assert "harus lulus pemeriksaan mutu" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.PLANNED


def test_staff_cannot_recall_but_the_kalapas_can(client, workshop_staff, kalapas, sold_batch):
    batch, order = sold_batch
    url = reverse("production_dashboard:batch-recall", kwargs={"pk": batch.pk})

    client.force_login(workshop_staff)
    client.post(url, {"reason": "Kemasan bocor", "public_notice": "Kemasan bisa bocor."})
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RELEASED

    client.force_login(kalapas)
    page = client.post(
        url, {"reason": "Kemasan bocor", "public_notice": "Kemasan bisa bocor."}, follow=True
    ).content.decode()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RECALLED
    assert str(order.number) in page


def test_labels_and_trace_export(client, workshop_staff, sold_batch):
    batch, order = sold_batch
    client.force_login(workshop_staff)

    png = client.get(reverse("production_dashboard:batch-label-png", kwargs={"pk": batch.pk}))
    pdf = client.get(
        reverse("production_dashboard:batch-label-pdf", kwargs={"pk": batch.pk}), {"count": 5}
    )
    csv = client.get(reverse("production_dashboard:batch-trace-csv", kwargs={"pk": batch.pk}))

    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = csv.content.decode()
    assert str(order.number) in text and batch.code in text


def test_the_order_page_shows_the_batch_behind_each_line(client, central_admin, sold_batch):
    batch, order = sold_batch
    client.force_login(central_admin)

    body = client.get(
        reverse("dashboard:order-detail", kwargs={"number": order.number})
    ).content.decode()

    assert batch.code in body


def test_csv_import_is_all_or_nothing(client, workshop_staff, bread, workshop):
    client.force_login(workshop_staff)
    good = f"{bread.upc},ROTI,100,2026-11-20,2026-11-25\n"
    bad = f"{bread.upc},ROTI,lots,2026-11-31,\nKRY-NOPE,ROTI,5,2026-11-20,\n"
    header = "product_upc,workshop,planned_quantity,production_date,expiry_date\n"

    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("production_dashboard:batch-import"),
        {"file": SimpleUploadedFile("b.csv", (header + good + bad).encode())},
    )
    body = response.content.decode()
    assert not Batch.objects.exists()
    assert "planned_quantity" in body and "production_date" in body and "KRY-NOPE" in body

    client.post(
        reverse("production_dashboard:batch-import"),
        {"file": SimpleUploadedFile("b.csv", (header + good + good).encode())},
    )
    assert Batch.objects.count() == 2


def test_public_trace_page(client, sold_batch, kalapas):
    batch, _order = sold_batch

    page = client.get(f"/trace/{batch.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "Roti Tawar" in body
        and "Bengkel Roti dan Kue" in body
        and "Lapas Kelas I Tangerang" in body
    )
    assert "recall-notice" not in body

    from production_link.services import batch_recall

    batch_recall(batch_id=batch.pk, reason="Jamur", user=kalapas)
    assert "recall-notice" in client.get(f"/trace/{batch.code}/").content.decode()


def test_unknown_trace_code_gets_a_friendly_404(client, db):
    response = client.get("/trace/TNG-XXXX-000000-99/")

    assert response.status_code == 404
    assert "TNG-XXXX-000000-99" in response.content.decode()
    assert "Karya" in response.content.decode()


def test_a_planned_batch_has_no_public_page(client, workshop_staff, bread, workshop):
    from production_link.services import batch_create

    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=3,
        production_date=datetime.date(2026, 11, 20),
        user=workshop_staff,
    )

    assert client.get(f"/trace/{batch.code}/").status_code == 404


def test_staff_correct_a_planned_batch_but_not_a_produced_one(
    client, workshop_staff, bread, workshop
):
    client.force_login(workshop_staff)
    client.post(
        reverse("production_dashboard:batch-create"),
        {
            "product": bread.pk,
            "workshop": workshop.pk,
            "planned_quantity": 5,
            "production_date": "2026-11-20",
        },
    )
    batch = Batch.objects.get()
    url = reverse("production_dashboard:batch-plan", kwargs={"pk": batch.pk})

    client.post(url, {"planned_quantity": 50, "production_date": "2026-11-21"})
    batch.refresh_from_db()
    assert (batch.planned_quantity, batch.code) == (50, "TNG-ROTI-261121-01")

    client.post(
        reverse("production_dashboard:batch-production", kwargs={"pk": batch.pk}),
        {"produced_quantity": 48},
    )
    client.post(url, {"planned_quantity": 7, "production_date": "2026-11-21"})
    batch.refresh_from_db()
    assert batch.planned_quantity == 50 and batch.produced_quantity == 48
