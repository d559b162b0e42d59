"""The demo point of sale: a gallery and an open exhibition with stock, the demo cashier
assigned, a demo QRIS image, supervisor PINs and a closed session; loading twice changes
nothing."""

import pytest
from django.contrib.auth.hashers import check_password

from shop.pos.demo import DEMO_PINS, pos_demo_counts, pos_demo_load
from shop.pos.models import PosLapasSettings, PosLocation, PosSession
from shop.pos.selectors import location_catalogue, location_open_for_sale

pytestmark = pytest.mark.django_db


def test_the_demo_point_of_sale(demo_shop, db, client):
    counts = pos_demo_counts()
    pos_demo_load()

    assert pos_demo_counts() == counts
    gallery = PosLocation.objects.get(stock_location__kind="gallery")
    exhibition = PosLocation.objects.get(stock_location__kind="exhibition")
    assert location_open_for_sale(exhibition) and exhibition.starts_on and exhibition.ends_on
    for location in (gallery, exhibition):
        assert location.cashiers.filter(username="kasir.yogya").exists()
        assert location_catalogue(location=location)
    session = PosSession.objects.get()
    assert session.closed_at and session.difference == -1000 and session.difference_reason
    assert session.sales.filter(status="recorded").count() == 3, [
        s.result for s in session.sales.all()
    ]
    assert PosLapasSettings.objects.get(lapas=gallery.lapas).qris_image
    for username, pin in DEMO_PINS.items():
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=username)
        assert check_password(pin, user.pos_pin.pin_hash)

    client.login(username="kasir.yogya", password="karya-demo-2026")
    assert client.get(f"/pos/sessions/{session.pk}/z-report/").status_code == 200
    assert len(client.get("/api/v1/pos/locations").json()) == 2
