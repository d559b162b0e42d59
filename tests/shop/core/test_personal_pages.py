"""Signed-in buyers and visitors with a basket get the page cache's shared copy with their
own header (account links, basket count and total), messages, CSRF token and, on a
product page, their own forms filled in; nothing of one visitor ever reaches another."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.apps.core import page_holes
from tests.factories import ProductFactory, UserFactory, WorkshopFactory

Basket = get_model("basket", "Basket")
ProductRecord = get_model("analytics", "ProductRecord")
StockRecord = get_model("partner", "StockRecord")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BADGE = re.compile(r'aria-label="[^"]*">(\d+)</span>')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.KARYA_PAGE_CACHE_SECONDS = 60


def get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries)


def signed_in(username):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username=username))
    return client


def add(client, product, quantity=1):
    page = client.get(product.get_absolute_url()).content.decode()
    token = TOKEN.search(page).group(1)
    response = client.post(
        f"/basket/add/{product.pk}/", {"csrfmiddlewaretoken": token, "quantity": quantity}
    )
    assert response.status_code == 302, response.status_code


def basket_badge(page):
    start, end = page_holes.markers("basket")
    return int(BADGE.search(page[page.index(start) : page.index(end)]).group(1))


def hole(page, name):
    start, end = page_holes.markers(name)
    return page[page.index(start) : page.index(end)]


def account_menu(page):
    return hole(page, "account")


@pytest.mark.django_db
def test_a_signed_in_buyer_with_a_basket_gets_the_shared_copy_with_their_own_header(product):
    buyer = signed_in("pembeli")
    add(buyer, product, quantity=2)
    _, rendered_queries = get(Client(), "/catalogue/?page=1")  # somebody else's first visit
    # The first page after the basket changed loads it in full once (and shows the message).
    get(buyer, "/catalogue/")

    page, queries = get(buyer, "/catalogue/?page=1")

    assert basket_badge(page) == 2
    assert "Rp300.000" in page
    assert 'href="/accounts/"' in account_menu(page)
    assert "Roti Sobek Cokelat" in page
    # The page is not rendered again: session, user and basket id, that is all (the
    # account links' two permissions are kept with the copy).
    assert queries < rendered_queries
    assert queries <= 3


@pytest.mark.django_db
def test_nothing_of_one_visitor_reaches_another(product):
    alice = signed_in("alice")
    add(alice, product, quantity=3)
    alice_page, _ = get(alice, "/catalogue/")  # the copy is made during Alice's visit

    bob = signed_in("bob")
    bob_page, _ = get(bob, "/catalogue/")
    stranger_page, stranger_queries = get(Client(), "/catalogue/")
    carol = Client(enforce_csrf_checks=True)
    add(carol, product)  # an anonymous visitor with a basket
    carol_page, _ = get(carol, "/catalogue/")

    assert stranger_queries == 0  # the anonymous visitor got the same shared copy
    assert basket_badge(alice_page) == 3 and "Rp450.000" in alice_page
    assert basket_badge(bob_page) == 0 and "Rp450.000" not in bob_page
    assert basket_badge(stranger_page) == 0 and 'href="/accounts/"' not in account_menu(
        stranger_page
    )
    assert basket_badge(carol_page) == 1 and 'href="/accounts/"' not in account_menu(carol_page)
    assert 'href="/accounts/"' in account_menu(bob_page)
    tokens = [set(TOKEN.findall(p)) for p in (alice_page, bob_page, stranger_page, carol_page)]
    for i, mine in enumerate(tokens):
        assert len(mine) >= 1
        for j, theirs in enumerate(tokens):
            if i != j:
                assert not mine & theirs
    assert "Placeholder" not in alice_page + bob_page + stranger_page + carol_page


@pytest.mark.django_db
def test_each_token_works_only_for_its_own_visitor(product):
    get(Client(), "/catalogue/")
    alice, bob = signed_in("alice"), signed_in("bob")
    alice_token = TOKEN.search(get(alice, "/catalogue/")[0]).group(1)
    bob_token = TOKEN.search(get(bob, "/catalogue/")[0]).group(1)

    accepted = alice.post(
        f"/basket/add/{product.pk}/", {"csrfmiddlewaretoken": alice_token, "quantity": 1}
    )
    assert accepted.status_code == 302
    # Bob's token does not work with Alice's cookie... but each is valid for its owner.
    assert bob_token != alice_token
    refused = alice.post(f"/basket/add/{product.pk}/", {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_basket_count_and_total_are_never_stale(product, lapas):
    cheap = ProductFactory(
        title="Tas Anyaman Pandan",
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("50000"),
        stockrecord__num_in_stock=9,
    )
    buyer = signed_in("pembeli")
    add(buyer, product)
    assert basket_badge(get(buyer, "/catalogue/")[0]) == 1

    add(buyer, cheap, quantity=2)
    page, _ = get(buyer, "/catalogue/")
    assert basket_badge(page) == 3 and "Rp250.000" in page

    basket = Basket.objects.get(owner__username="pembeli")
    basket.lines.get(product=cheap).delete()
    page, _ = get(buyer, "/catalogue/")
    assert basket_badge(page) == 1 and "Rp150.000" in page

    # A new price shows on the page and in the basket total at once.
    record = StockRecord.objects.get(product=product)
    record.price = Decimal("175000")
    record.save()
    page, _ = get(buyer, "/catalogue/")
    assert "Rp175.000" in page and basket_badge(page) == 1


@pytest.mark.django_db
def test_a_message_is_shown_once_to_its_own_visitor(product):
    get(Client(), product.get_absolute_url())
    buyer = signed_in("pembeli")
    add(buyer, product)

    page, _ = get(buyer, "/catalogue/")
    other, _ = get(signed_in("bob"), "/catalogue/")
    again, _ = get(buyer, "/catalogue/")

    assert "Roti Sobek Cokelat" in page and 'class="alert' in page
    assert 'class="alert' not in other
    assert 'class="alert' not in again


@pytest.mark.django_db
def test_the_signed_in_product_page_is_filled_in_and_counted(product):
    path = product.get_absolute_url()
    _, rendered_queries = get(Client(), path)
    buyer = signed_in("pembeli")

    page, queries = get(buyer, path)

    assert queries < rendered_queries
    assert 'href="/accounts/"' in account_menu(page)
    assert TOKEN.search(page)
    assert ProductRecord.objects.get(product=product).num_views == 2


@pytest.mark.django_db
def test_the_stock_alert_form_of_a_signed_in_buyer_asks_no_email(product):
    StockRecord.objects.filter(product=product).update(num_in_stock=0)
    path = product.get_absolute_url()
    anonymous, _ = get(Client(), path)
    buyer_page, _ = get(signed_in("pembeli"), path)

    # Oscar asks an anonymous visitor for their e-mail address, not a signed-in buyer;
    # and a signed-in buyer gets the wish-list menu.
    anonymous, buyer_page = hole(anonymous, "product-actions"), hole(buyer_page, "product-actions")
    assert 'type="text" name="email"' in anonymous
    assert 'id="alert_form"' in buyer_page
    assert 'type="text" name="email"' not in buyer_page
    assert 'type="hidden" name="email"' in buyer_page
    assert f"/accounts/wishlists/add/{product.pk}/" in buyer_page
    assert "/wishlists/add/" not in anonymous
    assert buyer_page.count("karya-hole") == 1  # filled once, not nested


@pytest.mark.django_db
def test_staff_always_get_their_page_rendered(product):
    get(Client(), product.get_absolute_url())
    staff = Client()
    staff.force_login(UserFactory(username="staf", is_staff=True))

    page, _ = get(staff, product.get_absolute_url())

    assert f"/dashboard/catalogue/products/{product.pk}/" in page


@pytest.mark.django_db
def test_an_unpublished_product_is_still_previewed_by_its_lapas(product, lapas):
    staff = UserFactory(username="staf-lapas")
    lapas.users.add(staff)
    product.is_public = False
    product.save()
    client = Client()
    client.force_login(staff)

    assert Client().get(product.get_absolute_url()).status_code == 404
    assert client.get(product.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_lapas_staff_see_their_dashboard_link_on_the_shared_copy(product, lapas):
    from django.contrib.auth.models import Permission

    get(Client(), "/catalogue/")
    worker = UserFactory(username="staf-bengkel")
    worker.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    client = Client()
    client.force_login(worker)

    staff_page, _ = get(client, "/catalogue/")
    buyer_page, _ = get(signed_in("pembeli"), "/catalogue/")

    assert 'href="/dashboard/"' in account_menu(staff_page)
    assert 'href="/dashboard/"' not in account_menu(buyer_page)
