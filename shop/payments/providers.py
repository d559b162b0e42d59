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
    # The stored name in the reader's language, where the name is not an English msgid.
    source_type_label = None
    # A manual refund (money sent back by staff) needs the reference of that transfer.
    refund_needs_reference = False
    # Online providers appear at checkout; point-of-sale methods only at the POS.
    channels: tuple[str, ...] = ("online",)

    def is_allowed(self, *, basket, channel: str = "online") -> bool:
        return channel in self.channels

    def prepare_payment(self, *, number: str, amount: Decimal, order_numbers=()):
        """Talk to the outside world before the placement takes any lock: called by
        checkout_place outside its transaction with the checkout's number, total and the
        numbers its orders will have.
        What it returns reaches ``execute_payment`` as ``checkout.prepared_payment``.
        Raising PaymentError places nothing. Most providers have nothing to prepare."""
        return None

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        """Take (or prepare) the payment of ``orders``, once per checkout, after the orders
        exist and their stock is allocated (shop.apps.order.placement); one outcome per
        order number. Called inside the placement's transaction, under the stock locks:
        a provider that must call out (Stripe) does so in ``prepare_payment``. Raising
        PaymentError places nothing. POS sales have no ``checkout``."""
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


def source_type_label(name: str) -> str:
    """A payment source type's name in the reader's language. The stored names are fixed
    identifiers, some of them Indonesian ("Tunai (POS)"): a provider that writes such a name
    gives its label through gettext; other names are looked up in the catalogue as they are."""
    for provider in _REGISTRY.values():
        if provider.source_type_name == name and provider.source_type_label:
            return str(provider.source_type_label)
    return gettext(name)


def allowed_providers(*, basket, channel: str = "online") -> list[PaymentProvider]:
    return [p for p in _REGISTRY.values() if p.is_allowed(basket=basket, channel=channel)]


def unavailable_reasons(*, basket, channel: str = "online") -> list[str]:
    """For the payment page: why a method that could be offered is not, for this basket."""
    reasons = []
    for provider in _REGISTRY.values():
        reason = getattr(provider, "unavailable_reason", None)
        if reason is not None and (text := reason(basket=basket, channel=channel)):
            reasons.append(text)
    return reasons


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
    """Card payments through Stripe Connect, "separate charges and transfers".

    Placing a checkout creates one PaymentIntent on the platform's account for all its
    orders, with the checkout number as its ``transfer_group``; the orders (with their
    stock) are kept awaiting payment while the buyer pays on our pay page, where Stripe.js
    sends the card details straight to Stripe. Whichever comes first, the buyer's return
    or Stripe's webhook, marks every order paid (shop/payments/stripe_services.py), and
    each order's amount is then transferred to its Lapas's connected account. A refund of
    one order refunds the charge by that amount and reverses that order's transfer.
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
        # Without keys the method is simply not offered; nor when a Lapas in the basket
        # has no connected account its share could be transferred to.
        return (
            super().is_allowed(basket=basket, channel=channel)
            and stripe_client.stripe_is_configured()
            and not self.lapas_without_account(basket=basket)
        )

    @staticmethod
    def lapas_without_account(*, basket) -> list:
        """The Lapas in the basket that cannot be paid by card (no connected account)."""
        if basket is None:
            return []
        missing = []
        for line in basket.all_lines():
            partner = line.stockrecord.partner if line.stockrecord else None
            if partner is not None and not partner.accepts_card and partner not in missing:
                missing.append(partner)
        return missing

    def unavailable_reason(self, *, basket, channel: str = "online") -> str:
        """Why the card is not offered for this basket, for the payment page ("" when it
        is offered, or when card payments are simply off)."""
        if not stripe_client.stripe_is_configured() or channel not in self.channels:
            return ""
        missing = self.lapas_without_account(basket=basket)
        if not missing:
            return ""
        return gettext(
            "Card payment is not available for this basket: %(lapas)s cannot receive card "
            "payments yet (its Stripe account is not connected). Each Lapas receives the "
            "money for its own goods, so please pay by bank transfer, or remove its goods "
            "from the basket to pay the rest by card."
        ) % {"lapas": ", ".join(str(lapas) for lapas in missing)}

    @staticmethod
    def payment_idempotency_key(*, checkout_number: str, amount_minor: int) -> str:
        # A retried or repeated placement of the same checkout gets the same PaymentIntent
        # back from Stripe, never a second one. Stripe refuses a key reused with other
        # parameters, so the amount is part of the key.
        return f"karya-checkout-{checkout_number}-pi-{amount_minor}"

    def _intent_create(self, *, number: str, amount_minor: int, order_numbers: str = ""):
        metadata = {"checkout_number": number}
        if order_numbers:
            metadata["order_numbers"] = order_numbers
        try:
            return stripe_client.payment_intent_create(
                amount_minor=amount_minor,
                idempotency_key=self.payment_idempotency_key(
                    checkout_number=number, amount_minor=amount_minor
                ),
                metadata=metadata,
                description=f"Karya checkout {number}",
                # The transfers to each Lapas's account carry the same group.
                transfer_group=number,
            )
        except stripe_client.StripeError as error:
            logger.error("Checkout %s: Stripe refused the PaymentIntent: %s", number, error)
            # Nothing is placed (or the placement is rolled back); the buyer is told
            # nothing was taken.
            raise PaymentError(str(error)) from error

    def prepare_payment(self, *, number: str, amount: Decimal, order_numbers=()):
        """The checkout's PaymentIntent, asked for before the placement locks any stock:
        Stripe's answer can take a second, and other buyers of the same goods would wait
        that long on the locks. A placement that then fails (sold out meanwhile) leaves
        the intent unconfirmed: nothing is ever taken through it, and placing the same
        checkout again gets it back (same idempotency key)."""
        return self._intent_create(
            number=str(number),
            amount_minor=rupiah_to_stripe(amount),
            order_numbers=",".join(str(n) for n in order_numbers),
        )

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        """One PaymentIntent for the checkout's orders; nothing is taken yet."""
        orders = list(orders)
        # Oscar's order number generator hands out ints; Stripe's metadata wants text.
        number = str(checkout.number if checkout is not None else orders[0].number)
        amount_minor = sum(rupiah_to_stripe(order.total_incl_tax) for order in orders)
        intent = getattr(checkout, "prepared_payment", None)
        if intent is None or intent.amount != amount_minor:
            # Not prepared (a caller other than checkout_place), or for another amount.
            intent = self._intent_create(
                number=number,
                amount_minor=amount_minor,
                order_numbers=",".join(str(order.number) for order in orders),
            )
        # Nothing is taken yet: the buyer pays on the pay page once the orders are placed.
        return {
            order.number: PaymentOutcome(
                source_type=self.source_type_name,
                amount_allocated=order.total_incl_tax,
                reference=intent.id,
            )
            for order in orders
        }

    def payment_url(self, *, checkout) -> str:
        return reverse("payments:stripe-pay", kwargs={"checkout_number": checkout.number})

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
