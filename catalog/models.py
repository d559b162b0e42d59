from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductClass

from . import validators
from .choices import LicenceType, NetQuantityUnit, PackagingType, PriceChannel, SalesChannel


class Segment(models.Model):
    """A buyer segment (segmentasi pasar): households, offices and institutions, …

    Segments are data, managed by central staff; products target one or more of them
    through ``Product.segments``, which reports can later group sales by.
    """

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="segments", blank=True, max_length=255)
    ordering = models.PositiveSmallIntegerField(
        _("ordering"), default=0, help_text=_("Segments are listed from low to high numbers.")
    )

    class Meta:
        app_label = "catalogue"
        ordering = ("ordering", "name")
        verbose_name = _("buyer segment")
        verbose_name_plural = _("buyer segments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:segment", kwargs={"slug": self.slug})


class ProductClass(AbstractProductClass):
    """Oscar's product class, plus whether its products are food (pangan).

    Food carries the strict label rules of the compliance gate (catalog.compliance).
    """

    is_food = models.BooleanField(
        _("food"),
        default=False,
        help_text=_(
            "Food products may only be published with a complete label: licence number, "
            "ingredients, net quantity, shelf life and, if halal is claimed, a valid "
            "halal certificate."
        ),
    )


rupiah_validators = [MinValueValidator(Decimal("0"))]


