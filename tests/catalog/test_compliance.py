"""The label-compliance gate (catalog.compliance) and the label format rules."""

import pytest
from django.core.exceptions import ValidationError

from catalog import compliance, services, validators
from tests.catalog.helpers import (
    COMPLETE_FOOD_LABEL,
    food_product,
    goods_product,
    halal_until,
    service_class,
)
from tests.factories import ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def missing(product):
    return [fact.field for fact in compliance.missing_facts(product)]


def test_a_food_product_with_a_complete_label_may_be_published(product):
    food = food_product(workshop=product.workshop)

    assert compliance.rule_set(food) == compliance.RULES_FOOD
    assert missing(food) == []


@pytest.mark.parametrize(
    ("field", "empty", "named"),
    [
        ("licence_number", "", "licence number"),
        ("ingredients", "", "ingredients"),
        ("net_quantity", None, "net quantity"),
        ("net_quantity_unit", "", "net quantity"),
        ("shelf_life_days", None, "shelf life"),
        ("gross_weight_grams", None, "gross weight"),
    ],
)
def test_each_missing_food_fact_is_named(product, field, empty, named):
    food = food_product(workshop=product.workshop, **{field: empty})

    facts = compliance.missing_facts(food)

    assert len(facts) == 1
    assert named in str(facts[0])
    assert named in compliance.refusal_message(food, facts)


def test_a_licence_number_needs_its_type(product):
    food = food_product(workshop=product.workshop, licence_type="")

    assert missing(food) == ["licence_type"]


def test_claiming_halal_needs_a_certificate_number_and_expiry(product):
    no_number = food_product(workshop=product.workshop, halal_certificate_number="")
    no_expiry = food_product(workshop=product.workshop, halal_certificate_expiry=None)
    not_claimed = food_product(
        workshop=product.workshop,
        halal_claimed=False,
        halal_certificate_number="",
        halal_certificate_expiry=None,
    )

    assert missing(no_number) == ["halal_certificate_number"]
    assert missing(no_expiry) == ["halal_certificate_expiry"]
    assert missing(not_claimed) == []


def test_an_expired_halal_certificate_blocks_a_food_product(product):
    expired = food_product(workshop=product.workshop, **halal_until(-1))
    last_day = food_product(workshop=product.workshop, **halal_until(0))

    facts = compliance.missing_facts(expired)

    assert [f.field for f in facts] == ["halal_certificate_expiry"]
    assert "expired" in str(facts[0])
    assert missing(last_day) == []


def test_goods_need_net_quantity_material_and_gross_weight(product):
    complete = goods_product(workshop=product.workshop)
    bare = ProductFactory(workshop=product.workshop)

    assert compliance.rule_set(complete) == compliance.RULES_GOODS
    assert missing(complete) == []
    assert missing(bare) == ["net_quantity", "ingredients", "gross_weight_grams"]
    assert "material" in str(compliance.missing_facts(bare)[1])


def test_goods_do_not_need_food_facts(product):
    chair = goods_product(workshop=product.workshop, licence_number="", shelf_life_days=None)

    assert missing(chair) == []


def test_services_have_no_label_rules(product):
    car_wash = ProductFactory(workshop=product.workshop, product_class=service_class())

    assert compliance.rule_set(car_wash) == compliance.RULES_SERVICE
    assert missing(car_wash) == []


def test_publishing_through_the_service_is_refused_with_the_missing_facts(product):
    food = food_product(workshop=product.workshop, is_public=False, licence_number="")

    with pytest.raises(ValidationError) as refused:
        services.product_publish(product=food)

    assert "licence number" in " ".join(refused.value.message_dict["is_public"])
    assert "licence_number" in refused.value.message_dict
    food.refresh_from_db()
    assert not food.is_public


def test_publishing_a_complete_product_through_the_service(product):
    food = food_product(workshop=product.workshop, is_public=False)

    services.product_publish(product=food)

    food.refresh_from_db()
    assert food.is_public


def test_bulk_publishing_publishes_the_complete_and_names_what_the_others_lack(product):
    ready = food_product(workshop=product.workshop, is_public=False)
    not_ready = food_product(workshop=product.workshop, is_public=False, ingredients="")

    result = services.products_publish(products=[ready, not_ready])

    assert result.published == [ready]
    assert [(p, "ingredients" in m) for p, m in result.refused] == [(not_ready, True)]


# --- Formats: a bad value gets a message naming its field


def label_errors(**values):
    """What Product.clean (through catalog.validators) says about these facts."""
    return validators.label_errors(ProductFactory.build(**{**COMPLETE_FOOD_LABEL, **values}))


@pytest.mark.parametrize("number", ["2063671010001-29", "206367101000129", "20636710100012930"])
def test_good_pirt_numbers(number):
    assert label_errors(licence_number=number) == {}


@pytest.mark.parametrize("number", ["12345", "2063671010001", "P-IRT 2063671010001-2X"])
def test_a_pirt_number_needs_15_digits(number):
    errors = label_errors(licence_number=number)

    assert "P-IRT" in errors["licence_number"][0]
    assert "15" in errors["licence_number"][0]


@pytest.mark.parametrize("number", ["MD 224510001234", "ML224510001234", "md 2245 1000 1234"])
def test_good_bpom_numbers(number):
    assert label_errors(licence_type="bpom", licence_number=number) == {}


@pytest.mark.parametrize("number", ["224510001234", "MK 224510001234", "MD"])
def test_a_bpom_number_is_md_or_ml_and_digits(number):
    errors = label_errors(licence_type="bpom", licence_number=number)

    assert "BPOM" in errors["licence_number"][0]


def test_a_halal_number_needs_its_expiry_and_the_other_way_round():
    without_expiry = label_errors(**{**halal_until(30), "halal_certificate_expiry": None})
    without_number = label_errors(**{**halal_until(30), "halal_certificate_number": ""})

    assert "expiry" in without_expiry["halal_certificate_expiry"][0].lower()
    assert "Halal certificate number" in without_number["halal_certificate_number"][0]


def test_field_formats_of_halal_and_sni_numbers():
    product = ProductFactory.build(
        **COMPLETE_FOOD_LABEL,
        halal_certificate_number="HALAL-123",
        halal_certificate_expiry=None,
        sni_number="ISO 9001",
    )

    with pytest.raises(ValidationError) as error:
        product.clean_fields(exclude=["product_class", "workshop", "upc", "slug"])

    assert "Halal certificate number" in error.value.message_dict["halal_certificate_number"][0]
    assert "SNI number" in error.value.message_dict["sni_number"][0]


def test_good_sni_numbers():
    for number in ("SNI 8100:2015", "SNI ISO 8124-1:2010", "SNI 01-3719-1995"):
        ProductFactory.build(sni_number=number).clean_fields(
            exclude=["product_class", "workshop", "upc", "slug"]
        )


def test_net_quantity_and_dimensions_come_with_their_partners():
    errors = label_errors(net_quantity_unit="", length_cm=10)

    assert "net_quantity_unit" in errors
    assert {"width_cm", "height_cm"} <= set(errors)


def test_the_producer_line_comes_from_the_lapas_and_its_address(product):
    food = food_product(workshop=product.workshop)

    assert food.producer_line == (
        "Lapas Kelas I Tangerang, Jl. Veteran No. 2, Kota Tangerang, Banten 15111"
    )


def test_product_clean_refuses_a_bad_licence_number_naming_the_field(product):
    food = food_product(workshop=product.workshop)
    food.clean()
    food.licence_number = "123"

    with pytest.raises(ValidationError) as error:
        food.clean()

    assert "Licence number" in error.value.message_dict["licence_number"][0]
