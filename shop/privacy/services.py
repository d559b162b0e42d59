"""Writes about buyers' personal data: the download's audit line, account erasure and the
retention of guest orders' contact data.

What an erasure keeps: every order with its number, Lapas, lines, amounts, status, payment
record, batch allocations and PNBP ledger entries (the ledger is append-only and is not
touched at all), so the Lapas's books and the trace from batch to sale stay whole. What it
removes: the buyer's name, e-mail, telephone and street address wherever they are stored
(account, address book, order addresses, guest e-mail fields), their baskets, wish lists,
stock alerts, newsletter subscription, stored e-mails, inbox, browsing records and failed
login records; their reviews stay, without their name. Province and country of an order's
address are kept (they tell a Lapas where its goods went, not who bought them).
"""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import Subscriber

from . import selectors
from .models import PersonalDataEvent

Order = get_model("order", "Order")
Checkout = get_model("order", "Checkout")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
UserAddress = get_model("address", "UserAddress")
Basket = get_model("basket", "Basket")
ProductReview = get_model("reviews", "ProductReview")
Vote = get_model("reviews", "Vote")
WishList = get_model("wishlists", "WishList")
ProductAlert = get_model("customer", "ProductAlert")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
UserSearch = get_model("analytics", "UserSearch")

# The parts of an order's address that name or reach a person.
ADDRESS_BLANK = {
    "title": "",
    "first_name": "",
    "last_name": "",
    "line1": "",
    "line2": "",
    "line3": "",
    "line4": "",
    "postcode": "",
    "search_text": "",
}
SHIPPING_BLANK = {**ADDRESS_BLANK, "phone_number": "", "notes": ""}


class ErasureRefused(Exception):
    """The account may not be erased by its owner (a staff account)."""


def erased_username(user_id: int) -> str:
    return f"erased-{user_id}"


def _ref(user) -> str:
    return f"user #{user.pk}"


