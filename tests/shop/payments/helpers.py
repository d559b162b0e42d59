"""Placing an order paid by card, as a buyer would, for the Stripe tests."""

from django.urls import reverse
from oscar.core.loading import get_model

from tests.shop.checkout.test_checkout import ADDRESS, add_to_basket

Order = get_model("order", "Order")


def place_card_order(client, product, *, quantity=1, guest_email="tamu@example.test"):
    """Walk the checkout choosing the card; returns the order and the response of placing
    it (a redirect to the pay page)."""
    add_to_basket(client, product, quantity)
    if guest_email:
        client.post(reverse("checkout:index"), {"username": guest_email, "options": "anonymous"})
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(reverse("checkout:shipping-method"))
    response = client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    assert response["Location"].endswith(reverse("checkout:preview")), response
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.latest("pk"), response


def pay_url(order):
    """The pay page of the checkout the order was placed in (one per checkout)."""
    return reverse("payments:stripe-pay", kwargs={"checkout_number": order.checkout.number})


def return_url(order):
    return reverse("payments:stripe-return", kwargs={"checkout_number": order.checkout.number})


def intent_id(order):
    return order.sources.get(source_type__name="Stripe card").reference


def split_checkout(
    *,
    items,
    method: str,
    number: str = "KRY-100001",
    user=None,
    guest_email: str = "tamu@example.test",
):
    """A checkout of several Lapas as placement leaves it: one order per Lapas awaiting
    payment, each with its payment source from the provider. Built by hand, so the money
    tests do not depend on the checkout pages. ``items``: (product, quantity) pairs."""
    from django.contrib.sites.models import Site

    from shop.apps.order import statuses
    from shop.payments.providers import PaymentOutcome, get_provider

    Checkout = get_model("order", "Checkout")
    Line = get_model("order", "Line")
    Source = get_model("payment", "Source")
    SourceType = get_model("payment", "SourceType")

    checkout = Checkout.objects.create(
        number=number, user=user, guest_email="" if user else guest_email, payment_method=method
    )
    by_lapas: dict = {}
    for product, quantity in items:
        record = product.stockrecords.first()
        by_lapas.setdefault(record.partner, []).append((product, record, quantity))
    orders = []
    for index, (lapas, lines) in enumerate(by_lapas.items(), start=1):
        total = sum(record.price * quantity for _p, record, quantity in lines)
        order = Order.objects.create(
            number=f"{number}-{index}",
            site=Site.objects.get_current(),
            lapas=lapas,
            checkout=checkout,
            user=user,
            guest_email="" if user else guest_email,
            currency="IDR",
            total_incl_tax=total,
            total_excl_tax=total,
            shipping_incl_tax=0,
            shipping_excl_tax=0,
            shipping_method="Ambil di galeri",
            shipping_code="pickup",
            status=statuses.AWAITING_PAYMENT,
        )
        for product, record, quantity in lines:
            Line.objects.create(
                order=order,
                partner=lapas,
                partner_name=lapas.name,
                partner_sku=record.partner_sku,
                stockrecord=record,
                product=product,
                title=product.get_title(),
                quantity=quantity,
                line_price_incl_tax=record.price * quantity,
                line_price_excl_tax=record.price * quantity,
                line_price_before_discounts_incl_tax=record.price * quantity,
                line_price_before_discounts_excl_tax=record.price * quantity,
                unit_price_incl_tax=record.price,
                unit_price_excl_tax=record.price,
                num_allocated=quantity,
                status=statuses.AWAITING_PAYMENT,
            )
        orders.append(order)
    if method == "stripe":
        outcomes = get_provider("stripe").execute_payment(orders=orders, checkout=checkout)
    else:
        # What the bank transfer provider records: the order's amount, its number as the
        # reference the buyer writes on the transfer.
        outcomes = {
            order.number: PaymentOutcome(
                source_type="Bank transfer",
                amount_allocated=order.total_incl_tax,
                reference=order.number,
            )
            for order in orders
        }
    for order in orders:
        outcome = outcomes[order.number]
        Source.objects.create(
            order=order,
            source_type=SourceType.objects.get_or_create(name=outcome.source_type)[0],
            currency="IDR",
            amount_allocated=outcome.amount_allocated,
            reference=outcome.reference,
        )
    return checkout, orders
