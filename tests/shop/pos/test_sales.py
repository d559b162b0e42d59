"""Sales from the till: scanning a label or a SKU, payment, the sync applied once, conflicts."""

import uuid
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from production_link.models import Allocation, BatchStock
from production_link.services import batch_recall
from shop.apps.order import statuses
from shop.pos.models import PosConflict, PosSale
from shop.pos.services import sale_record, session_close

from .conftest import batch_at, post, sale

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/pos/sales/sync"


def units(batch, location):
    return BatchStock.objects.get(batch=batch, location=location.stock_location).quantity


def test_a_scanned_label_sells_from_that_batch_at_the_location(
    api, session, gallery, bag, bag_batch
):
    # An older batch at the same place, which FEFO would pick first: the label wins.
    older = batch_at(gallery, product=bag, quantity=3)
    older.production_date = bag_batch.production_date.replace(year=2020)
    older.save()

    response = post(
        api, SYNC, {"sales": [sale(session, (bag, bag_batch.code, 2, 140000), tendered="300000")]}
    )

    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    assert result["status"] == "recorded"
    assert result["total"] == "280000" and result["change"] == "20000"
    assert result["receipt_url"] == f"/pos/receipts/{result['order_number']}/"
    order = Order.objects.get(number=result["order_number"])
    assert order.channel == "pos" and order.status == statuses.COMPLETED
    assert order.total_incl_tax == Decimal("280000")
    line = order.lines.get()
    assert line.partner_id == gallery.lapas.pk and line.unit_price_incl_tax == Decimal("140000")
    allocation = Allocation.objects.get(line=line)
    assert allocation.batch == bag_batch and allocation.quantity == 2
    assert allocation.location == gallery.stock_location
    assert units(bag_batch, gallery) == 3 and units(older, gallery) == 3
    assert order.payment_events.get().event_type.name == "Paid"
    source = order.sources.get()
    assert source.source_type.name == "Tunai (POS)" and source.amount_debited == Decimal("280000")
    pos_sale = PosSale.objects.get(order=order)
    assert pos_sale.session == session and not pos_sale.price_differs


def test_a_sku_scan_sells_first_expiring_first_at_the_location(
    api, session, gallery, bag, bag_batch
):
    import datetime

    sooner = batch_at(
        gallery,
        product=bag,
        quantity=2,
        expiry_date=datetime.date.today() + datetime.timedelta(days=10),
    )

    result = post(api, SYNC, {"sales": [sale(session, (bag, None, 3, 140000))]}).json()["results"][
        0
    ]

    assert result["status"] == "recorded"
    order = Order.objects.get(number=result["order_number"])
    taken = {a.batch_id: a.quantity for a in Allocation.objects.filter(line__order=order)}
    assert taken == {sooner.pk: 2, bag_batch.pk: 1}


def test_the_warehouse_is_not_sold_from_at_the_till(api, session, bag, bag_batch):
    from tests.factories import released_batch

    released_batch(product=bag, quantity=10)  # in the Lapas warehouse, not at the gallery

    result = post(api, SYNC, {"sales": [sale(session, (bag, None, 6, 140000))]}).json()["results"][
        0
    ]

    assert result["status"] == "conflict"
    assert "5" in result["message"]


def test_cash_change_and_too_little_tendered(api, session, bag, bag_batch):
    ok = sale(session, (bag, bag_batch.code, 1, 140000), tendered="150000")
    short = sale(session, (bag, bag_batch.code, 1, 140000), tendered="100000")
    exact = sale(session, (bag, bag_batch.code, 1, 140000))

    results = post(api, SYNC, {"sales": [ok, short, exact]}).json()["results"]

    assert results[0]["change"] == "10000"
    assert results[1]["status"] == "rejected" and "tendered" in results[1]["message"]
    assert results[2]["status"] == "recorded" and results[2]["change"] == "0"
    assert not PosSale.objects.filter(uuid=short["uuid"]).exists()


def test_the_same_uuid_twice_is_one_order_and_the_same_answer(api, session, bag, bag_batch):
    one = sale(session, (bag, bag_batch.code, 1, 140000), tendered="200000")
    two = sale(session, (bag, None, 2, 140000), method="qris", reference="QR123")

    first = post(api, SYNC, {"sales": [one, two]}).json()["results"]
    again = post(api, SYNC, {"sales": [one, two]}).json()["results"]
    single = post(api, SYNC, {"sales": [two]}).json()["results"]

    assert first == again and single == [first[1]]
    assert Order.objects.filter(channel="pos").count() == 2
    assert PosSale.objects.count() == 2
    assert sum(Allocation.objects.values_list("quantity", flat=True)) == 3


