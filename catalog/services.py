"""Writes to the catalogue: publishing through the compliance gate, prices with their
history and the below-cost confirmation, and the licences' expiry: warnings to the Lapas
60 and 30 days ahead, and the withdrawal of a product whose licence has expired."""

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

from . import compliance, licences, pricing, selectors
from .choices import SalesChannel

Product = get_model("catalogue", "Product")
ProductChannelPrice = get_model("catalogue", "ProductChannelPrice")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
PriceChange = get_model("catalogue", "PriceChange")
LicenceWarning = get_model("catalogue", "LicenceWarning")
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
def product_withdraw_expired(*, product_id: int, today: date | None = None) -> bool:
    """Withdraw a product one of whose licences (food licence, halal or SNI certificate)
    has expired, and tell its Lapas's workshop staff. Returns whether it was withdrawn
    now; safe to run again. Withdrawn means not public: off the online shop and refused
    at the till (catalog.compliance.sale_refusal)."""
    today = today or timezone.localdate()
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("product_class", "workshop__lapas")
        .filter(pk=product_id)
        .first()
    )
    if product is None or not product.is_public:
        return False
    expired = licences.expired_licences(product, today=today)
    if not expired:
        return False
    product.is_public = False
    product.save(update_fields=["is_public", "date_updated"])

    from .tasks import product_withdrawal_notify

    transaction.on_commit(
        lambda: product_withdrawal_notify.delay(
            product_id=product.pk, expired_on=min(lic.expires_on for lic in expired).isoformat()
        )
    )
    return True


def _staff_mail(*, product, template: str, context: dict) -> int:
    recipients = selectors.lapas_workshop_staff_emails(product.lapas)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "product": product,
            "dashboard_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
            **context,
        }
        subject = render_to_string(f"catalogue/emails/{template}_subject.txt", context)
        body = render_to_string(f"catalogue/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)


def product_withdrawal_notify(*, product_id: int, expired_on: str) -> int:
    """E-mail the workshop staff of the product's Lapas that it was withdrawn, naming
    each licence that has expired. Returns the number of recipients."""
    product = Product.objects.select_related("workshop__lapas").filter(pk=product_id).first()
    if product is None:
        return 0
    day = parse_date(expired_on)
    expired = [
        lic for lic in licences.licence_list(product) if lic.expires_on and lic.expires_on <= day
    ] or licences.expired_licences(product, today=timezone.localdate())
    return _staff_mail(
        product=product,
        template="licence_withdrawn",
        context={"expired": expired, "expired_on": day},
    )


def licence_warnings_raise(*, today: date | None = None) -> list[int]:
    """Record a warning for each licence of a public product that expires within 60 days
    (and again within 30), once per licence, date and threshold; e-mails go out after
    commit. Returns the ids of the warnings raised now."""
    from .tasks import licence_warning_notify

    today = today or timezone.localdate()
    raised = []
    for product in licences.licence_candidates():
        for licence, days in licences.expiring_licences(product, today=today):
            with transaction.atomic():
                warning, created = LicenceWarning.objects.get_or_create(
                    product=product,
                    licence=licence.kind,
                    number=licence.number[:64],
                    expires_on=licence.expires_on,
                    days_before=days,
                )
            if created:
                raised.append(warning.pk)
                transaction.on_commit(
                    lambda pk=warning.pk: licence_warning_notify.delay(warning_id=pk)
                )
    return raised


@transaction.atomic
def licence_warning_notify(*, warning_id: int) -> int:
    """Send one warning's e-mail, once (a retried task finds it sent)."""
    warning = (
        LicenceWarning.objects.select_for_update(of=("self",))
        .select_related("product__workshop__lapas")
        .filter(pk=warning_id, sent_at__isnull=True)
        .first()
    )
    if warning is None:
        return 0
    licence = next(
        (
            lic
            for lic in licences.licence_list(warning.product)
            if lic.kind == warning.licence and lic.expires_on == warning.expires_on
        ),
        None,
    )
    if licence is None:  # renewed or removed meanwhile: nothing to warn about
        warning.sent_at = timezone.now()
        warning.save(update_fields=["sent_at"])
        return 0
    sent = _staff_mail(
        product=warning.product,
        template="licence_expiring",
        context={
            "licence": licence,
            "days_left": (warning.expires_on - timezone.localdate()).days,
        },
    )
    warning.sent_at = timezone.now()
    warning.save(update_fields=["sent_at"])
    return sent


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
