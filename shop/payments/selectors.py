def user_may_record_payment(*, user, order) -> bool:
    """Central admins, or a treasurer/Kalapas of every Lapas whose goods are in the order."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("payment.change_source"):
        return False
    order_lapas = set(order.lines.values_list("partner_id", flat=True))
    own_lapas = set(user.partners.values_list("pk", flat=True))
    return bool(order_lapas) and order_lapas <= own_lapas