def test_a_recalled_batch_makes_a_conflict_kept_whole(
    api, session, bag, bag_batch, supervisor, english
):
    batch_recall(batch_id=bag_batch.pk, reason="Jahitan lepas", user=supervisor)
    data = sale(session, (bag, bag_batch.code, 1, 140000), offline=True)

    result = post(api, SYNC, {"sales": [data]}).json()["results"][0]
    again = post(api, SYNC, {"sales": [data]}).json()["results"][0]

    assert result["status"] == "conflict" and result["order_number"] is None
    assert again == result
    conflict = PosConflict.objects.get()
    assert conflict.reason == PosConflict.Reason.RECALLED
    assert conflict.sale.payload["lines"][0]["batch_code"] == bag_batch.code
    assert conflict.sale.payload["uuid"] == data["uuid"]
    assert not Order.objects.filter(channel="pos").exists()
    assert units(bag_batch, session.location) == 5


def test_not_enough_units_in_the_batch_is_a_conflict(api, session, gallery, bag, bag_batch):
    batch_at(gallery, product=bag, quantity=10)  # another batch: the label still pins

    result = post(api, SYNC, {"sales": [sale(session, (bag, bag_batch.code, 6, 140000))]}).json()[
        "results"
    ][0]

    assert result["status"] == "conflict"
    assert PosConflict.objects.get().reason == PosConflict.Reason.INSUFFICIENT_STOCK
    assert units(bag_batch, gallery) == 5


def test_card_and_qris_offline_are_unverified_cash_is_not(api, session, bag, bag_batch):
    results = post(
        api,
        SYNC,
        {
            "sales": [
                sale(session, (bag, None, 1, 140000), method="qris", offline=True, reference="R1"),
                sale(session, (bag, None, 1, 140000), method="card_terminal", reference="C1"),
                sale(session, (bag, None, 1, 140000), method="card_terminal", reference=""),
                sale(session, (bag, None, 1, 140000), method="cash", offline=True),
            ]
        },
    ).json()["results"]

    assert [r["unverified"] for r in results] == [True, False, True, False]
    assert all(r["status"] == "recorded" for r in results)


def test_a_price_other_than_the_catalogue_is_recorded_and_flagged(api, session, bag, bag_batch):
    result = post(api, SYNC, {"sales": [sale(session, (bag, None, 1, 150000))]}).json()["results"][
        0
    ]

    assert result["status"] == "recorded" and result["total"] == "150000"
    assert PosSale.objects.get().price_differs is True


def test_a_closed_session_refuses_sales(api, session, bag, bag_batch, cashier):
    session_close(user=cashier, session=session, counted={"100000": 2}, reason="")

    result = post(api, SYNC, {"sales": [sale(session, (bag, None, 1, 140000))]}).json()["results"][
        0
    ]

    assert result["status"] == "rejected"
    assert not PosSale.objects.exists() and units(bag_batch, session.location) == 5


def test_an_offline_sale_synced_after_the_close_is_a_conflict(session, bag, bag_batch, cashier):
    data = sale(session, (bag, None, 1, 140000), offline=True)  # made before the close
    session_close(user=cashier, session=session, counted={"100000": 2}, reason="")

    result = sale_record(user=cashier, data=data)

    assert result["status"] == "conflict"
    assert PosConflict.objects.get().reason == PosConflict.Reason.SESSION_CLOSED


def test_malformed_sales_are_rejected_one_by_one(api, session, bag, bag_batch):
    good = sale(session, (bag, None, 1, 140000))
    bad_method = {**sale(session, (bag, None, 1, 140000)), "payment": {"method": "gold"}}
    no_lines = {**sale(session), "lines": []}
    no_uuid = {**sale(session, (bag, None, 1, 140000)), "uuid": "x"}
    zero = sale(session, (bag, None, 0, 140000))

    results = post(api, SYNC, {"sales": [good, bad_method, no_lines, no_uuid, zero]}).json()[
        "results"
    ]

    assert [r["status"] for r in results] == ["recorded"] + ["rejected"] * 4
    assert "payment.method" in results[1]["message"]