def personal_data_export(*, user) -> str:
    """The buyer's data as JSON, and its audit line."""
    data = selectors.buyer_data(user=user)
    PersonalDataEvent.objects.create(
        kind=PersonalDataEvent.Kind.EXPORT,
        user=user,
        account_ref=_ref(user),
        detail={
            "orders": len(data["orders"]),
            "addresses": len(data["addresses"]),
            "newsletter": len(data["newsletter"]),
            "reviews": len(data["reviews"]),
        },
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _orders_anonymise(orders) -> dict[str, int]:
    """Blank the contact data of these orders (a queryset); amounts and lines untouched."""
    order_ids = list(orders.values_list("pk", flat=True))
    rows = Order.objects.filter(pk__in=order_ids)
    shipping_ids = list(
        rows.exclude(shipping_address=None).values_list("shipping_address", flat=True)
    )
    billing_ids = list(rows.exclude(billing_address=None).values_list("billing_address", flat=True))
    rows.exclude(guest_email="").update(guest_email="")
    return {
        "orders": len(order_ids),
        "order_addresses": ShippingAddress.objects.filter(pk__in=shipping_ids).update(
            **SHIPPING_BLANK
        )
        + BillingAddress.objects.filter(pk__in=billing_ids).update(**ADDRESS_BLANK),
    }


@transaction.atomic
def account_erase(*, user) -> PersonalDataEvent | None:
    """Erase a buyer's personal data at their request; returns the audit line.

    Safe to repeat: an account already erased is left as it is (None). A staff account is
    refused (ErasureRefused). The caller has re-authenticated the buyer.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.username == erased_username(user.pk) and not user.is_active:
        return None
    if not selectors.user_may_erase_self(user):
        raise ErasureRefused
    email = (user.email or "").strip()
    by_email = Q(email__iexact=email) if email else Q(pk__in=[])
    logins = {user.get_username().lower()} | ({email.lower()} if email else set())

    own_orders = Order.objects.filter(user=user)
    guest_orders = (
        Order.objects.filter(user=None, guest_email__iexact=email)
        if email
        else Order.objects.none()
    )
    counts = _orders_anonymise(own_orders)
    guest = _orders_anonymise(guest_orders)
    counts["orders"] += guest["orders"]
    counts["order_addresses"] += guest["order_addresses"]
    checkout_match = Q(user=user) | (Q(user=None, guest_email__iexact=email) if email else Q())
    counts["checkouts"] = (
        Checkout.objects.filter(checkout_match).exclude(guest_email="").update(guest_email="")
    )
    counts["addresses"] = UserAddress.objects.filter(user=user).delete()[0]
    # Open and saved baskets go; a submitted (or frozen, being paid) basket belongs to its
    # order's history and only loses its owner.
    baskets = Basket.objects.filter(owner=user)
    counts["baskets"] = baskets.filter(
        status__in=[Basket.OPEN, Basket.SAVED, Basket.MERGED]
    ).delete()[0]
    baskets.update(owner=None)
    counts["reviews"] = ProductReview.objects.filter(Q(user=user) | by_email).update(
        user=None, name="", email=""
    )
    Vote.objects.filter(user=user).delete()
    counts["newsletter"] = Subscriber.objects.filter(by_email).delete()[0]
    counts["wish_lists"] = WishList.objects.filter(owner=user).delete()[0]
    counts["stock_alerts"] = ProductAlert.objects.filter(Q(user=user) | by_email).delete()[0]
    # Logs: stored e-mails, the inbox, browsing records, failed and successful logins.
    counts["logs"] = (
        Email.objects.filter(Q(user=user) | by_email).delete()[0]
        + Notification.objects.filter(Q(recipient=user) | Q(sender=user)).delete()[0]
        + UserRecord.objects.filter(user=user).delete()[0]
        + UserProductView.objects.filter(user=user).delete()[0]
        + UserSearch.objects.filter(user=user).delete()[0]
        + _login_records_delete(logins)
    )
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=erased_username(user.pk))
    # The account row stays (orders, payments and notes point at it) with nothing personal
    # left; an unusable password also ends every other session of the account.
    user.username = erased_username(user.pk)
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    return PersonalDataEvent.objects.create(
        kind=PersonalDataEvent.Kind.ERASURE, user=user, account_ref=_ref(user), detail=counts
    )


def _login_records_delete(logins: set[str]) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return sum(
        model.objects.filter(username__in=logins).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def guest_retention_cutoff(*, now=None):
    return (now or timezone.now()) - timedelta(days=settings.KARYA_GUEST_DATA_RETENTION_DAYS)


def guest_orders_due(*, now=None, order_ids=None):
    """Guest orders placed before the retention cutoff that still hold contact data."""
    orders = Order.objects.filter(
        user=None, date_placed__lt=guest_retention_cutoff(now=now)
    ).exclude(guest_email="")
    if order_ids is not None:
        orders = orders.filter(pk__in=order_ids)
    return orders


@transaction.atomic
def guest_orders_anonymise(*, order_ids: list[int] | None = None, now=None) -> int:
    """Anonymise the contact data of guest orders older than the retention period
    (settings.KARYA_GUEST_DATA_RETENTION_DAYS); only those of `order_ids` if given.

    Idempotent: an anonymised order has no guest e-mail left and is not picked again; an
    order still inside the period is left alone even when named. Returns how many orders
    it anonymised; a run that anonymised any writes one audit line.
    """
    orders = guest_orders_due(now=now, order_ids=order_ids).select_for_update(of=("self",))
    due = list(orders.values_list("pk", "guest_email", "checkout_id"))
    if not due:
        return 0
    ids = [pk for pk, _email, _checkout in due]
    emails = {email.lower() for _pk, email, _checkout in due}
    checkout_ids = {checkout for _pk, _email, checkout in due if checkout}
    counts = _orders_anonymise(Order.objects.filter(pk__in=ids))
    counts["checkouts"] = (
        Checkout.objects.filter(pk__in=checkout_ids, user=None).exclude(guest_email="")
    ).update(guest_email="")
    # The order e-mails stored for these guests (Oscar's Email rows without an account).
    counts["logs"] = Email.objects.filter(
        user=None, email__in=list(emails), date_sent__lt=guest_retention_cutoff(now=now)
    ).delete()[0]
    PersonalDataEvent.objects.create(kind=PersonalDataEvent.Kind.RETENTION, detail=counts)
    return len(ids)
