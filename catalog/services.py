"""Writes to the catalogue: publishing through the compliance gate, prices with their
history and the below-cost confirmation, and the withdrawal of products whose halal
certificate has expired."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from oscar.core.loading import get_model

from . import compliance, pricing, selectors
from .choices import SalesChannel

Product = get_model("catalogue", "Product")
ProductChannelPrice = get_model("catalogue", "ProductChannelPrice")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
PriceChange = get_model("catalogue", "PriceChange")
StockRecord = get_model("partner", "StockRecord")


# --- Publishing


@transaction.atomic
def product_publish(*, product, today: date | None = None):
    """Make ``product`` public, or raise ValidationError naming every missing fact."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    compliance.check_publishable(product, today=today)
    if not product.is_public:
        product.is_public = True
        product.save(update_fields=["is_public", "date_updated"])
    return product


@dataclass
class PublishResult:
    published: list
    refused: list  # (product, message)


def products_publish(*, products: Iterable, today: date | None = None) -> PublishResult:
    """Publish each product that passes the gate; the others are listed with the facts
    they lack. Each product is its own transaction: one refusal stops no other."""
    result = PublishResult(published=[], refused=[])
    for product in products:
        try:
            result.published.append(product_publish(product=product, today=today))
        except ValidationError:
            missing = compliance.missing_facts(product, today=today)
            result.refused.append((product, compliance.refusal_message(product, missing)))
    return result


@transaction.atomic
def product_unpublish(*, product):
    if product.is_public:
        product.is_public = False
        product.save(update_fields=["is_public", "date_updated"])
    return product


@transaction.atomic
def product_withdraw_expired_halal(*, product_id: int, today: date | None = None) -> bool:
    """Withdraw a food product whose halal certificate has expired and tell its Lapas's
    workshop staff. Returns whether it was withdrawn now; safe to run again."""
    today = today or timezone.localdate()
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("product_class", "workshop__lapas")
        .filter(pk=product_id)
        .first()
    )
    if product is None or not product.is_public or not product.halal_claimed:
        return False
    expiry = product.halal_certificate_expiry
    if compliance.rule_set(product) != compliance.RULES_FOOD or expiry is None or expiry >= today:
        return False
    product.is_public = False
    product.save(update_fields=["is_public", "date_updated"])

    from .tasks import product_withdrawal_notify

    transaction.on_commit(
        lambda: product_withdrawal_notify.delay(
            product_id=product.pk, expired_on=expiry.isoformat()
        )
    )
    return True


def product_withdrawal_notify(*, product_id: int, expired_on: str) -> int:
    """E-mail the workshop staff of the product's Lapas that it was withdrawn.
    Returns the number of recipients."""
    product = Product.objects.select_related("workshop__lapas").filter(pk=product_id).first()
    if product is None:
        return 0
    recipients = selectors.lapas_workshop_staff_emails(product.lapas)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "product": product,
            "expired_on": parse_date(expired_on),
            "dashboard_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
        }
        subject = render_to_string("catalogue/emails/halal_withdrawn_subject.txt", context)
        body = render_to_string("catalogue/emails/halal_withdrawn_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)


# --- Prices


def _desired_state(
    *, online, gallery, exhibition, tiers, cost_materials, cost_labor
) -> pricing.PricingState:
    return pricing.PricingState(
        online=online,
        gallery=gallery,
        exhibition=exhibition,
        tiers={int(q): p for q, p in tiers},
        cost_materials=cost_materials,
        cost_labor=cost_labor,
    )


@transaction.atomic
def product_pricing_set(
    *,
    product,
    user,
    online=None,
    gallery=None,
    exhibition=None,
    tiers: Iterable[tuple[int, object]] = (),
    cost_materials=None,
    cost_labor=None,
    confirm_below_cost: bool = False,
) -> list:
    """Set every price and the unit cost of ``product`` to exactly the given values
    (None clears a channel price or a cost) and record each change in its history.

    A price below the unit cost that this change introduces is refused unless
    ``confirm_below_cost``; the confirmation is recorded on the change rows with who
    and when. Raises ValidationError by form field name; nothing is written then.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    current = selectors.pricing_state(product)
    desired = _desired_state(
        online=online,
        gallery=gallery,
        exhibition=exhibition,
        tiers=tiers,
        cost_materials=cost_materials,
        cost_labor=cost_labor,
    )
    errors = pricing.pricing_errors(
        current=current, desired=desired, confirm_below_cost=confirm_below_cost
    )
    if errors:
        raise ValidationError(errors)
    changed = pricing.changes(current, desired)
    if not changed:
        return []
    under = {(channel, q) for channel, q, _price in pricing.below_cost(current, desired)}

    if desired.online != current.online:
        for stockrecord in StockRecord.objects.filter(product=product):
            stockrecord.price = desired.online
            stockrecord.save(update_fields=["price", "date_updated"])
    for channel in (SalesChannel.GALLERY, SalesChannel.EXHIBITION):
        price = getattr(desired, channel)
        if price is None:
            ProductChannelPrice.objects.filter(product=product, channel=channel).delete()
        else:
            ProductChannelPrice.objects.update_or_create(
                product=product, channel=channel, defaults={"price": price}
            )
    if desired.tiers != current.tiers:
        product.price_tiers.exclude(min_quantity__in=list(desired.tiers)).delete()
        for min_quantity, price in desired.tiers.items():
            ProductPriceTier.objects.update_or_create(
                product=product, min_quantity=min_quantity, defaults={"price": price}
            )
    if (product.cost_materials, product.cost_labor) != (cost_materials, cost_labor):
        product.cost_materials, product.cost_labor = cost_materials, cost_labor
        product.save(update_fields=["cost_materials", "cost_labor", "date_updated"])

    now = timezone.now()
    rows = [
        PriceChange(
            product=product,
            channel=channel,
            min_quantity=min_quantity,
            old_price=old,
            new_price=new,
            unit_cost=desired.unit_cost,
            below_cost_confirmed=bool(
                under
                and confirm_below_cost
                and ((channel, min_quantity) in under or channel == "cost")
            ),
            changed_by=user if getattr(user, "is_authenticated", False) else None,
            changed_at=now,
        )
        for channel, min_quantity, old, new in changed
    ]
    return PriceChange.objects.bulk_create(rows)
