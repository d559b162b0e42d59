"""The forked dashboard product form: sections for segments, prices and cost,
packaging and label; the compliance gate; prices with history and the below-cost
confirmation; Lapas scoping of products and workshops; segments for central staff."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from oscar.core.loading import get_model

from tests.catalog.helpers import COMPLETE_FOOD_LABEL, food_class, food_product
from tests.factories import CategoryFactory, WorkshopFactory

Product = get_model("catalogue", "Product")
PriceChange = get_model("catalogue", "PriceChange")
Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db

FORMSETS = (
    "category_formset",
    "image_formset",
    "recommended_formset",
    "stockrecord_formset",
    "tier_formset",
)


def _value(field, value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return str(getattr(value, "pk", value))


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(bound.field, forms.FileField) or value in (None, ""):
            continue
        data[bound.html_name] = _value(bound.field, value)
    return data


def page_data(response) -> dict:
    """The POST a browser would send for the page as it is shown."""
    ctx = response.context
    data = {"action": "continue", **_form_data(ctx["form"]), **_form_data(ctx["pricing_form"])}
    for name in FORMSETS:
        formset = ctx[name]
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def product_url(product):
    return reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})


def open_page(client, product):
    response = client.get(product_url(product))
    assert response.status_code == 200
    return response


@pytest.fixture
def food(product):
    """A published food product of the Tangerang bakery with a complete label."""
    return food_product(
        title="Roti Tawar Gandum",
        workshop=product.workshop,
        categories=[CategoryFactory(name="Roti")],
        stockrecord__price=Decimal("22000"),
        stockrecord__num_in_stock=40,
    )


def test_the_product_page_has_labelled_sections(client, workshop_staff, food):
    client.force_login(workshop_staff)

    body = open_page(client, food).content.decode()

    for section in (
        "product_segments",
        "product_prices",
        "product_packaging",
        "product_label",
        "product_price_history",
    ):
        assert f'id="{section}"' in body
    assert "Jl. Veteran No. 2" in body  # the producer line, filled from the Lapas
    assert 'name="pricing-price_online" value="22000"' in body


def test_publishing_a_food_product_without_a_licence_number_is_refused(
    client, workshop_staff, food
):
    food.licence_number = ""
    food.is_public = False
    food.save()
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data["is_public"] = "on"

    response = client.post(product_url(food), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "nomor izin" in " ".join(form.errors["is_public"])  # "licence number"
    assert form.errors["licence_number"]
    assert "nomor izin" in response.content.decode()
    food.refresh_from_db()
    assert not food.is_public


def test_editing_a_public_food_product_cannot_drop_a_required_fact(client, workshop_staff, food):
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data.pop("ingredients")

    response = client.post(product_url(food), data)

    assert response.status_code == 200
    assert response.context["form"].errors["ingredients"]
    food.refresh_from_db()
    assert food.ingredients == COMPLETE_FOOD_LABEL["ingredients"]


def test_a_complete_food_product_is_published_from_the_dashboard(client, workshop_staff, food):
    food.is_public = False
    food.save()
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data["is_public"] = "on"

    response = client.post(product_url(food), data)

    assert response.status_code == 302, response.context["form"].errors
    food.refresh_from_db()
    assert food.is_public


def test_a_bad_pirt_number_is_refused_naming_the_field(client, workshop_staff, food):
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data["licence_number"] = "12345"

    response = client.post(product_url(food), data)

    [error] = response.context["form"].errors["licence_number"]
    assert "P-IRT" in error and "15" in error


def test_label_packaging_segments_and_prices_are_saved_with_history(client, workshop_staff, food):
    offices = Segment.objects.create(name="Kantor dan instansi", slug="kantor-dan-instansi")
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data.update(
        {
            "segments": [str(offices.pk)],
            "shelf_life_days": "5",
            "packaging_recyclable": "on",
            "pricing-price_online": "23.000",
            "pricing-price_gallery": "21000",
            "pricing-cost_materials": "9000",
            "pricing-cost_labor": "4500",
            "tiers-0-min_quantity": "20",
            "tiers-0-price": "21500",
        }
    )

    response = client.post(product_url(food), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    food.refresh_from_db()
    assert list(food.segments.all()) == [offices]
    assert food.shelf_life_days == 5 and food.packaging_recyclable
    assert food.stockrecords.get().price == Decimal("23000")
    assert food.cost_materials == Decimal("9000")
    assert [(t.min_quantity, t.price) for t in food.price_tiers.all()] == [(20, Decimal("21500"))]
    history = {c.channel: c for c in PriceChange.objects.filter(product=food)}
    assert set(history) == {"online", "gallery", "institutional", "cost"}
    assert history["online"].old_price == Decimal("22000")
    assert history["online"].new_price == Decimal("23000")
    assert history["online"].changed_by == workshop_staff

    page = open_page(client, food).content.decode()
    assert "Rp22.000" in page and "Rp23.000" in page  # the history, shown to staff
    assert "Rp13.500" in page  # the unit cost, with the margin it leaves


def test_sen_are_refused(client, workshop_staff, food):
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data["pricing-price_online"] = "22000.50"

    response = client.post(product_url(food), data)

    assert "tanpa sen" in response.context["pricing_form"].errors["price_online"][0]
    assert not PriceChange.objects.exists()


def test_a_price_below_cost_needs_the_confirmation_box(client, workshop_staff, food):
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data.update({"pricing-cost_materials": "20000", "pricing-cost_labor": "5000"})

    refused = client.post(product_url(food), data)

    assert refused.status_code == 200
    assert "Rp25.000" in refused.context["pricing_form"].errors["confirm_below_cost"][0]
    food.refresh_from_db()
    assert food.cost_materials is None
    assert not PriceChange.objects.exists()

    data["pricing-confirm_below_cost"] = "on"
    accepted = client.post(product_url(food), data)

    assert accepted.status_code == 302
    cost = PriceChange.objects.get(product=food, channel="cost")
    assert cost.below_cost_confirmed and cost.changed_by == workshop_staff


def test_nothing_is_saved_when_the_prices_are_refused(client, workshop_staff, food):
    client.force_login(workshop_staff)
    data = page_data(open_page(client, food))
    data.update({"title": "Nama Baru", "pricing-price_online": "abc"})

    response = client.post(product_url(food), data)

    assert response.status_code == 200
    food.refresh_from_db()
    assert food.title == "Roti Tawar Gandum"


def test_workshop_choices_are_the_staffs_own_lapas(client, workshop_staff, food, other_lapas):
    WorkshopFactory(lapas=food.workshop.lapas, name="Bengkel Konveksi")
    foreign = WorkshopFactory(lapas=other_lapas, name="Bengkel Mebel Cipinang")
    client.force_login(workshop_staff)

    response = open_page(client, food)
    choices = {w.name for w in response.context["form"].fields["workshop"].queryset}

    assert choices == {"Bengkel Roti", "Bengkel Konveksi"}
    data = page_data(response)
    data["workshop"] = str(foreign.pk)
    refused = client.post(product_url(food), data)
    assert refused.context["form"].errors["workshop"]
    food.refresh_from_db()
    assert food.workshop.name == "Bengkel Roti"


def test_staff_of_another_lapas_cannot_open_or_price_the_product(
    client, other_workshop_staff, food
):
    client.force_login(other_workshop_staff)

    assert client.get(product_url(food)).status_code == 404
    response = client.post(
        product_url(food), {"title": "x", "pricing-price_online": "1", "is_public": "on"}
    )

    assert response.status_code == 404
    assert not PriceChange.objects.exists()


def test_workshop_staff_create_a_food_product_for_their_lapas(client, workshop_staff, product):
    pangan = food_class()
    pangan.slug = "pangan"
    pangan.save()
    client.force_login(workshop_staff)
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "pangan"})
    data = page_data(client.get(url))
    data.update(
        {
            "title": "Bolu Pandan",
            "upc": "KRY-TNG-0100",
            "workshop": str(product.workshop.pk),
            "productcategory_set-0-category": str(CategoryFactory(name="Kue").pk),
            "stockrecords-0-partner": str(product.workshop.lapas.pk),
            "stockrecords-0-partner_sku": "KRY-TNG-0100",
            "stockrecords-0-num_in_stock": "10",
            "pricing-price_online": "35000",
            "is_public": "on",
        }
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert not Product.objects.filter(upc="KRY-TNG-0100").exists()

    data.update({k: str(v) for k, v in COMPLETE_FOOD_LABEL.items()})
    created = client.post(url, data)

    assert created.status_code == 302, created.context["form"].errors
    bolu = Product.objects.get(upc="KRY-TNG-0100")
    assert bolu.is_public and bolu.workshop == product.workshop
    assert bolu.stockrecords.get().price == Decimal("35000")
    assert PriceChange.objects.get(product=bolu, channel="online").old_price is None


def test_bulk_publishing_goes_through_the_gate(client, workshop_staff, food):
    incomplete = food_product(
        title="Roti Sobek Keju", workshop=food.workshop, is_public=False, licence_number=""
    )
    food.is_public = False
    food.save()
    client.force_login(workshop_staff)
    chosen = client.post(
        reverse("dashboard:catalogue-product-list"),
        {"action": "make_products_public", "selected_product": [food.pk, incomplete.pk]},
    )

    response = client.post(
        chosen["Location"], {"selected_products": [food.pk, incomplete.pk]}, follow=True
    )

    food.refresh_from_db()
    incomplete.refresh_from_db()
    assert food.is_public
    assert not incomplete.is_public
    body = response.content.decode()
    assert "Roti Sobek Keju" in body and "nomor izin" in body


def test_bulk_price_updates_are_not_offered(client, workshop_staff, food):
    client.force_login(workshop_staff)

    response = client.get(reverse("dashboard:catalogue-product-list"))

    assert "set_product_price" not in response.context["actions"]


def test_central_staff_mark_a_product_class_as_food(client, central_admin):
    client.force_login(central_admin)

    body = client.get(reverse("dashboard:catalogue-class-create")).content.decode()

    assert 'name="is_food"' in body


def test_segments_are_managed_by_central_staff_only(client, central_admin, workshop_staff):
    client.force_login(workshop_staff)
    assert client.get("/admin/catalogue/segment/add/").status_code == 302  # to the login

    client.force_login(central_admin)
    response = client.post(
        "/admin/catalogue/segment/add/",
        # The admin edits each translated text per language (catalog/translation.py).
        {"name_ind": "Sekolah", "slug": "sekolah", "description_ind": "", "ordering": "50"},
    )

    assert response.status_code == 302
    assert Segment.objects.filter(slug="sekolah").exists()


def test_the_django_admin_publishes_through_the_gate_too(client, central_admin, product):
    incomplete = food_product(workshop=product.workshop, is_public=False, ingredients="")
    client.force_login(central_admin)
    url = f"/admin/catalogue/product/{incomplete.pk}/change/"
    form = client.get(url).context["adminform"].form

    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value not in (None, ""):
            data[name] = _value(field, value)
    for prefix in ("attribute_values", "productcategory_set", "primary_recommendations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data["is_public"] = "on"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "komposisi" in " ".join(response.context["adminform"].form.errors["is_public"])
    incomplete.refresh_from_db()
    assert not incomplete.is_public


def test_a_product_without_label_facts_opens_and_says_what_is_missing(
    client, workshop_staff, product
):
    client.force_login(workshop_staff)

    response = open_page(client, product)

    # The conftest product: goods without packaging or material yet.
    assert [f.field for f in response.context["missing_facts"]] == [
        "net_quantity",
        "ingredients",
        "gross_weight_grams",
    ]
    assert 'id="compliance_status"' in response.content.decode()
