from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    """Oscar's product, plus the workshop (and so the Lapas) that makes it."""

    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="products",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The prison workshop (bengkel kerja) that makes this product."),
    )


from oscar.apps.catalogue.models import *  # noqa: E402,F403
