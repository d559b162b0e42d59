"""Order e-mails: each event in Indonesian and English, HTML and text, sent by Celery once
the transaction commits, once only however often the task runs, and retried while the
mail server is down without ever touching the order."""

from decimal import Decimal
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from production_link.models import StockLocation
from shop.apps.order import notifications, statuses
from shop.apps.order.notifications import order_notify
from shop.apps.order.tasks import order_notification_send
from shop.apps.shipping.services import parcel_record
from shop.payments.models import Refund, RefundLine
from shop.payments.services import order_mark_paid
from tests.shop.checkout.test_checkout import ADDRESS, add_to_basket, checkout
from tests.shop.order.mail_backends import FailingBackend

Order = get_model("order", "Order")
OrderNotification = get_model("order", "OrderNotification")
EventHandler = get_class("order.processing", "EventHandler")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]

# Words that show the language of an e-mail, from translations the project already has.
HELLO = {"id": "Halo,", "en": "Hello,"}
STATUS = {
    statuses.PAID: {"id": "Dibayar", "en": "Paid"},
    statuses.SHIPPED: {"id": "Dikirim", "en": "Shipped"},
    statuses.READY_FOR_PICKUP: {"id": "Siap diambil", "en": "Ready for pickup"},
}


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.shop.order.mail_backends.FailingBackend"
    FailingBackend.attempts = 0
    FailingBackend.failures = None
    return FailingBackend


def place_order(client, product, *, language="id", quantity=2):
    """A guest's bank-transfer order placed through the checkout in ``language``."""
    with translation.override(language):
        add_to_basket(client, product, quantity=quantity)
        checkout(client, guest_email="tamu@example.test")
    return Order.objects.get()


def html_of(message):
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


def advance(order, user, *steps):
    """Staff move the order on in the dashboard's way (the order processing handler)."""
    for status in steps:
        if status == statuses.PAID:
            order_mark_paid(order_id=order.pk, user=user)
        else:
            EventHandler(user).handle_order_status_change(order, status)
        order.refresh_from_db()


def test_the_checkout_queues_the_confirmation_instead_of_sending_it(client, product):
    order = place_order(client, product)  # the test's transaction never commits

    assert mail.outbox == []
    assert order.language == "id"


