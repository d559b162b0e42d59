from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import Allocation, BatchStock
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from shop.payments.models import Refund
from shop.payments.refund_services import RefundError, RefundLineRequest, refund_create
from shop.payments.services import order_mark_paid
from tests.factories import UserFactory
from tests.shop.checkout.test_checkout import add_to_basket, checkout

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer(lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara", first_name="Rina"),
        role_code="treasurer",
        lapas=lapas,
    )


@pytest.fixture
def paid_order(client, product, treasurer):
    """Three loaves at Rp150.000, paid by bank transfer and recorded by the treasurer."""
    add_to_basket(client, product, quantity=3)
    checkout(client, guest_email="tamu@example.test")
    client.logout()
    order = Order.objects.get()
    order_mark_paid(order_id=order.pk, user=treasurer, reference="TRX-1")
    order.refresh_from_db()
    return order


def held_units(product):
    return sum(
        a.quantity - a.returned_quantity for a in Allocation.objects.filter(line__product=product)
    )


def stock_units(product):
    return sum(s.quantity for s in BatchStock.objects.filter(batch__product=product))


def refund(order, user, quantity, *, restock=True, token="t1", reference="BACK-1", **kwargs):
    line = order.lines.get()
    return refund_create(
        order_id=order.pk,
        user=user,
        token=token,
        lines=[RefundLineRequest(line_id=line.pk, quantity=quantity, restock=restock)],
        reason="Roti rusak",
        reference=reference,
        **kwargs,
    )


def test_a_partial_bank_transfer_refund_restocks_and_marks_the_order_partly_refunded(
    paid_order, treasurer, product
):
    before = stock_units(product)

    made = refund(paid_order, treasurer, 1)

    assert made.status == Refund.Status.SUCCEEDED
    assert made.amount == Decimal("150000")
    assert made.reference == "BACK-1"
    assert made.completed_at is not None
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PARTLY_REFUNDED
    assert stock_units(product) == before + 1
    assert held_units(product) == 2
    event = paid_order.payment_events.get(event_type__name="Refunded")
    assert event.amount == Decimal("150000")
    assert paid_order.sources.get().amount_refunded == Decimal("150000")
    assert "Rina" in paid_order.notes.last().message


def test_refunding_the_rest_later_marks_the_order_refunded(paid_order, treasurer):
    refund(paid_order, treasurer, 1, token="a", reference="BACK-1")
    refund(paid_order, treasurer, 2, token="b", reference="BACK-2", restock=False)

    paid_order.refresh_from_db()
    assert paid_order.status == statuses.REFUNDED
    assert sum(r.amount for r in paid_order.refunds.all()) == paid_order.total_incl_tax


def test_the_same_form_posted_twice_refunds_once(paid_order, treasurer, product):
    first = refund(paid_order, treasurer, 1, token="same")
    second = refund(paid_order, treasurer, 1, token="same")

    assert first.pk == second.pk
    assert paid_order.refunds.count() == 1
    assert held_units(product) == 2


def test_more_units_than_bought_are_refused_and_nothing_is_saved(paid_order, treasurer):
    with pytest.raises(RefundError, match="3"):
        refund(paid_order, treasurer, 4)

    assert not Refund.objects.exists()
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PAID


def test_a_transfer_reference_already_recorded_is_refused(paid_order, treasurer):
    refund(paid_order, treasurer, 1, token="a", reference="BACK-1")

    with pytest.raises(RefundError, match="BACK-1"):
        refund(paid_order, treasurer, 1, token="b", reference="BACK-1")

    assert paid_order.refunds.count() == 1


def test_a_bank_transfer_refund_needs_the_transfer_reference(paid_order, treasurer):
    with pytest.raises(RefundError):
        refund(paid_order, treasurer, 1, reference="  ")

    assert not Refund.objects.exists()


def test_nothing_chosen_is_refused(paid_order, treasurer):
    with pytest.raises(RefundError):
        refund(paid_order, treasurer, 0)

    assert not Refund.objects.exists()


def test_an_unpaid_order_cannot_be_refunded(client, product, treasurer):
    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")
    order = Order.objects.get()

    with pytest.raises(RefundError):
        refund(order, treasurer, 1)

    assert not Refund.objects.exists()


def test_a_treasurer_of_another_lapas_may_not_refund(paid_order, other_lapas):
    stranger = user_assign_role(
        user=UserFactory(username="bendahara.lain"), role_code="treasurer", lapas=other_lapas
    )

    with pytest.raises(RefundError):
        refund(paid_order, stranger, 1)

    assert not Refund.objects.exists()


def test_the_refund_page_refunds_from_the_dashboard(client, paid_order, treasurer, product):
    client.force_login(treasurer)
    url = reverse("payments_dashboard:order-refund", kwargs={"number": paid_order.number})
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["token"].value()
    line = paid_order.lines.get()
    data = {
        "token": token,
        f"line_{line.pk}": 2,
        f"restock_{line.pk}": "on",
        "shipping_amount": 0,
        "reason": "Pembeli membatalkan",
        "reference": "BCA-0099",
    }

    response = client.post(url, data)
    client.post(url, data)  # a double click

    assert response.status_code == 302
    assert paid_order.refunds.count() == 1
    assert paid_order.refunds.get().amount == Decimal("300000")
    assert held_units(product) == 1


def test_the_refund_page_shows_a_clear_error_and_saves_nothing(client, paid_order, treasurer):
    client.force_login(treasurer)
    url = reverse("payments_dashboard:order-refund", kwargs={"number": paid_order.number})
    token = client.get(url).context["form"]["token"].value()
    line = paid_order.lines.get()

    response = client.post(
        url, {"token": token, f"line_{line.pk}": 9, "reason": "x", "reference": "R"}
    )

    assert response.status_code == 200
    assert not Refund.objects.exists()
    assert response.context["form"].errors


@pytest.mark.parametrize("who", ["workshop_staff", "other_workshop_staff", "buyer"])
def test_the_refund_page_is_refused_to_people_who_may_not_refund(client, paid_order, who, request):
    # The permission policy refuses roles without the refund permission outright (403).
    client.force_login(request.getfixturevalue(who))
    url = reverse("payments_dashboard:order-refund", kwargs={"number": paid_order.number})

    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert not Refund.objects.exists()


def test_the_refund_page_asks_an_anonymous_visitor_to_log_in(client, paid_order):
    url = reverse("payments_dashboard:order-refund", kwargs={"number": paid_order.number})

    assert client.get(url).status_code == 302


def test_an_order_cannot_be_set_refunded_by_hand(client, paid_order, treasurer):
    client.force_login(treasurer)

    client.post(
        reverse("dashboard:order-detail", kwargs={"number": paid_order.number}),
        {"order_action": "change_order_status", "new_status": statuses.REFUNDED},
    )

    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PAID
    assert not Refund.objects.exists()


def test_a_bank_transfer_refund_writes_its_ledger_reversal_once(paid_order, treasurer):
    from production_link.models import LedgerEntry

    refund(paid_order, treasurer, 2, token="x")
    refund(paid_order, treasurer, 2, token="x")

    sale = LedgerEntry.objects.get(order=paid_order, kind="sale")
    reversal = LedgerEntry.objects.get(order=paid_order, kind="reversal")
    assert sale.gross == Decimal("450000")
    assert reversal.gross == Decimal("-300000")
