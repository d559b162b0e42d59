"""The development command that signs an event as Stripe does and posts it to a webhook."""

import pytest
from django.core.management import CommandError, call_command

from shop.payments.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_locally_signed_event_is_accepted_and_a_stale_one_refused(live_server, settings, capsys):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_karya_demo_local_only"
    url = f"{live_server.url}/payments/stripe/webhook/"

    call_command("stripe_send_test_event", "--url", url, "--event-id", "evt_local_1")
    call_command("stripe_send_test_event", "--url", url, "--event-id", "evt_local_1")
    call_command("stripe_send_test_event", "--url", url, "--age", "600")
    call_command("stripe_send_test_event", "--url", url, "--type", "customer.created")
    lines = capsys.readouterr().out.splitlines()

    assert "HTTP 200" in lines[0] and '"handled"' in lines[0]  # no order has this intent
    assert "HTTP 200" in lines[1] and '"duplicate"' in lines[1]
    assert "HTTP 400" in lines[2]
    assert "HTTP 200" in lines[3] and '"ignored"' in lines[3]
    assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["evt_local_1"]


def test_the_command_needs_a_webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    with pytest.raises(CommandError, match="STRIPE_WEBHOOK_SECRET"):
        call_command("stripe_send_test_event")
