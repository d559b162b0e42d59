"""tests/db_reset.py: what ends every transactional test. The rows a test made are gone,
the rows the test database was made with are back as they were, the ledger's append-only
trigger does not stand in the way, and Django's post_migrate makes nothing twice."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from production_link.models import LedgerEntry
from production_link.pnbp.services import pnbp_record_sale
from tests import db_reset
from tests.factories import ProductFactory

from .production_link.pnbp_support import pay, place

Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db(transaction=True)


def _made_with():
    """What the migrations made, as the tests read it."""
    return {
        "pages": sorted(Page.objects.values_list("pk", "path", "title")),
        "sites": sorted(Site.objects.values_list("pk", "hostname", "root_page_id")),
        "countries": Country.objects.count(),
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "group permissions": sorted(
            Group.permissions.through.objects.values_list("group_id", "permission_id")
        ),
        "permissions": Permission.objects.count(),
        "content types": ContentType.objects.count(),
    }


def test_the_rows_a_test_made_go_and_the_rows_it_was_made_with_come_back(
    product, central_admin, lapas
):
    before = _made_with()
    assert before["pages"] and before["sites"] and before["countries"] and before["groups"]
    order = pay(place((product, 2)), central_admin)
    pnbp_record_sale(order=order)
    assert LedgerEntry.objects.exists()
    group = Group.objects.order_by("pk").first()
    group.permissions.clear()
    Page.objects.filter(depth=1).update(title="Changed by a test")

    db_reset.reset(connection)

    assert not LedgerEntry.objects.exists()
    assert not type(lapas).objects.exists()
    assert not type(product).objects.exists()
    assert _made_with() == before


def test_a_reset_twice_over_is_the_same_as_once():
    before = _made_with()
    ProductFactory()
    db_reset.reset(connection)
    db_reset.reset(connection)
    assert _made_with() == before
