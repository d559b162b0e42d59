"""The point-of-sale payment methods, registered with the shop's payment providers.

Money changes hands at the counter, so there is nothing to execute remotely: a payment
is recorded as taken, and a void gives the money back at the same counter (cash from the
drawer, QRIS or card by the bank's reversal, whose reference the refund keeps).
"""

from django.utils.translation import gettext_lazy as _

from shop.payments.providers import PaymentOutcome, PaymentProvider, RefundOutcome, register

from .models import PaymentMethod


class CounterProvider(PaymentProvider):
    channels = ("pos",)

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        # A counter sale is paid when it is made: the placement marks it paid through the
        # mark-paid service (its source debited, its PNBP booked).
        return {
            order.number: PaymentOutcome(
                source_type=self.source_type_name,
                amount_allocated=order.total_incl_tax,
                amount_debited=order.total_incl_tax,
                event_type="Paid",
            )
            for order in orders
        }

    def execute_refund(self, *, refund) -> RefundOutcome:
        from shop.payments.models import Refund

        return RefundOutcome(reference=refund.reference, status=Refund.Status.SUCCEEDED)


@register
class CashProvider(CounterProvider):
    identifier = PaymentMethod.CASH.value
    verbose_name = _("Cash")
    description = _("Paid in cash at the counter.")
    source_type_name = "Tunai (POS)"
    source_type_label = _("Cash (POS)")


@register
class QrisProvider(CounterProvider):
    identifier = PaymentMethod.QRIS.value
    verbose_name = _("QRIS")
    description = _("Paid by scanning the Lapas's QRIS code.")
    source_type_name = "QRIS (POS)"


@register
class CardTerminalProvider(CounterProvider):
    identifier = PaymentMethod.CARD_TERMINAL.value
    verbose_name = _("Card terminal")
    description = _("Paid by card on the bank's terminal.")
    source_type_name = "Kartu (POS)"
    source_type_label = _("Card terminal (POS)")
