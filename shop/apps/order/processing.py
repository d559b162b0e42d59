from oscar.apps.order import processing

from shop.apps.order import statuses
from shop.payments.services import order_mark_paid


class EventHandler(processing.EventHandler):
    def handle_order_status_change(self, order, new_status, note_msg=None):
        # Marking an order paid in the dashboard records the payment (who, when, the
        # debit of its source), not just a new status text.
        if new_status == statuses.PAID:
            order_mark_paid(order_id=order.pk, user=self.user)
            order.refresh_from_db()
            return
        super().handle_order_status_change(order, new_status, note_msg=note_msg)
