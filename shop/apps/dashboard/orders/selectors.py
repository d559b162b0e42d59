"""Which orders a dashboard user may see: those of their own Lapas (``Order.lapas``).

Oscar's own rule (any order with a line of the user's partner) would show staff of one
Lapas an order holding another Lapas's goods; since every order belongs to one Lapas,
the order's Lapas alone decides.
"""

from oscar.core.loading import get_model

Order = get_model("order", "Order")


def orders_for_staff(user):
    """Every order for central admins, the orders of their own Lapas for Lapas staff,
    none for anyone else. Orders kept from before the split by Lapas have no Lapas, so
    only central admins see them."""
    queryset = Order._default_manager.select_related(
        "billing_address",
        "billing_address__country",
        "shipping_address",
        "shipping_address__country",
        "user",
        "lapas",
    ).prefetch_related("lines", "status_changes__changed_by")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.is_staff:
        return queryset
    return queryset.filter(lapas__users=user)


def order_for_staff(*, user, number: str):
    return orders_for_staff(user).filter(number=number).first()
