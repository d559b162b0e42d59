"""E-mails to the buyer about their order: received, payment received, shipped or ready for
pickup, refunded. In the language the order was placed in, as HTML and plain text.

Callers use one function, ``order_notify``: it queues a Celery task once the caller's
transaction commits, so a rolled-back change never mails anyone. The task
(shop.apps.order.tasks) calls ``order_notification_deliver``, which sends each e-mail once
(an OrderNotification row under a unique constraint) and is retried while the mail server
fails. A mail failure never touches the order itself.

The e-mails go through Oscar's communication framework: event type codes below, file
templates ``oscar/communication/emails/commtype_<code>_{subject.txt,body.txt,body.html}``,
Oscar's Dispatcher, and a CommunicationEvent on the order for its dashboard page.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from shop.apps.core.public_url import public_base_url
from shop.apps.order import statuses
from shop.apps.order.selectors import order_pay_by, transfer_instructions
from shop.apps.shipping.selectors import order_pickup_location

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNotification = get_model("order", "OrderNotification")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Refund = get_model("payments", "Refund")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")

ORDER_PLACED = OrderNotification.Event.ORDER_PLACED.value
PAYMENT_RECEIVED = OrderNotification.Event.PAYMENT_RECEIVED.value
SHIPPED = OrderNotification.Event.SHIPPED.value
READY_FOR_PICKUP = OrderNotification.Event.READY_FOR_PICKUP.value
REFUNDED = OrderNotification.Event.REFUNDED.value

# event: (Oscar communication event type code, its name for the dashboard)
EVENT_TYPES = {
    ORDER_PLACED: ("ORDER_PLACED", "Order received"),
    PAYMENT_RECEIVED: ("ORDER_PAYMENT_RECEIVED", "Order payment received"),
    SHIPPED: ("ORDER_SHIPPED", "Order shipped"),
    READY_FOR_PICKUP: ("ORDER_READY_FOR_PICKUP", "Order ready for pickup"),
    REFUNDED: ("ORDER_REFUNDED", "Order refunded"),
}
EVENTS = tuple(EVENT_TYPES)

# Order statuses that e-mail the buyer when staff set them (order.processing).
STATUS_EVENTS = {statuses.SHIPPED: SHIPPED, statuses.READY_FOR_PICKUP: READY_FOR_PICKUP}


def order_notify(*, order_id: int, event: str, refund_id: int | None = None) -> None:
    """E-mail the buyer about ``event`` once the current transaction commits.

    ``event`` is one of EVENTS; "refunded" needs the ``refund_id`` it is about. Safe to
    call more than once: each e-mail is sent once. If the task cannot even be queued (the
    broker is down), the error is logged and the caller's work stands.
    """
    if event not in EVENT_TYPES:
        raise ValueError(f"Unknown order e-mail event {event!r}; expected one of {EVENTS}.")
    if (event == REFUNDED) != (refund_id is not None):
        raise ValueError("A refund id goes with the 'refunded' event, and only with it.")

    def queue():
        from shop.apps.order.tasks import order_notification_send

        order_notification_send.delay(order_id=order_id, event=event, refund_id=refund_id)

    transaction.on_commit(queue, robust=True)


def order_notification_deliver(*, order_id: int, event: str, refund_id: int | None = None) -> bool:
    """Send one order e-mail unless it was sent before. For the Celery task only.

    Returns True when this call sent it. The record and the sending share a transaction:
    if the mail server fails, the record is rolled back with it and the task retries; a
    second worker with the same e-mail waits on the record's unique key, then skips it.
    """
    order = Order.objects.select_related("user", "shipping_address").get(pk=order_id)
    refund = Refund.objects.get(pk=refund_id, order_id=order_id) if refund_id else None
    if not order.email:
        logger.info("Order %s has no e-mail address; %s not sent.", order.number, event)
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                OrderNotification.objects.create(order=order, event=event, refund=refund)
        except IntegrityError:
            return False
        code, name = EVENT_TYPES[event]
        CommunicationEventType.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": CommunicationEventType.ORDER_RELATED},
        )
        dispatcher = OrderDispatcher(logger=logger)
        with translation.override(order.language or settings.LANGUAGE_CODE):
            attachments = _attachments(order=order, event=event)
            context = email_context(order=order, event=event, refund=refund)
            context["receipt_attached"] = bool(attachments)
            messages = dispatcher.dispatcher.get_messages(code, context)
            dispatcher.dispatch_order_messages(order, messages, code, attachments=attachments)
    return True


def _attachments(*, order, event: str) -> list | None:
    """The payment e-mail carries the order's receipt (kuitansi), in the order's language."""
    if event != PAYMENT_RECEIVED:
        return None
    # Imported here: the receipts package reads orders, batches and payments, all of which
    # sit above this module.
    from shop.receipts.pdf import receipt_filename, receipt_pdf
    from shop.receipts.selectors import receipt_for_order

    order = Order.objects.select_related("recorded_payment", "lapas", "checkout").get(pk=order.pk)
    receipt = receipt_for_order(order=order)
    if receipt is None:
        return None
    return [(receipt_filename(receipt), receipt_pdf(receipt), "application/pdf")]


def email_context(*, order, event: str, refund=None) -> dict:
    """What the templates show. Rendered in the order's language (call inside it)."""
    lines = list(order.lines.select_related("partner").prefetch_related("allocations__batch"))
    lapas = []
    for line in lines:
        if line.partner is not None and line.partner not in lapas:
            lapas.append(line.partner)
    pickup = order_pickup_location(order)
    return {
        "order": order,
        "event": event,
        "lines": lines,
        "lapas_contacts": lapas,
        "pickup": pickup,
        "no_shipping": order.shipping_address_id is None and pickup is None,
        "status_label": statuses.label(order.status),
        "status_url": _absolute(_status_path(order)),
        "transfer_instructions": transfer_instructions(order=order),
        "pay_by": order_pay_by(order=order),
        "traces": _traces(lines) if event in (SHIPPED, READY_FOR_PICKUP) else [],
        "refund": refund,
        "refund_lines": list(refund.lines.select_related("line")) if refund else [],
        "refund_to_card": bool(refund and refund.provider == "stripe"),
        "shop_name": settings.OSCAR_SHOP_NAME,
    }


