"""The demo shop's insight says something: the Kalapas of Tangerang opens the page and
reads which product to make next and why."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from production_link.insight import selectors
from production_link.insight.models import ProductViewDay, SearchWeek

Order = get_model("order", "Order")


@pytest.mark.django_db
def test_the_demo_year_feeds_every_insight_page(demo_shop):
    assert Order.objects.filter(number__startswith="DEMO-INSIGHT-").count() >= 70
    assert ProductViewDay.objects.exists() and SearchWeek.objects.exists()
    kalapas = get_user_model().objects.get(username="kalapas.tangerang")
    scope = selectors.insight_scope_for_user(user=kalapas)
    assert scope.lapas.short_code == "TNG"
    assert len(selectors.buyers_by_province(scope)) >= 3
    assert selectors.repeat_buyers(scope)["repeat"] >= 1
    assert selectors.searches_unmet(scope)

    client = Client()
    client.force_login(kalapas)
    with translation.override("en"):
        url = reverse("insight_dashboard:index")
    response = client.get(url)
    assert response.status_code == 200
    kinds = {line["title"] for line in response.context["next_rows"]}
    assert len(kinds) >= 3
    assert any(title.startswith("Make another batch of") for title in kinds)


@pytest.mark.django_db
def test_the_demo_fills_the_sales_roll_up_and_shows_the_same_figures(demo_shop):
    """load_demo_data rolls up every whole day of its orders; the pages' figures from the
    roll-up equal those read from the orders alone."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from production_link.insight.models import ProductSalesDay, RollupState

    state = RollupState.objects.get()
    assert state.filled_until == timezone.localdate() - datetime.timedelta(days=1)
    assert ProductSalesDay.objects.filter(day__lt=timezone.localdate()).exists()
    kalapas = get_user_model().objects.get(username="kalapas.tangerang")

    def figures():
        scope = selectors.insight_scope_for_user(user=kalapas)
        return (
            selectors.headline(scope),
            selectors.buyers_by_channel(scope),
            selectors.buyers_by_province(scope),
            selectors.buyers_by_segment(scope),
            selectors.repeat_buyers(scope),
            selectors.product_funnel(scope),
        )

    rolled = figures()
    with transaction.atomic():
        RollupState.objects.all().delete()  # nothing rolled up: every day from the orders
        assert figures() == rolled
        transaction.set_rollback(True)
    assert rolled[0]["orders"] >= 20  # the year of the insight demo, not only today
