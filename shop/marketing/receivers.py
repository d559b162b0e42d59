"""Signal receivers of the marketing app: thin, they call services."""

import logging

from . import services
from .touch import touch_from_session

logger = logging.getLogger(__name__)


def checkout_attribute(sender, order, request=None, **kwargs):
    """Oscar's post_checkout, once per placed order with the buyer's request: the order
    is credited to the session's last touch. The order is placed already; a failure here
    is logged and never turns the buyer's checkout into an error page."""
    session = getattr(request, "session", None)
    try:
        services.order_attribution_record(order_id=order.pk, touch=touch_from_session(session))
    except Exception:
        logger.exception("Order %s: its attribution could not be recorded", order.pk)