@pytest.mark.parametrize("language", ["id", "en"])
def test_order_received_email_in_the_buyers_language(
    client, product, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(client, product, language=language)

    assert order.language == language
    (message,) = mail.outbox
    assert message.to == ["tamu@example.test"]
    assert order.number in message.subject and "Karya" in message.subject
    html = html_of(message)
    for body in (message.body, html):
        assert HELLO[language] in body
        assert order.number in body
        assert "Roti Sobek Cokelat" in body
        # Rp300.000 of goods and Rp18.000 shipping, to pay by bank transfer.
        assert ("Rp318.000" if language == "id" else "IDR318,000") in body
        assert product.workshop.lapas.bank_account_number in body  # transfer instructions
        assert "Jl. Merdeka No. 10" in body  # the delivery address
        assert f"/{order.number}/{order.verification_hash()}/" in body  # the status page
        assert product.workshop.lapas.name in body  # Lapas contact
    assert "<table" in html and "<table" not in message.body
    assert order.communication_events.get().event_type.code == "ORDER_PLACED"


@pytest.mark.parametrize("language", ["id", "en"])
def test_payment_received_email(
    client, product, central_admin, language, django_capture_on_commit_callbacks
):
    order = place_order(client, product, language=language)

    with django_capture_on_commit_callbacks(execute=True):
        advance(order, central_admin, statuses.PAID)

    (message,) = mail.outbox
    assert order.number in message.subject
    for body in (message.body, html_of(message)):
        assert HELLO[language] in body
        assert STATUS[statuses.PAID][language] in body
        assert ("Rp318.000" if language == "id" else "IDR318,000") in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_shipped_email_links_to_the_trace_page_of_each_batch(
    client, product, central_admin, language, django_capture_on_commit_callbacks, settings
):
    order = place_order(client, product, language=language)
    advance(order, central_admin, statuses.PAID, statuses.BEING_PREPARED)
    parcel_record(order_id=order.pk, courier="jne", waybill="0123456789012345", user=central_admin)

    with django_capture_on_commit_callbacks(execute=True):
        advance(order, central_admin, statuses.SHIPPED)

    (message,) = mail.outbox
    batch = order.lines.get().allocations.get().batch
    trace_path = ("/en" if language == "en" else "") + f"/trace/{batch.code}/"
    for body in (message.body, html_of(message)):
        assert HELLO[language] in body
        assert STATUS[statuses.SHIPPED][language] in body
        assert settings.KARYA_PUBLIC_URL + trace_path in body
        assert "Kota Tangerang" in body  # the delivery address
        # The courier, the waybill and the courier's tracking page.
        assert "JNE" in body and "0123456789012345" in body
        assert "https://www.jne.co.id/tracking-package?awb=0123456789012345" in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_ready_for_pickup_email_names_the_gallery(
    client, product, central_admin, language, django_capture_on_commit_callbacks
):
    gallery = StockLocation.objects.create(
        lapas=product.workshop.lapas, kind="gallery", name="Galeri Karya", city="Kota Tangerang"
    )
    with translation.override(language):
        add_to_basket(client, product)
        client.post(
            reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
        )
        client.post(reverse("checkout:shipping-address"), ADDRESS)
        client.post(
            reverse("checkout:shipping-method"), {"method_code": f"pickup-gallery-{gallery.pk}"}
        )
        client.post(reverse("checkout:payment-method"), {"method": "bank_transfer"})
        client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    advance(order, central_admin, statuses.PAID, statuses.BEING_PREPARED)

    with django_capture_on_commit_callbacks(execute=True):
        advance(order, central_admin, statuses.READY_FOR_PICKUP)

    (message,) = mail.outbox
    for body in (message.body, html_of(message)):
        assert HELLO[language] in body
        assert STATUS[statuses.READY_FOR_PICKUP][language] in body
        assert "Galeri Karya, Kota Tangerang" in body
        assert ("Rp150.000" if language == "id" else "IDR150,000") in body  # pickup is free


def make_refund(order, *, amount, key, provider="bank_transfer", quantity=1):
    refund = Refund.objects.create(
        order=order,
        provider=provider,
        amount=Decimal(amount),
        reason="Kemasan rusak saat diterima.",
        status=Refund.Status.SUCCEEDED,
        idempotency_key=key,
    )
    RefundLine.objects.create(
        refund=refund, line=order.lines.get(), quantity=quantity, amount=Decimal(amount)
    )
    return refund


@pytest.mark.parametrize("language", ["id", "en"])
def test_refunded_email_tells_what_was_refunded(
    client, product, language, django_capture_on_commit_callbacks
):
    order = place_order(client, product, language=language)
    refund = make_refund(order, amount="150000", key="refund-1", provider="stripe")

    with django_capture_on_commit_callbacks(execute=True):
        order_notify(order_id=order.pk, event="refunded", refund_id=refund.pk)

    (message,) = mail.outbox
    assert order.number in message.subject
    for body in (message.body, html_of(message)):
        assert HELLO[language] in body
        assert ("Rp150.000" if language == "id" else "IDR150,000") in body
        assert "Kemasan rusak saat diterima." in body


def test_each_refund_gets_its_own_email_once(client, product, django_capture_on_commit_callbacks):
    order = place_order(client, product)
    first = make_refund(order, amount="100000", key="refund-1")
    second = make_refund(order, amount="50000", key="refund-2")

    with django_capture_on_commit_callbacks(execute=True):
        for refund in (first, second, first):
            order_notify(order_id=order.pk, event="refunded", refund_id=refund.pk)

    assert len(mail.outbox) == 2
    assert OrderNotification.objects.filter(order=order, event="refunded").count() == 2


def test_nothing_is_sent_when_the_transaction_rolls_back(
    client, product, django_capture_on_commit_callbacks
):
    order = place_order(client, product)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_notify(order_id=order.pk, event="shipped")
        raise RuntimeError("the status change failed")

    assert callbacks == []
    assert mail.outbox == []


def test_nothing_is_sent_before_the_commit(client, product, django_capture_on_commit_callbacks):
    order = place_order(client, product)

    with django_capture_on_commit_callbacks() as callbacks:
        order_notify(order_id=order.pk, event="payment_received")
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_retried_or_replayed_task_sends_the_email_once(client, product):
    order = place_order(client, product)

    order_notification_send.delay(order_id=order.pk, event="order_placed")
    order_notification_send.delay(order_id=order.pk, event="order_placed")
    sent_again = notifications.order_notification_deliver(order_id=order.pk, event="order_placed")

    assert len(mail.outbox) == 1
    assert sent_again is False
    assert OrderNotification.objects.filter(order=order, event="order_placed").count() == 1


def test_a_failing_mail_server_makes_the_task_retry_and_the_retry_sends_once(
    client, product, failing_mail
):
    order = place_order(client, product)
    before = (order.status, order.total_incl_tax, order.lines.count(), order.notes.count())
    kwargs = {"order_id": order.pk, "event": "order_placed"}

    # The worker's first try: the server is down, so Celery schedules a retry.
    with pytest.raises(Retry) as retry:
        order_notification_send.apply(kwargs=kwargs)

    assert isinstance(retry.value.exc, SMTPServerDisconnected)
    assert not OrderNotification.objects.exists()  # not recorded: the retry still sends
    order.refresh_from_db()
    assert (order.status, order.total_incl_tax, order.lines.count(), order.notes.count()) == before

    # A later retry, with the server back; then a replay of the same task.
    failing_mail.failures = 0
    order_notification_send.apply(kwargs=kwargs, retries=1)
    order_notification_send.apply(kwargs=kwargs, retries=2)

    assert failing_mail.attempts == 2
    assert len(mail.outbox) == 1


def test_the_task_gives_up_after_eight_retries(client, product, failing_mail):
    order = place_order(client, product)
    kwargs = {"order_id": order.pk, "event": "order_placed"}

    with pytest.raises(Retry):
        order_notification_send.apply(kwargs=kwargs, retries=7)
    with pytest.raises(SMTPServerDisconnected):
        order_notification_send.apply(kwargs=kwargs, retries=8)

    assert order_notification_send.max_retries == 8
    assert Order.objects.get().status == statuses.AWAITING_PAYMENT


def test_a_refused_recipient_is_not_retried(client, product, failing_mail, monkeypatch):
    order = place_order(client, product)

    def refuse(self, messages):
        raise SMTPRecipientsRefused({"tamu@example.test": (550, b"No such user")})

    monkeypatch.setattr(FailingBackend, "send_messages", refuse)

    with pytest.raises(SMTPRecipientsRefused):
        order_notification_send.apply(kwargs={"order_id": order.pk, "event": "order_placed"})


@pytest.mark.django_db(transaction=True)
def test_checkout_places_the_order_when_the_mail_server_is_down(
    client, product, failing_mail, shipping_rates
):
    add_to_basket(client, product)

    thank_you = checkout(client, guest_email="tamu@example.test")

    order = Order.objects.get()
    assert thank_you.status_code == 200 and order.number in thank_you.content.decode()
    assert order.status == statuses.AWAITING_PAYMENT
    # Tried once inline (Celery runs eagerly here; a worker would retry later), and the
    # failure was logged instead of reaching the buyer.
    assert failing_mail.attempts == 1
    assert mail.outbox == []
    assert not OrderNotification.objects.exists()


def test_registered_buyers_are_mailed_at_their_account_address(
    client, product, buyer, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        add_to_basket(client, product)
        checkout(client)

    (message,) = mail.outbox
    assert message.to == ["pembeli@example.test"]
    order = Order.objects.get()
    assert reverse("customer:order", kwargs={"order_number": order.number}) in message.body


def test_order_notify_refuses_an_unknown_event_or_a_refund_without_its_id():
    with pytest.raises(ValueError):
        order_notify(order_id=1, event="delivered")
    with pytest.raises(ValueError):
        order_notify(order_id=1, event="refunded")
    with pytest.raises(ValueError):
        order_notify(order_id=1, event="shipped", refund_id=3)


def test_staff_see_the_emails_sent_on_the_dashboard_order_page(
    client, product, central_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(client, product)
    client.force_login(central_admin)

    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))

    body = page.content.decode()
    assert 'id="order-emails"' in body
    assert str(OrderNotification.objects.get().get_event_display()) in body


def test_a_courier_order_cannot_be_set_ready_for_pickup(
    client, product, central_admin, shipping_rates
):
    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")
    order = Order.objects.get()
    advance(order, central_admin, statuses.PAID, statuses.BEING_PREPARED)

    client.force_login(central_admin)
    client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": statuses.READY_FOR_PICKUP},
    )

    order.refresh_from_db()
    assert order.status == statuses.BEING_PREPARED