class Product(AbstractProduct):
    """Oscar's product, plus the workshop (and so the Lapas) that makes it, its buyer
    segments, its cost basis, and its packaging and label facts.

    Packaging and label facts are fields on the product rather than one-to-one models:
    every product has exactly one label and one packaging, they are read with the
    product on every page, card and API call (no extra join or query), edited in the same
    dashboard form and judged together by the compliance gate (catalog.compliance).
    Prices per channel and tiers are rows of their own (ProductChannelPrice,
    ProductPriceTier), because a product has any number of them; the online price is the
    stock record's price, Oscar's own, so Oscar's listings and sorting keep working.
    """

    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="products",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The prison workshop (bengkel kerja) that makes this product."),
    )
    segments = models.ManyToManyField(
        Segment,
        verbose_name=_("buyer segments"),
        related_name="products",
        blank=True,
        help_text=_("The buyers this product is marketed to."),
    )

    # Cost basis: what one unit costs to make. Written only by
    # catalog.services.product_pricing_set, which records every change.
    cost_materials = models.DecimalField(
        _("materials cost per unit"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=rupiah_validators,
    )
    cost_labor = models.DecimalField(
        _("labour cost per unit"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=rupiah_validators,
    )

    # Packaging (kemasan)
    packaging_type = models.CharField(
        _("packaging type"), max_length=16, choices=PackagingType.choices, blank=True
    )
    packaging_material = models.CharField(
        _("packaging material"),
        max_length=128,
        blank=True,
        help_text=_("E.g. food-grade plastic, kraft paper, glass, cardboard."),
    )
    packaging_recyclable = models.BooleanField(_("recyclable packaging"), default=False)
    net_quantity = models.DecimalField(
        _("net quantity"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[validators.validate_positive],
    )
    net_quantity_unit = models.CharField(
        _("net quantity unit"), max_length=4, choices=NetQuantityUnit.choices, blank=True
    )
    gross_weight_grams = models.PositiveIntegerField(
        _("gross weight (g)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Packed weight in grams. Required for goods that are shipped."),
    )
    length_cm = models.DecimalField(
        _("length (cm)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validators.validate_positive],
    )
    width_cm = models.DecimalField(
        _("width (cm)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validators.validate_positive],
    )
    height_cm = models.DecimalField(
        _("height (cm)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validators.validate_positive],
    )
    units_per_pack = models.PositiveIntegerField(
        _("units per pack"), default=1, validators=[MinValueValidator(1)]
    )

    # Label (pelabelan)
    label_name = models.CharField(
        _("name on the label"),
        max_length=255,
        blank=True,
        help_text=_("The product name exactly as printed on the label."),
    )
    ingredients = models.TextField(
        _("composition or ingredients"),
        blank=True,
        help_text=_("Ingredients in descending order of weight, or the materials of goods."),
    )
    allergens = models.CharField(
        _("allergens"), max_length=255, blank=True, help_text=_("E.g. wheat, milk, egg, nuts.")
    )
    storage_instructions = models.CharField(_("storage instructions"), max_length=255, blank=True)
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    licence_type = models.CharField(
        _("licence type"), max_length=8, choices=LicenceType.choices, blank=True
    )
    licence_number = models.CharField(
        _("licence number"),
        max_length=32,
        blank=True,
        help_text=_(
            "P-IRT: at least 15 digits. BPOM: MD or ML followed by digits. PSAT (fresh "
            "produce): PD or PL followed by digits."
        ),
    )
    licence_issued_on = models.DateField(
        _("licence issued on"),
        null=True,
        blank=True,
        help_text=_("A P-IRT is valid for five years from this date."),
    )
    licence_expires_on = models.DateField(
        _("licence expires on"),
        null=True,
        blank=True,
        help_text=_(
            "Required for PSAT. For a P-IRT it follows from the issue date, or else from "
            "the last two digits of its number (the year it expires)."
        ),
    )
    halal_claimed = models.BooleanField(
        _("claims halal"),
        default=False,
        help_text=_("Only a product with a valid halal certificate may claim halal."),
    )
    halal_certificate_number = models.CharField(
        _("halal certificate number"),
        max_length=40,
        blank=True,
        validators=[validators.validate_halal_number],
    )
    halal_certificate_expiry = models.DateField(
        _("halal certificate expiry"), null=True, blank=True
    )
    sni_number = models.CharField(
        _("SNI number"),
        max_length=64,
        blank=True,
        validators=[validators.validate_sni_number],
        help_text=_("Only where the product claims an Indonesian national standard."),
    )
    sni_certificate_expiry = models.DateField(
        _("SNI certificate expiry"),
        null=True,
        blank=True,
        help_text=_("The date the certificate for the SNI mark (SPPT-SNI) expires."),
    )

    class Meta(AbstractProduct.Meta):
        indexes = [
            # The listings' default order (catalog.selectors.product_list) over what they
            # list: the first page of 10,000 products is read from the index, not sorted.
            models.Index(
                F("priority").desc(),
                F("date_created").desc(),
                F("id").desc(),
                name="catalogue_browse_newest",
                condition=Q(is_public=True, parent__isnull=True),
            ),
        ]

    def clean(self):
        super().clean()
        errors = validators.label_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def unit_cost(self):
        """Materials plus labour per unit, or None while neither is known."""
        if self.cost_materials is None and self.cost_labor is None:
            return None
        return (self.cost_materials or 0) + (self.cost_labor or 0)

    @property
    def net_quantity_display(self) -> str:
        if self.net_quantity is None:
            return ""
        return (
            f"{validators.plain_number(self.net_quantity)} {self.get_net_quantity_unit_display()}"
        )

    @property
    def net_quantity_on_card(self) -> bool:
        """Listing cards skip the obvious "1 pcs" of a single item."""
        if self.net_quantity is None:
            return False
        return not (self.net_quantity == 1 and self.net_quantity_unit == "pcs")

    @property
    def dimensions_display(self) -> str:
        sizes = [self.length_cm, self.width_cm, self.height_cm]
        if any(size is None for size in sizes):
            return ""
        return " × ".join(validators.plain_number(size) for size in sizes) + " cm"

    @property
    def best_price_tier(self):
        """The tier with the lowest unit price (reads prefetched tiers: no query)."""
        tiers = list(self.price_tiers.all())
        return min(tiers, key=lambda tier: tier.price) if tiers else None

    @property
    def lapas(self):
        return self.workshop.lapas if self.workshop_id else None

    @property
    def producer_line(self) -> str:
        """The producer as the label prints it: the Lapas's name and postal address."""
        return self.producer_line_of(self.lapas)

    @staticmethod
    def producer_line_of(lapas) -> str:
        if lapas is None:
            return ""
        address = lapas.primary_address
        if address is None:
            return lapas.name
        parts = [address.line1, address.line2, address.line3, address.line4, address.state]
        place = ", ".join(p for p in parts if p)
        if address.postcode:
            place = f"{place} {address.postcode}"
        return f"{lapas.name}, {place}"


class ProductChannelPrice(models.Model):
    """The price of a product at a point of sale: the gallery or an exhibition.

    The online price is the stock record's price; a channel without a row sells at it.
    """

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="channel_prices",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(
        _("sales channel"),
        max_length=16,
        choices=[(c.value, c.label) for c in SalesChannel if c != SalesChannel.ONLINE],
    )
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=0, validators=rupiah_validators
    )

    class Meta:
        app_label = "catalogue"
        verbose_name = _("channel price")
        verbose_name_plural = _("channel prices")
        constraints = [
            models.UniqueConstraint(
                fields=("product", "channel"), name="channel_price_unique_per_product"
            )
        ]

    def __str__(self):
        return f"{self.product} · {self.get_channel_display()}: {self.price}"


class ProductPriceTier(models.Model):
    """An institutional price: from ``min_quantity`` units in one basket line, each unit
    costs ``price``. Applies to buyers in the institutional buyer group only."""

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="price_tiers",
        on_delete=models.CASCADE,
    )
    min_quantity = models.PositiveIntegerField(
        _("minimum quantity"), validators=[MinValueValidator(2)]
    )
    price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=0, validators=rupiah_validators
    )

    class Meta:
        app_label = "catalogue"
        ordering = ("min_quantity",)
        verbose_name = _("institutional price tier")
        verbose_name_plural = _("institutional price tiers")
        constraints = [
            models.UniqueConstraint(
                fields=("product", "min_quantity"), name="price_tier_unique_quantity"
            )
        ]

    def __str__(self):
        return f"{self.product} ≥{self.min_quantity}: {self.price}"


class PriceChange(models.Model):
    """One change of one price (or of the unit cost basis) of a product. Never edited."""

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="price_changes",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(_("price"), max_length=16, choices=PriceChannel.choices)
    min_quantity = models.PositiveIntegerField(
        _("minimum quantity"), null=True, blank=True, help_text=_("For institutional tiers.")
    )
    old_price = models.DecimalField(
        _("old price"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    new_price = models.DecimalField(
        _("new price"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    unit_cost = models.DecimalField(
        _("unit cost at the time"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    below_cost_confirmed = models.BooleanField(
        _("below cost, confirmed"),
        default=False,
        help_text=_("The person who saved this price confirmed selling below the unit cost."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        app_label = "catalogue"
        ordering = ("-changed_at", "-pk")
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")

    def __str__(self):
        return f"{self.product} · {self.get_channel_display()}: {self.old_price} → {self.new_price}"


class LicenceWarning(models.Model):
    """A warning sent to a Lapas that one licence of a product expires soon; one row per
    licence, expiry date and threshold, so the daily sweep warns each once (a renewed
    licence, with its new date, is warned about again when its time comes)."""

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="licence_warnings",
        on_delete=models.CASCADE,
    )
    licence = models.CharField(_("licence"), max_length=8)
    number = models.CharField(_("number"), max_length=64)
    expires_on = models.DateField(_("expires on"))
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        app_label = "catalogue"
        ordering = ("expires_on", "pk")
        verbose_name = _("licence expiry warning")
        verbose_name_plural = _("licence expiry warnings")
        constraints = [
            models.UniqueConstraint(
                fields=("product", "licence", "number", "expires_on", "days_before"),
                name="licencewarning_once",
            )
        ]

    def __str__(self):
        return f"{self.product_id} {self.licence} {self.expires_on} (-{self.days_before})"


from oscar.apps.catalogue.models import *  # noqa: E402,F403
