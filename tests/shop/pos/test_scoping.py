"""A cashier sells only at their locations; nobody else uses the till's API."""

import pytest

from shop.pos.models import PosSale

from .conftest import post, role_user, sale

pytestmark = pytest.mark.django_db


def test_anonymous_is_refused(client, gallery):
    assert client.get("/api/v1/pos/locations").status_code == 401
    assert client.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue").status_code == 401
    assert post(client, "/api/v1/pos/sales/sync", {"sales": []}).status_code == 401


@pytest.mark.parametrize("who", ["buyer", "workshop_staff"])
def test_buyers_and_workshop_staff_are_not_cashiers(request, client, gallery, who):
    client.force_login(request.getfixturevalue(who))

    for response in (
        client.get("/api/v1/pos/locations"),
        client.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue"),
        post(client, "/api/v1/pos/sessions", {"location_id": gallery.pk, "opening_float": "0"}),
        post(client, "/api/v1/pos/sales/sync", {"sales": []}),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "not_a_cashier"


def test_a_cashier_of_another_location_cannot_sell_here(
    client, gallery, exhibition, session, bag, bag_batch, other_cashier
):
    exhibition.cashiers.add(other_cashier)  # a cashier, but of the exhibition only
    client.force_login(other_cashier)

    assert [d["id"] for d in client.get("/api/v1/pos/locations").json()] == [exhibition.pk]
    assert client.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue").status_code == 404
    opened = post(client, "/api/v1/pos/sessions", {"location_id": gallery.pk, "opening_float": "0"})
    assert opened.status_code == 404
    result = post(
        client, "/api/v1/pos/sales/sync", {"sales": [sale(session, (bag, None, 1, 140000))]}
    ).json()["results"][0]
    assert result["status"] == "rejected" and not PosSale.objects.exists()
    assert (
        post(
            client, f"/api/v1/pos/sessions/{session.pk}/close", {"counted": {}, "reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/pos/sessions/{session.pk}").status_code == 404


def test_a_cashier_of_another_lapas_is_refused(client, gallery, other_lapas):
    from production_link.models import StockLocation
    from shop.pos.models import PosLocation

    elsewhere = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(
            lapas=other_lapas, kind="gallery", name="Galeri Cipinang"
        )
    )
    outsider = role_user("kasir.cipinang", "cashier", other_lapas)
    elsewhere.cashiers.add(outsider)
    # Assigned to Tangerang's gallery by mistake: not a member of that Lapas, so no.
    gallery.cashiers.add(outsider)
    client.force_login(outsider)

    assert [d["id"] for d in client.get("/api/v1/pos/locations").json()] == [elsewhere.pk]
    assert client.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue").status_code == 404


def test_another_cashiers_void_is_not_found(client, session, cashier, bag, bag_batch, supervisor):
    from shop.pos.services import sale_record

    result = sale_record(user=cashier, data=sale(session, (bag, None, 1, 140000)))
    colleague = role_user("kasir.dua", "cashier", session.location.lapas)
    session.location.cashiers.add(colleague)
    client.force_login(colleague)

    response = post(
        client,
        f"/api/v1/pos/sales/{result['order_number']}/void",
        {"pin": "2468", "reason": "x"},
    )

    assert response.status_code == 404


def test_an_inactive_location_is_not_sold_at(api, gallery):
    gallery.stock_location.is_active = False
    gallery.stock_location.save()

    assert api.get("/api/v1/pos/locations").json() == []
    assert api.get(f"/api/v1/pos/locations/{gallery.pk}/catalogue").status_code == 404
