from django.utils.translation import gettext as _
from oscar.apps.order import processing

from shop.apps.order import statuses
from shop.apps.order.notifications import STATUS_EVENTS, order_notify
from shop.apps.order.services import order_cancel
from shop.apps.order.status_actor import status_changes_by
from shop.apps.shipping.methods import COURIER_CODE
from shop.apps.shipping.selectors import order_parcels_recorded, order_pickup_location
from shop.payments.services import PaymentStateError, order_mark_paid


class EventHandler(processing.EventHandler):
    def handle_order_status_change(self, order, new_status, note_msg=None):
        # The order's status history names the staff member who made the change.
        with status_changes_by(self.user):
            return self._handle_order_status_change(order, new_status, note_msg=note_msg)

    def _handle_order_status_change(self, order, new_status, note_msg=None):
        # Marking an order paid records the payment (who, when, the debit of its source);
        # cancelling gives its units back to their batches. Neither is just a new status.
        if new_status in statuses.REFUND_STATUSES:
            raise PaymentStateError(
                _("An order is refunded from its Refund page, which also returns the money.")
            )
        picked_up = order_pickup_location(order) is not None
        by_courier = order.shipping_code == COURIER_CODE
        if (new_status == statuses.SHIPPED and picked_up) or (
            new_status == statuses.READY_FOR_PICKUP and by_courier
        ):
            # The buyer chose how to receive the order; its e-mail says what happens next.
            raise PaymentStateError(
                _("The buyer picks this order up at the gallery: set it Ready for pickup.")
                if picked_up
                else _("This order goes by courier: set it Shipped.")
            )
        if new_status == statuses.SHIPPED and not order_parcels_recorded(order):
            # The Shipped e-mail gives the buyer the courier and the waybill to follow.
            raise PaymentStateError(
                _(
                    "Record the courier and waybill number first (the order's Parcels page): "
                    "the buyer's Shipped e-mail links to them."
                )
            )
        if new_status == statuses.PAID:
            order_mark_paid(order_id=order.pk, user=self.user)
        elif new_status == statuses.CANCELLED:
            order_cancel(order_id=order.pk, user=self.user)
        else:
            super().handle_order_status_change(order, new_status, note_msg=note_msg)
            if new_status in STATUS_EVENTS:  # shipped / ready for pickup: e-mail the buyer
                order_notify(order_id=order.pk, event=STATUS_EVENTS[new_status])
            return
        order.refresh_from_db()

    def handle_payment_event(
        self, order, event_type, amount, lines=None, line_quantities=None, **kwargs
    ):
        # A payment event written here would bypass the payment service (its record, the
        # source's debit, the PNBP entry, who may record it). Payments are recorded by
        # setting the status Paid (order_mark_paid), refunds on the Refund page.
        raise PaymentStateError(
            _(
                "Payments are recorded by setting the order's status to Paid, refunds on the "
                "order's Refund page; a payment event cannot be added by hand."
            )
        )

    # Units leave batch stock when the order is placed (production_link allocation), so
    # Oscar's two-stage stock counters are not used for shipping or cancelling.
    def consume_stock_allocations(self, order, lines=None, line_quantities=None):
        return

    def cancel_stock_allocations(self, order, lines=None, line_quantities=None):
        return
