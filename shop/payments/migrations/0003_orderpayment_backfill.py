"""Orders paid before OrderPayment existed get their record, so that "paid" keeps meaning
what it meant: an order whose status says its money arrived (set only by the old one
mark-paid path). An order still awaiting payment gets none, even if a stray "Paid" event
was added to it by hand: that is exactly the side door OrderPayment closes."""

from django.db import migrations
from django.db.models import Min

PAID_STATUSES = (
    "Paid",
    "Being prepared",
    "Shipped",
    "Ready for pickup",
    "Completed",
    "Partly refunded",
    "Refunded",
)
# Source type name → provider identifier (shop/payments/providers.py, shop/pos/providers.py).
PROVIDERS = {
    "Bank transfer": "bank_transfer",
    "Stripe card": "stripe",
    "Tunai (POS)": "cash",
    "QRIS (POS)": "qris",
    "Kartu (POS)": "card_terminal",
}


def backfill(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Source = apps.get_model("payment", "Source")
    PaymentEvent = apps.get_model("order", "PaymentEvent")
    OrderPayment = apps.get_model("payments", "OrderPayment")
    orders = Order.objects.filter(status__in=PAID_STATUSES, recorded_payment__isnull=True)
    ids = list(orders.values_list("pk", flat=True))
    if not ids:
        return
    provider_of = {}
    for order_id, name in Source.objects.filter(order_id__in=ids).values_list(
        "order_id", "source_type__name"
    ):
        provider_of.setdefault(order_id, PROVIDERS.get(name, (name or "")[:32]))
    paid_at = dict(
        PaymentEvent.objects.filter(order_id__in=ids, event_type__name="Paid")
        .values("order_id")
        .annotate(first=Min("date_created"))
        .values_list("order_id", "first")
    )
    records = []
    for order in orders.only("pk", "total_incl_tax", "date_placed").iterator():
        records.append(
            OrderPayment(
                order_id=order.pk,
                provider=provider_of.get(order.pk, "bank_transfer"),
                amount=order.total_incl_tax,
                reference="",
            )
        )
    created = OrderPayment.objects.bulk_create(records, batch_size=1000)
    # recorded_at is auto_now_add: set it to when the money arrived.
    for record in created:
        moment = paid_at.get(record.order_id)
        if moment is not None:
            OrderPayment.objects.filter(pk=record.pk).update(recorded_at=moment)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_orderpayment"),
        ("payment", "0005_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
