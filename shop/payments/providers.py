"""Payment providers behind one interface, after pretix's providers.

Oscar's checkout view only picks a provider and records what it returns as Oscar
payment sources and events; every provider-specific step lives in its provider.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


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
class RefundResult:
    """What a provider did with a refund: its reference and our Refund.Status value."""

    reference: str
    status: str


class ProviderError(Exception):
    """The provider refused or failed; the message can be shown to staff."""


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

    def execute_payment(self, *, order_number: str, total, basket) -> PaymentOutcome:
        raise NotImplementedError

    def execute_refund(self, *, refund) -> RefundResult:
        """Return ``refund`` (a payments.Refund) to the buyer; raise ProviderError if not."""
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

    def execute_payment(self, *, order_number: str, total, basket) -> PaymentOutcome:
        # Nothing is taken now: the money arrives later and staff record it.
        return PaymentOutcome(
            source_type=self.source_type_name,
            amount_allocated=total.incl_tax,
            reference=order_number,
        )

    def execute_refund(self, *, refund) -> RefundResult:
        # Staff have already sent the money back from the Lapas's account; the refund
        # records that transfer's reference.
        from .models import Refund

        return RefundResult(reference=refund.reference, status=Refund.Status.SUCCEEDED)
