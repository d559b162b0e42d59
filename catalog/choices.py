"""Choices shared by the catalogue's models, forms, API and strategy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesChannel(models.TextChoices):
    """Where a sale happens; each may have its own price (catalog.pricing)."""

    ONLINE = "online", _("Online shop")
    GALLERY = "gallery", _("Gallery (point of sale)")
    EXHIBITION = "exhibition", _("Exhibition (point of sale)")


class PriceChannel(models.TextChoices):
    """What a PriceChange row is about: a channel price, a tier, or the unit cost."""

    ONLINE = "online", _("Online shop")
    GALLERY = "gallery", _("Gallery (point of sale)")
    EXHIBITION = "exhibition", _("Exhibition (point of sale)")
    INSTITUTIONAL = "institutional", _("Institutional tier")
    COST = "cost", _("Unit cost basis")


class PackagingType(models.TextChoices):
    POUCH = "pouch", _("Pouch")
    BOX = "box", _("Box")
    JAR = "jar", _("Jar")
    BOTTLE = "bottle", _("Bottle")
    BAG = "bag", _("Bag")
    WRAP = "wrap", _("Wrap")
    TRAY = "tray", _("Tray")
    CRATE = "crate", _("Crate")
    NONE = "none", _("No packaging")


class NetQuantityUnit(models.TextChoices):
    GRAM = "g", _("g")
    KILOGRAM = "kg", _("kg")
    MILLILITRE = "ml", _("ml")
    LITRE = "l", _("l")
    PIECES = "pcs", _("pcs")


class LicenceType(models.TextChoices):
    PIRT = "pirt", _("P-IRT (home-industry food licence)")
    BPOM = "bpom", _("BPOM registration (MD or ML)")
    PSAT = "psat", _("PSAT registration (fresh produce, PD or PL)")
