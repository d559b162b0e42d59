"""Payment providers behind one interface, after pretix's providers.

Oscar's checkout view only picks a provider and records what it returns as Oscar
payment sources and events; every provider-specific step lives in its provider.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.apps.payment.exceptions import PaymentError

from . import stripe_client
from .money import rupiah_to_stripe
from .selectors import STRIPE_SOURCE_TYPE, stripe_payment_intent_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentOutcome:
    """What a provider did, for the checkout to record against the order."""

    source_type: str
    amount_allocated: Decimal
    amount_debited: Decimal = Decimal("0")
    reference: str = ""
    # A payment event to record now (e.g. "Paid"), or "" when money is still to come.
    event_type: str = ""


@dataclass(frozen=True)
class RefundOutcome:
    """What a provider did with a refund: its reference and a payments.Refund status."""

    reference: str
    status: str
    # The provider's own word for the status (Stripe: pending, succeeded, failed, …).
    provider_status: str = ""


class PaymentProvider:
    identifier: str = ""
    verbose_name = ""
    description = ""
    # The name of the Oscar payment SourceType its payments are recorded under.
    source_type_name = ""
    # A manual refund (money sent back by staff) needs the reference of that transfer.
    refund_needs_reference = False
    # Online providers appear at checkout; point-of-sale methods only at the POS.
    channels: tuple[str, ...] = ("online",)

    def is_allowed(self, *, basket, channel: str = "online") -> bool:
        return channel in self.channels

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        """Take (or prepare) the payment of ``orders``, once per checkout, after the orders
        exist and their stock is allocated (shop.apps.order.placement); one outcome per
        order number. Called inside the placement's transaction: raising PaymentError
        places nothing. POS sales have no ``checkout``."""
        raise NotImplementedError

    def payment_url(self, *, checkout) -> str:
        """Where the buyer goes right after placing the checkout to pay it ("" when there
        is nothing to do there: the checkout's thank-you page follows)."""
        return ""

    def execute_refund(self, *, refund) -> RefundOutcome:
        """Give back ``refund.amount`` (a payments.Refund) through the provider."""
        raise NotImplementedError


_REGISTRY: dict[str, PaymentProvider] = {}


def register(provider_cls):
    provider = provider_cls()
    _REGISTRY[provider.identifier] = provider
    return provider_cls


def get_provider(identifier: str) -> PaymentProvider | None:
    return _REGISTRY.get(identifier)


def provider_for_order(order) -> PaymentProvider | None:
    """The provider that took an order's money, found from its Oscar payment source."""
    names = set(order.sources.values_list("source_type__name", flat=True))
    for provider in _REGISTRY.values():
        if provider.source_type_name and provider.source_type_name in names:
            return provider
    return None


def allowed_providers(*, basket, channel: str = "online") -> list[PaymentProvider]:
    return [p for p in _REGISTRY.values() if p.is_allowed(basket=basket, channel=channel)]


@register
class BankTransferProvider(PaymentProvider):
    """The buyer transfers to the Lapas's account; staff mark the order paid."""

    identifier = "bank_transfer"
    verbose_name = _("Bank transfer")
    description = _(
        "Transfer the total to the account of the Lapas shown after you place the order. "
        "Your order is prepared once the transfer is confirmed."
    )
    source_type_name = "Bank transfer"
    refund_needs_reference = True

    def is_allowed(self, *, basket, channel: str = "online") -> bool:
        if not super().is_allowed(basket=basket, channel=channel):
            return False
        # Every Lapas in the basket must have an account to pay into.
        partners = {line.stockrecord.partner for line in basket.all_lines() if line.stockrecord}
        return bool(partners) and all(p.accepts_bank_transfer for p in partners)

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        # Nothing is taken now: each Lapas's money arrives later, on its own account, and
        # its staff record it; the order number is the transfer's reference.
        return {
            order.number: PaymentOutcome(
                source_type=self.source_type_name,
                amount_allocated=order.total_incl_tax,
                reference=order.number,
            )
            for order in orders
        }

    def execute_refund(self, *, refund) -> RefundOutcome:
        # Staff have already sent the money back from the Lapas's account; the refund
        # records that transfer's reference.
        from .models import Refund

        return RefundOutcome(reference=refund.reference, status=Refund.Status.SUCCEEDED)


class RefundRefused(PaymentError):
    """The provider refused a refund; the message says why, for the staff member."""


@register
class StripeProvider(PaymentProvider):
    """Card payments through a Stripe PaymentIntent and Stripe's Payment Element.

    Placing the order creates the PaymentIntent, and the order (with its stock) is kept
    awaiting payment; the buyer then pays on our pay page, where Stripe.js sends the card
    details straight to Stripe. The order is marked paid by whichever arrives first, the
    buyer's return from Stripe or Stripe's webhook (shop/payments/stripe_services.py).
    """

    identifier = "stripe"
    verbose_name = _("Card (Visa, Mastercard, JCB)")
    description = _(
        "Pay by debit or credit card on the next page, right after you place the order. "
        "Your card details go straight to Stripe, our payment processor: Karya never sees "
        "them. Cards that ask for 3-D Secure confirmation are supported."
    )
    source_type_name = STRIPE_SOURCE_TYPE

    def is_allowed(self, *, basket, channel: str = "online") -> bool:
        # Without keys the method is simply not offered.
        return super().is_allowed(basket=basket, channel=channel) and (
            stripe_client.stripe_is_configured()
        )

    @staticmethod
    def payment_idempotency_key(*, order_number: str, amount_minor: int) -> str:
        # A retried or repeated placement of the same order gets the same PaymentIntent
        # back from Stripe, never a second one. Oscar reuses an order number when placing
        # failed and the buyer changed the basket; Stripe refuses a key reused with other
        # parameters, so the amount is part of the key.
        return f"karya-order-{order_number}-pi-{amount_minor}"

    def execute_payment(self, *, order_number: str, total, basket) -> PaymentOutcome:
        amount = total.incl_tax
        amount_minor = rupiah_to_stripe(amount)
        try:
            intent = stripe_client.payment_intent_create(
                amount_minor=amount_minor,
                order_number=order_number,
                idempotency_key=self.payment_idempotency_key(
                    order_number=order_number, amount_minor=amount_minor
                ),
                description=f"Karya order {order_number}",
            )
        except stripe_client.StripeError as error:
            logger.error("Order %s: Stripe refused the PaymentIntent: %s", order_number, error)
            # Oscar restores the basket and tells the buyer nothing was taken.
            raise PaymentError(str(error)) from error
        # Nothing is taken yet: the buyer pays on the pay page once the order is placed.
        return PaymentOutcome(
            source_type=self.source_type_name, amount_allocated=amount, reference=intent.id
        )

    def payment_url(self, *, order) -> str:
        return reverse("payments:stripe-pay", kwargs={"order_number": order.number})

    # Stripe's refund statuses, as a payments.Refund status.
    REFUND_STATUSES = {
        "succeeded": "succeeded",
        "pending": "pending",
        "requires_action": "pending",
        "failed": "failed",
        "canceled": "failed",
    }

    def execute_refund(self, *, refund) -> RefundOutcome:
        """Refund ``refund.amount`` of the order's card payment, once per refund.

        ``refund.idempotency_key`` goes to Stripe, so a retried call returns the first
        refund instead of making a second one. Raises RefundRefused with Stripe's reason
        when Stripe refuses (e.g. more than is left to refund), PaymentError when Stripe
        cannot be reached (retrying is safe).
        """
        order = refund.order
        intent_id = stripe_payment_intent_id(order=order)
        if not intent_id:
            raise RefundRefused(
                gettext("Order %(number)s was not paid by card, so Stripe cannot refund it.")
                % {"number": order.number}
            )
        try:
            stripe_refund = stripe_client.refund_create(
                payment_intent_id=intent_id,
                amount_minor=rupiah_to_stripe(refund.amount),
                idempotency_key=refund.idempotency_key,
                metadata={"order_number": order.number, "refund_id": str(refund.pk or "")},
            )
        except (stripe_client.InvalidRequestError, stripe_client.IdempotencyError) as error:
            logger.warning("Order %s: Stripe refused refund %s: %s", order.number, refund.pk, error)
            raise RefundRefused(
                gettext("Stripe refused the refund: %(reason)s")
                % {"reason": error.user_message or str(error)}
            ) from error
        except stripe_client.StripeError as error:
            logger.error("Order %s: refund %s failed at Stripe: %s", order.number, refund.pk, error)
            raise PaymentError(
                gettext("Stripe could not be reached for the refund; please try again.")
            ) from error
        return RefundOutcome(
            reference=stripe_refund.id,
            status=self.REFUND_STATUSES.get(stripe_refund.status, "pending"),
            provider_status=stripe_refund.status,
        )
