"""Catalogue content in Indonesian and English (issue 18), with django-modeltranslation.

Each field listed here gets a column per language (``title_id``, ``title_en``): a
product is still one row, read with the same query as before, so translations cost no
join and no extra query. Reading ``product.title`` gives the active language's text
and falls back to Indonesian (settings.MODELTRANSLATION_FALLBACK_LANGUAGES); pages mark
that fallback (catalog.templatetags.catalogue_i18n, catalog.i18n). Facts that are codes, numbers or
the label's exact printed name (``label_name``) stay in one language.
"""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Segment = get_model("catalogue", "Segment")

PRODUCT_FIELDS = (
    "title",
    "description",
    "packaging_material",
    "ingredients",
    "allergens",
    "storage_instructions",
)


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = PRODUCT_FIELDS


@register(ProductClass)
class ProductClassTranslation(TranslationOptions):
    fields = ("name",)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Segment)
class SegmentTranslation(TranslationOptions):
    fields = ("name", "description")
