"""What the shop holds about a buyer, as the JSON file they download (UU 27/2022, the
right to access): profile, address book, orders, newsletter consent and reviews."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import Subscriber

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
ProductReview = get_model("reviews", "ProductReview")

ADDRESS_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
)
# Staff and programme roles are not buyers: their accounts are closed by a central admin.
BUYER_GROUPS = {"Pembeli instansi"}


def retention_days() -> int:
    return settings.KARYA_GUEST_DATA_RETENTION_DAYS


def user_may_erase_self(user) -> bool:
    """Only a buyer's account can be erased by its owner; a staff account (central admin,
    Lapas staff, editor) holds records others depend on and is closed by a central admin."""
    if user.is_staff or user.is_superuser or user.partners.exists():
        return False
    return not user.groups.exclude(name__in=BUYER_GROUPS).exists()


def _address(address) -> dict | None:
    if address is None:
        return None
    data = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    data["country"] = address.country_id
    for name in ("phone_number", "notes"):
        if hasattr(address, name):
            data[name] = str(getattr(address, name) or "")
    return data


def _orders(user, email: str):
    match = Q(user=user)
    if email:
        match |= Q(user=None, guest_email__iexact=email)
    return (
        Order.objects.filter(match)
        .select_related("lapas", "shipping_address", "billing_address", "recorded_payment")
        .prefetch_related("lines")
        .order_by("date_placed", "pk")
    )


def buyer_data(*, user) -> dict:
    """Everything the buyer's account and e-mail address have in the shop."""
    email = user.email or ""
    orders = []
    for order in _orders(user, email):
        payment = getattr(order, "recorded_payment", None)
        orders.append(
            {
                "number": order.number,
                "placed_at": order.date_placed,
                "status": order.status,
                "seller": order.lapas.display_name if order.lapas else "",
                "email": order.email,
                "currency": order.currency,
                "total": order.total_incl_tax,
                "shipping": order.shipping_incl_tax,
                "shipping_method": order.shipping_method,
                "shipping_address": _address(order.shipping_address),
                "billing_address": _address(order.billing_address),
                "lines": [
                    {
                        "title": line.title,
                        "quantity": line.quantity,
                        "price": line.line_price_incl_tax,
                    }
                    for line in order.lines.all()
                ],
                "payment": (
                    {
                        "method": payment.provider,
                        "amount": payment.amount,
                        "paid_at": payment.recorded_at,
                    }
                    if payment
                    else None
                ),
            }
        )
    newsletter = [
        {
            "email": s.email,
            "status": s.status,
            "language": s.language,
            "signed_up_at": s.created_at,
            "confirmed_at": s.confirmed_at,
            "unsubscribed_at": s.unsubscribed_at,
        }
        for s in (Subscriber.objects.filter(email__iexact=email) if email else [])
    ]
    reviews = [
        {
            "product": review.product.get_title() if review.product_id else "",
            "score": review.score,
            "title": review.title,
            "body": review.body,
            "date": review.date_created,
        }
        for review in ProductReview.objects.filter(user=user).select_related("product")
    ]
    return {
        "shop": settings.OSCAR_SHOP_NAME,
        "exported_at": timezone.now(),
        "profile": {
            "username": user.get_username(),
            "email": email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "addresses": [_address(a) for a in UserAddress.objects.filter(user=user).order_by("pk")],
        "orders": orders,
        "newsletter": newsletter,
        "reviews": reviews,
    }


def buyer_data_json(*, user) -> str:
    return json.dumps(buyer_data(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
