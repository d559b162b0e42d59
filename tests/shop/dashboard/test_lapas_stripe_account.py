"""A Lapas's Stripe connected account: an acct_ id, set by central admins only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shop.apps.core.services import user_assign_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["acct 1032D82eZvKYlo2C", "ba_1032D82eZvKYlo2C", "acct_", "1234"])
def test_only_a_stripe_account_id_is_accepted(lapas, value):
    lapas.stripe_account_id = value

    with pytest.raises(ValidationError) as refused:
        lapas.full_clean()

    assert "stripe_account_id" in refused.value.message_dict


def test_a_central_admin_gives_a_new_lapas_its_account_in_the_partner_dashboard(
    client, central_admin
):
    from oscar.core.loading import get_model

    client.force_login(central_admin)

    response = client.post(
        reverse("dashboard:partner-create"),
        {"name": "Lapas Kelas IIA Baru", "stripe_account_id": "acct_1032D82eZvKYlo2C"},
    )

    assert response.status_code == 302
    created = get_model("partner", "Partner").objects.get(name="Lapas Kelas IIA Baru")
    assert created.stripe_account_id == "acct_1032D82eZvKYlo2C"
    assert created.accepts_card


def test_lapas_staff_cannot_change_it_in_the_django_admin(rf, lapas):
    from django.contrib.admin.sites import site
    from oscar.core.loading import get_model

    kalapas = user_assign_role(
        user=UserFactory(username="kalapas.x"), role_code="kalapas", lapas=lapas
    )
    request = rf.get("/")
    request.user = kalapas
    admin = site._registry[get_model("partner", "Partner")]

    assert "stripe_account_id" in admin.get_readonly_fields(request, lapas)
    request.user = UserFactory(username="pusat.x", is_staff=True, is_superuser=True)
    assert "stripe_account_id" not in admin.get_readonly_fields(request, lapas)
