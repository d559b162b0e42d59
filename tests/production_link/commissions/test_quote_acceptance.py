"""The whole way in: an office's quote for 40 custom desks, priced as made to order with a
30 % deposit and accepted with its PO (shop.institutions), plans the desks' batch."""

import pytest

from production_link.commissions.models import Commission
from production_link.models import Batch
from shop.institutions import services as institutions
from tests.shop.institutions.conftest import (  # noqa: F401  (fixtures)
    approve,
    made_to_order_product,
    org_buyer,
    request_quote,
    send_quote,
)

pytestmark = pytest.mark.django_db


def test_accepting_a_quote_plans_the_batch_of_its_made_to_order_line(
    org_buyer,  # noqa: F811
    made_to_order_product,  # noqa: F811
    request_quote,  # noqa: F811
    send_quote,  # noqa: F811
):
    quote = request_quote(org_buyer)
    send_quote(quote)

    (order,) = institutions.quote_accept(user=org_buyer, quote_id=quote.pk, po_number="PO-7/2026")

    commission = Commission.objects.select_related("batch", "order_line").get()
    assert commission.order_line == order.lines.get()
    assert commission.order_line.num_allocated == 0
    assert commission.batch.status == Batch.Status.PLANNED
    assert commission.batch.workshop == made_to_order_product.workshop
    assert commission.batch.planned_quantity == 40
    assert commission.deposit_amount == round(order.total_incl_tax * 30 / 100)
    # Accepting again (a double click) plans nothing more.
    institutions.quote_accept(user=org_buyer, quote_id=quote.pk, po_number="PO-7/2026")
    assert Commission.objects.count() == 1