def test_the_catalogue_lists_the_locations_stock_and_prices(api, gallery, bag, bag_batch):
    response = api.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue")

    assert response.status_code == 200
    data = response.json()
    assert data["location_id"] == gallery.pk and data["qris_image_url"] is None
    assert (
        data["lapas"]["name"] == "Lapas Kelas I Tangerang" and "Veteran" in data["lapas"]["address"]
    )
    (product,) = data["products"]
    assert product["price"] == "140000" and product["upc"] == "TAS-001"
    assert product["batches"] == [
        {"code": bag_batch.code, "barcode": bag_batch.code, "quantity": 5, "expiry_date": None}
    ]
    unchanged = api.get(
        f"/api/v1/pos/locations/{gallery.pk}/catalogue", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert unchanged.status_code == 304


def test_locations_list_with_the_open_session(api, gallery, exhibition, cashier, session):
    data = api.get("/api/v1/pos/locations").json()

    assert [d["id"] for d in data] == [gallery.pk]  # not assigned to the exhibition
    assert data[0]["kind"] == "gallery" and data[0]["open_session"]["id"] == session.pk
    assert data[0]["open_session"]["opening_float"] == "200000"
    exhibition.cashiers.add(cashier)
    kinds = {d["kind"]: d for d in api.get("/api/v1/pos/locations").json()}
    assert kinds["exhibition"]["starts_on"] == exhibition.starts_on.isoformat()
    assert kinds["exhibition"]["open_session"] is None


def test_open_a_session_once(api, gallery):
    first = post(
        api, "/api/v1/pos/sessions", {"location_id": gallery.pk, "opening_float": "150000"}
    )
    second = post(api, "/api/v1/pos/sessions", {"location_id": gallery.pk, "opening_float": "9"})
    bad = post(api, "/api/v1/pos/sessions", {"location_id": gallery.pk, "opening_float": "1,5"})

    assert first.status_code == 201 and first.json()["opening_float"] == "150000"
    assert second.status_code == 409 and second.json()["id"] == first.json()["id"]
    assert bad.status_code in (400, 409)


def test_an_exhibition_sells_only_on_its_days(client, exhibition, cashier):
    import datetime

    exhibition.cashiers.add(cashier)
    exhibition.starts_on = datetime.date.today() + datetime.timedelta(days=5)
    exhibition.ends_on = exhibition.starts_on
    exhibition.save()
    client.force_login(cashier)

    response = post(
        client, "/api/v1/pos/sessions", {"location_id": exhibition.pk, "opening_float": "0"}
    )

    assert response.status_code == 400 and response.json()["code"] == "location_closed"


def test_a_sale_writes_pnbp_through_the_ledger_service(api, session, bag, bag_batch):
    from production_link.models import LedgerEntry

    data = sale(session, (bag, None, 1, 140000))
    result = post(api, SYNC, {"sales": [data]}).json()["results"][0]
    post(api, SYNC, {"sales": [data]})

    [entry] = LedgerEntry.objects.all()
    assert entry.order.number == result["order_number"]
    assert (entry.kind, entry.channel, entry.gross) == ("sale", "pos", Decimal("140000"))


def test_a_uuid_of_another_cashier_is_not_replayed(client, session, bag, bag_batch, lapas, gallery):
    from .conftest import role_user

    data = sale(session, (bag, None, 1, 140000))
    sale_record(user=session.cashier, data=data)
    intruder = role_user("kasir.dua", "cashier", lapas)
    gallery.cashiers.add(intruder)
    client.force_login(intruder)

    result = post(client, SYNC, {"sales": [data]}).json()["results"][0]

    assert result["status"] == "rejected" and result["order_number"] is None


def test_uuid_is_unique_in_the_database(session):
    from django.db import IntegrityError, transaction

    PosSale.objects.create(
        uuid=uuid.UUID(int=1),
        session=session,
        status="recorded",
        payment_method="cash",
        total=Decimal("1"),
        created_at=session.opened_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PosSale.objects.create(
            uuid=uuid.UUID(int=1),
            session=session,
            status="recorded",
            payment_method="cash",
            total=Decimal("1"),
            created_at=session.opened_at,
        )
