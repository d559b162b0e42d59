"""Search and facets on the storefront (issue 22): ranking, phrases, prefixes, the term
list, typo help, facets in the URL, the record of searches, on both search backends."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from catalog import selectors
from shop.apps.search import facets
from tests.catalog.helpers import food_product, goods_product, service_class
from tests.factories import CategoryFactory, LapasFactory, ProductFactory, WorkshopFactory

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["postgres", "simple"])
def backend(request, settings):
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    settings.KARYA_SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def bakery(db):
    lapas = LapasFactory(name="Lapas Kelas I Tangerang", code="tangerang")  # in Banten
    return WorkshopFactory(lapas=lapas, name="Bengkel Roti")


@pytest.fixture
def woodshop(db):
    lapas = LapasFactory(name="Lapas Kelas I Cipinang", code="cipinang")
    lapas.addresses.update(line4="Jakarta Timur", state="DKI Jakarta")
    return WorkshopFactory(lapas=lapas, name="Bengkel Mebel")


def titles(query="", **kwargs):
    return [p.title for p in selectors.product_search(query=query, **kwargs).products]


def test_titles_that_hold_the_words_come_before_descriptions_that_mention_them(backend, bakery):
    apron = ProductFactory(
        title="Celemek Dapur Kanvas",
        description="Dijahit dari kanvas yang sama dengan seragam tukang roti.",
        workshop=WorkshopFactory(lapas=bakery.lapas, name="Bengkel Konveksi"),
    )
    bread = food_product(title="Roti Tawar Gandum", workshop=bakery, description="Lembut.")
    ProductFactory(title="Kursi Jati", description="Kursi makan.", workshop=bakery)

    found = titles("roti")

    assert found.index(bread.title) < found.index(apron.title)
    assert "Kursi Jati" in found  # its workshop is the bakery: it matches, last
    assert found[0] == bread.title


def test_a_quoted_phrase_needs_its_words_together(backend, bakery):
    ProductFactory(title="Kain Batik Tulis Parang", workshop=bakery, description="")
    ProductFactory(title="Tulis Nama di Kain Batik Cap", workshop=bakery, description="")

    assert titles('"batik tulis"') == ["Kain Batik Tulis Parang"]
    assert titles("batik tulis")[0] == "Kain Batik Tulis Parang"


def test_the_last_word_may_be_unfinished(backend, bakery):
    ProductFactory(title="Kopi Bubuk Robusta", workshop=bakery)

    assert titles("kop") == ["Kopi Bubuk Robusta"]


def test_english_words_find_indonesian_names_through_the_term_list(backend, bakery, woodshop):
    ProductFactory(title="Roti Tawar Gandum", workshop=bakery, description="")
    ProductFactory(title="Meja Kantor Mahoni", workshop=woodshop, description="")

    with translation.override("en"):
        assert titles("bread") == ["Roti Tawar Gandum"]
        assert titles("desks") == ["Meja Kantor Mahoni"]
    assert titles("bread") == ["Roti Tawar Gandum"]  # on the Indonesian site too


def test_a_product_code_finds_its_product(backend, bakery):
    product = ProductFactory(title="Roti Tawar", upc="KRY-TNG-0001", workshop=bakery)

    assert titles("KRY-TNG-0001") == [product.title]


def test_a_typo_finds_the_nearest_word_and_says_so(backend, client, bakery):
    ProductFactory(title="Kain Batik Tulis Parang", workshop=bakery)
    ProductFactory(title="Kopi Bubuk Robusta", workshop=bakery)

    result = selectors.product_search(query="batk")
    body = client.get("/search/?q=batk").content.decode()

    assert [p.title for p in result.products] == ["Kain Batik Tulis Parang"]
    assert result.corrected_from == "batk" and result.query == "batik"
    assert "batik" in body and "Kain Batik Tulis Parang" in body


def test_few_results_offer_a_suggestion(backend, client, bakery):
    ProductFactory(title="Kain Batik Tulis", workshop=bakery, description="")
    ProductFactory(title="Tas Kanvas", workshop=bakery, description="Bermotif batk.")  # sic

    result = selectors.product_search(query="batk")
    body = client.get("/search/?q=batk").content.decode()

    assert [p.title for p in result.products] == ["Tas Kanvas"]
    assert result.suggestion == "batik" and result.corrected_from is None
    assert 'href="?q=batik"' in body


def test_a_typo_in_one_word_of_several_is_corrected(backend, bakery):
    ProductFactory(title="Kopi Bubuk Robusta", workshop=bakery, description="")

    result = selectors.product_search(query="kopi robustaa")

    assert [p.title for p in result.products] == ["Kopi Bubuk Robusta"]
    assert result.query == "kopi robusta"


def test_searches_are_announced_with_their_result_count(backend, client, bakery):
    ProductFactory(title="Roti Tawar", workshop=bakery)
    heard = []

    def receiver(sender, **kwargs):
        heard.append((kwargs["query"], kwargs["result_count"]))

    user_search.connect(receiver, dispatch_uid="test-search-heard")
    try:
        client.get("/search/?q=roti")
        client.get("/search/?q=pesawat+terbang")
    finally:
        user_search.disconnect(dispatch_uid="test-search-heard")

    assert heard == [("roti", 1), ("pesawat terbang", 0)]


def test_listings_search_within_themselves(backend, client, bakery, woodshop):
    bread_category = CategoryFactory(name="Roti dan Kue")
    ProductFactory(title="Roti Tawar", workshop=bakery, categories=[bread_category])
    ProductFactory(title="Roti Manis", workshop=bakery)
    ProductFactory(title="Kursi Roti", workshop=woodshop)

    listing = client.get("/catalogue/?q=roti+tawar").content.decode()
    category = client.get(f"{bread_category.get_absolute_url()}?q=roti").content.decode()

    assert "Roti Tawar" in listing and "Roti Manis" not in listing
    assert "Roti Tawar" in category and "Roti Manis" not in category


# --- Renames reach the search vector (PostgreSQL's triggers)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_search_vector_follows_every_write_it_reads(bakery, settings):
    settings.KARYA_SEARCH_BACKEND = "postgres"
    category = CategoryFactory(name="Perabot")
    product = ProductFactory(title="Lemari Dua Pintu", workshop=bakery, description="")
    Product.objects.bulk_create([Product(title="Rak Sepatu", workshop=bakery, is_public=True)])

    assert titles("rak") == ["Rak Sepatu"]  # bulk writes too
    assert titles("perabot") == []
    product.categories.add(category)
    assert titles("perabot") == ["Lemari Dua Pintu"]
    category.name = "Mebel Rumah"
    category.save()
    assert titles("mebel") == ["Lemari Dua Pintu"] and titles("perabot") == []
    bakery.name = "Bengkel Kayu"
    bakery.save()
    assert set(titles("kayu")) == {"Lemari Dua Pintu", "Rak Sepatu"}
    bakery.lapas.name = "Lapas Kelas IIA Serang"
    bakery.lapas.save()
    assert set(titles("serang")) == {"Lemari Dua Pintu", "Rak Sepatu"}
    Product.objects.filter(pk=product.pk).update(title="Almari Jati")
    assert titles("almari") == ["Almari Jati"] and titles("lemari") == []
    product.categories.remove(category)
    assert titles("mebel") == []


# --- Facets


@pytest.fixture
def shop(bakery, woodshop):
    offices = Segment.objects.create(name="Kantor dan instansi", slug="kantor-dan-instansi")
    furniture = CategoryFactory(name="Mebel")
    made = {
        "bread": food_product(
            title="Roti Tawar", workshop=bakery, stockrecord__price=Decimal("22000")
        ),
        "cake": food_product(
            title="Roti Bolu",
            workshop=bakery,
            halal_claimed=False,
            halal_certificate_number="",
            stockrecord__price=Decimal("35000"),
            stockrecord__num_in_stock=0,
        ),
        "desk": goods_product(
            title="Meja Kantor",
            workshop=woodshop,
            categories=[furniture],
            stockrecord__price=Decimal("2400000"),
        ),
        "chair": goods_product(
            title="Kursi Roti",
            workshop=woodshop,
            categories=[furniture],
            stockrecord__price=Decimal("450000"),
            stockrecord__num_in_stock=0,
        ),
        "repair": ProductFactory(
            title="Jasa Servis Kursi",
            workshop=woodshop,
            product_class=service_class(),
            stockrecord__price=Decimal("90000"),
        ),
    }
    made["desk"].segments.add(offices)
    made["chair"].segments.add(offices)
    return made


def counts(result, name):
    facet = result.facets.by_name().get(name)
    return {v.key: v.count for v in facet.values} if facet else {}


def test_facets_count_every_value_in_one_query(backend, shop, django_assert_num_queries):
    selectors.product_search()  # names and slugs of the values into the shared cache
    with django_assert_num_queries(1):
        result = selectors.product_search()

    assert result.total == 5
    assert counts(result, "lapas") == {"tangerang": 2, "cipinang": 3}
    assert counts(result, "province") == {"Banten": 2, "DKI Jakarta": 3}
    assert counts(result, "halal") == {"1": 1}
    assert counts(result, "food") == {"1": 2, "0": 3}
    assert counts(result, "in_stock") == {"1": 3}  # bread, desk, and the service
    assert counts(result, "segment") == {"kantor-dan-instansi": 2}
    assert counts(result, "price") == {
        "0-50000": 2,
        "50000-100000": 1,
        "250000-1000000": 1,
        "1000000-": 1,
    }
    assert counts(result, "category")[Category.objects.get(name="Mebel").slug] == 2


def test_facets_combine_and_count_without_their_own_choice(backend, shop):
    chosen = facets.Filters(lapas="cipinang", in_stock=True)

    result = selectors.product_search(filters=chosen)

    assert sorted(p.title for p in result.products) == ["Jasa Servis Kursi", "Meja Kantor"]
    assert result.total == 2
    # The Lapas facet ignores the chosen Lapas (in stock still applies): one could switch.
    assert counts(result, "lapas") == {"tangerang": 1, "cipinang": 2}
    # The stock facet ignores "in stock" but keeps the Lapas.
    assert counts(result, "in_stock") == {"1": 2}
    assert counts(result, "food") == {"0": 2}


def test_facets_narrow_a_search(backend, shop):
    result = selectors.product_search(query="roti", filters=facets.Filters(halal=True))

    assert [p.title for p in result.products] == ["Roti Tawar"]
    assert counts(result, "halal") == {"1": 1}
    assert counts(result, "lapas") == {"tangerang": 1}


def test_unknown_facet_values_match_nothing(backend, shop):
    for chosen in (
        facets.Filters(lapas="tidak-ada"),
        facets.Filters(category="tidak-ada"),
        facets.Filters(segment="tidak-ada"),
        facets.Filters(province="Atlantis"),
    ):
        result = selectors.product_search(filters=chosen)
        assert result.total == 0 and list(result.products) == []


def test_facet_links_keep_the_query_and_the_other_choices(backend, client, shop):
    response = client.get("/search/?q=roti&lapas=tangerang&page=1")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'href="?halal=1&amp;lapas=tangerang&amp;q=roti"' in body
    assert 'href="?q=roti"' in body  # unchoosing the Lapas
    assert "Kursi Roti" not in body and "Roti Tawar" in body


def test_a_filter_that_is_not_understood_is_left_out_and_said(backend, client, shop):
    body = client.get("/catalogue/?price=murah&lapas=cipinang").content.decode()

    assert "tidak dikenali dan diabaikan" in body  # "were not understood and were left out"
    assert "Meja Kantor" in body and "Roti Tawar" not in body  # the Lapas still applies


def test_the_segment_chips_show_counts_and_keep_the_search(backend, client, shop):
    body = client.get("/search/?q=kursi&segment=kantor-dan-instansi").content.decode()

    assert 'class="chip chip-active"' in body
    assert 'href="?q=kursi"' in body  # "Everyone"
    assert "Kursi Roti" in body and "Jasa Servis Kursi" not in body
