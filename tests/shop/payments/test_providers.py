"""Payment source names shown in the reader's language (shop.payments.providers)."""

from django.template import Context, Template
from django.utils import translation

from shop.payments.providers import source_type_label


def test_the_counters_stored_indonesian_names_read_in_english_on_english_pages():
    with translation.override("en"):
        assert source_type_label("Tunai (POS)") == "Cash (POS)"
        assert source_type_label("Kartu (POS)") == "Card terminal (POS)"
    with translation.override("id"):
        assert source_type_label("Tunai (POS)") == "Tunai (POS)"
        assert source_type_label("Kartu (POS)") == "Kartu (POS)"


def test_other_names_are_looked_up_in_the_catalogue_as_they_are():
    with translation.override("id"):
        assert source_type_label("Bank transfer") == "Transfer bank"
        assert source_type_label("QRIS (POS)") == "QRIS (POS)"
        assert source_type_label("A name no provider writes") == "A name no provider writes"


def test_the_order_pages_filter_prints_the_label():
    template = Template(
        "{% load karya_orders %}{{ name|source_type_label }}|{{ empty|source_type_label }}"
    )
    with translation.override("en"):
        assert template.render(Context({"name": "Tunai (POS)", "empty": ""})) == "Cash (POS)|"
