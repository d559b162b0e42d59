"""The "invoice" payment provider: an institutional order paid later, against an invoice.

Placing an order with it takes no money: the order waits for payment (as a bank transfer
does) and its invoice is issued once the placement has committed, when the order's
organisation and purchase order (shop.institutions, written in the same transaction) are
there to be printed on it. The treasurer records the transfers against the invoice
(shop.invoicing.services); the one that settles it marks the order paid.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shop.payments.providers import PaymentOutcome, PaymentProvider, RefundOutcome, register

INVOICE_SOURCE_TYPE = "Invoice on terms"


@register
class InvoiceProvider(PaymentProvider):
    identifier = "invoice"
    verbose_name = _("Invoice on terms")
    description = _(
        "Your organisation receives an invoice and pays it by bank transfer within its "
        "payment terms."
    )
    source_type_name = INVOICE_SOURCE_TYPE
    refund_needs_reference = True
    # Only institutional sales (an accepted quote, a service booking) are placed on terms;
    # the online checkout does not offer it.
    channels = ("institutional",)

    def execute_payment(self, *, orders, checkout=None) -> dict[str, PaymentOutcome]:
        from .tasks import invoice_issue_task

        orders = list(orders)
        for order in orders:
            order_id = order.pk
            # Issued after commit: a placement rolled back issues (and numbers) nothing.
            transaction.on_commit(
                lambda order_id=order_id: invoice_issue_task.delay(order_id=order_id),
                robust=True,
            )
        return {
            order.number: PaymentOutcome(
                source_type=self.source_type_name,
                amount_allocated=order.total_incl_tax,
                reference=order.number,
            )
            for order in orders
        }

    def execute_refund(self, *, refund) -> RefundOutcome:
        # As a bank transfer: staff sent the money back and record that transfer.
        from shop.payments.models import Refund

        return RefundOutcome(reference=refund.reference, status=Refund.Status.SUCCEEDED)