# One confirmation per checkout (a basket split into one order per Lapas).
CHECKOUT_PLACED_TYPE = ("CHECKOUT_PLACED", "Checkout received")


def checkout_notify_placed(*, checkout_id: int) -> None:
    """E-mail the buyer one confirmation listing every order of a checkout, once the
    current transaction commits. Safe to call once per order: one e-mail is sent."""

    def queue():
        from shop.apps.order.tasks import checkout_notification_send

        checkout_notification_send.delay(checkout_id=checkout_id)

    transaction.on_commit(queue, robust=True)


def checkout_notification_deliver(*, checkout_id: int) -> bool:
    """Send a checkout's confirmation unless it was sent before. For the Celery task only.

    The "order received" record of the checkout's first order is the once-only key (the
    others are recorded with it); the record and the sending share a transaction, so a
    mail failure rolls it back and the task retries.
    """
    from shop.apps.order.selectors import checkout_sections

    Checkout = get_model("order", "Checkout")
    checkout = Checkout.objects.select_related("user").get(pk=checkout_id)
    orders = list(checkout.orders.select_related("user", "shipping_address").order_by("pk"))
    if not orders or not checkout.email:
        logger.info("Checkout %s has no e-mail address or orders; not sent.", checkout.number)
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                OrderNotification.objects.create(order=orders[0], event=ORDER_PLACED)
        except IntegrityError:
            return False
        OrderNotification.objects.bulk_create(
            [OrderNotification(order=order, event=ORDER_PLACED) for order in orders[1:]],
            ignore_conflicts=True,
        )
        code, name = CHECKOUT_PLACED_TYPE
        CommunicationEventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": CommunicationEventType.ORDER_RELATED}
        )
        dispatcher = OrderDispatcher(logger=logger)
        with translation.override(checkout.language or settings.LANGUAGE_CODE):
            sections = checkout_sections(checkout=checkout)
            for section in sections:
                section["status_url"] = _absolute(_status_path(section["order"]))
            lapas = [section["order"].lapas for section in sections if section["order"].lapas]
            context = {
                "checkout": checkout,
                "sections": sections,
                "first_order": orders[0],
                "checkout_total": sum(order.total_incl_tax for order in orders),
                "currency": orders[0].currency,
                "pay_by": order_pay_by(order=orders[0]),
                "pickup": order_pickup_location(orders[0]),
                "lapas_contacts": lapas,
                "shop_name": settings.OSCAR_SHOP_NAME,
            }
            messages = dispatcher.dispatcher.get_messages(code, context)
            # Sent to the buyer once, recorded on the first order's dashboard page.
            dispatcher.dispatch_order_messages(orders[0], messages, code)
    return True


def _absolute(path: str) -> str:
    return public_base_url() + path


def _status_path(order) -> str:
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def _traces(lines) -> list[dict]:
    """Each batch behind the order's goods, with its public trace page."""
    seen = {}
    for line in lines:
        for allocation in line.allocations.all():
            batch = allocation.batch
            if batch.code not in seen:
                seen[batch.code] = {
                    "title": line.title,
                    "code": batch.code,
                    "url": _absolute(reverse("production_link:trace", kwargs={"code": batch.code})),
                }
    return list(seen.values())
