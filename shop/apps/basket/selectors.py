from oscar.core.loading import get_model

Order = get_model("order", "Order")


def buyer_order(*, user, number: str):
    """A signed-in buyer's own order by number, or None (anyone else's is not theirs)."""
    if not user.is_authenticated:
        return None
    return Order.objects.filter(user=user, number=number).first()
