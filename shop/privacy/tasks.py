from celery import shared_task

from .services import guest_orders_anonymise as _anonymise


@shared_task(name="privacy.guest_orders_anonymise")
def guest_orders_anonymise(order_ids: list[int] | None = None) -> int:
    """Anonymise guest orders' contact data past the retention period (all due ones, or
    those of `order_ids`). Idempotent: an anonymised order is not picked again."""
    return _anonymise(order_ids=order_ids)
