"""Twenty buyers race for the last five units: five get one each, fifteen are told."""

import threading

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.models import Allocation, BatchStock
from production_link.services import InsufficientStock
from tests.factories import (
    LapasFactory,
    ProductFactory,
    WorkshopFactory,
    place_order,
    released_batch,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

BUYERS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


def test_parallel_buyers_never_oversell_the_last_units():
    lapas = LapasFactory()
    product = ProductFactory(workshop=WorkshopFactory(lapas=lapas), stockrecord__num_in_stock=0)
    # Two batches, so the race also crosses from one batch to the next.
    first = released_batch(product=product, quantity=2)
    second = released_batch(product=product, quantity=3)
    baskets = []
    for _ in range(BUYERS):
        basket = create_basket(empty=True)
        basket.add_product(product, 1)
        baskets.append(basket)

    start = threading.Barrier(BUYERS)
    outcomes, lock = [], threading.Lock()

    def buyer(basket):
        try:
            start.wait()
            place_order(basket=basket)
            result = "bought"
        except InsufficientStock as refusal:
            result = f"refused: {refusal}"
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buyer, args=(b,)) for b in baskets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(outcomes) == BUYERS
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("bought") == 5
    refusals = [o for o in outcomes if o != "bought"]
    assert len(refusals) == 15 and all(product.get_title() in r for r in refusals)
    assert Order.objects.count() == 5
    assert sum(Allocation.objects.values_list("quantity", flat=True)) == 5
    assert list(
        BatchStock.objects.filter(batch__in=[first, second]).values_list("quantity", flat=True)
    ) == [0, 0]
    assert StockRecord.objects.get(product=product).num_in_stock == 0
