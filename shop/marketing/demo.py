"""Marketing demo (issue 19), from data/demo/marketing.yaml: newsletter subscribers, two
campaigns (a newsletter issue sent, an Instagram post) and a draft issue, the channel of
the demo's online orders, and the product feeds built. Safe to run again."""

import datetime
import zlib

from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import NewsletterDelivery, NewsletterIssue, Subscriber
from shop.apps.core.datafiles import data_file

from . import feeds
from .models import OrderAttribution

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


def _subscribers(data) -> list:
    now = timezone.now()
    rows = []
    for spec in data["subscribers"]:
        confirmed = spec["status"] == Subscriber.Status.CONFIRMED
        subscriber, _ = Subscriber.objects.update_or_create(
            email=spec["email"],
            defaults={
                "language": spec["language"],
                "status": spec["status"],
                "confirmed_at": now if confirmed else None,
                "unsubscribed_at": now if spec["status"] == "unsubscribed" else None,
            },
        )
        rows.append(subscriber)
    return rows


def _body(spec, suffix: str, products: dict) -> list:
    if not spec.get(f"subject{suffix}"):
        return []
    blocks = [("heading", spec[f"heading{suffix}"]), ("rich_text", spec[f"text{suffix}"])]
    blocks += [
        ("product", {"product": products[upc]}) for upc in spec["products"] if upc in products
    ]
    blocks.append(("button", {"text": spec[f"button{suffix}"], "url": "/catalogue/"}))
    return blocks


def _issues(data, subscribers) -> int:
    upcs = {upc for spec in data["issues"] for upc in spec["products"]}
    products = {p.upc: p for p in Product.objects.filter(upc__in=upcs)}
    for spec in data["issues"]:
        issue = NewsletterIssue.objects.filter(slug=spec["slug"]).first()
        if issue is None:
            issue = NewsletterIssue.objects.create(
                slug=spec["slug"],
                subject=spec["subject"],
                body=_body(spec, "", products),
                subject_en=spec["subject_en"],
                body_en=_body(spec, "_en", products),
            )
        if spec["sent"] and issue.status == NewsletterIssue.Status.DRAFT:
            # As if sent a month ago: the log without mailing the demo's addresses.
            sent_at = timezone.now() - datetime.timedelta(days=30)
            for subscriber in subscribers:
                if subscriber.status == Subscriber.Status.CONFIRMED:
                    NewsletterDelivery.objects.get_or_create(
                        issue=issue,
                        subscriber=subscriber,
                        defaults={"status": NewsletterDelivery.Status.SENT, "sent_at": sent_at},
                    )
            issue.status = NewsletterIssue.Status.SENT
            issue.send_started_at = issue.sent_at = issue.test_sent_at = sent_at
            issue.save()
    return len(data["issues"])


def _attributions(data) -> int:
    slots = []
    for spec in data["channels"]:
        slots += [spec] * spec["share"]
    orders = (
        Order.objects.filter(channel=Order.Channel.ONLINE, attribution__isnull=True)
        .order_by("pk")
        .only("pk", "number", "date_placed")
    )
    rows = []
    for order in orders:
        slot = zlib.crc32(order.number.encode()) % 20
        spec = slots[slot] if slot < len(slots) else None
        touched = order.date_placed - datetime.timedelta(hours=20)
        rows.append(
            OrderAttribution(
                order=order,
                channel=spec["channel"] if spec else "direct",
                source=spec["source"] if spec else "",
                medium=spec["medium"] if spec else "",
                campaign=spec["campaign"] if spec else "",
                referrer_host=(spec or {}).get("referrer", ""),
                landing_path=spec["landing"] if spec else "",
                touched_at=touched if spec else None,
            )
        )
    OrderAttribution.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def marketing_demo_load() -> dict[str, int]:
    data = data_file("demo/marketing.yaml")
    subscribers = _subscribers(data)
    counts = {
        "newsletter subscribers": len(subscribers),
        "newsletter issues": _issues(data, subscribers),
        "orders attributed": _attributions(data),
    }
    counts["product feeds"] = len(feeds.feeds_build_all())
    return counts
