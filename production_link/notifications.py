"""Emails about batches. Called by Celery tasks; each buyer is told once per recall."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Batch, RecallNotice
from .selectors import batch_allocations


def _buyer_email(order):
    return order.email  # Oscar: the user's address, or the guest's


def recall_notify_buyers(*, batch_id: int) -> int:
    batch = Batch.objects.select_related("product", "workshop__lapas").get(pk=batch_id)
    already = set(batch.recall_notices.values_list("email", flat=True))
    orders = {}
    for allocation in batch_allocations(batch=batch):
        order = allocation.line.order
        email = _buyer_email(order)
        if email and email not in already:
            orders.setdefault(email, []).append(order)
    sent = 0
    for email, buyer_orders in orders.items():
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "batch": batch,
                "orders": sorted({o.number for o in buyer_orders}),
                "trace_url": settings.KARYA_PUBLIC_URL.rstrip("/") + batch_trace_path(batch),
            }
            subject = render_to_string("production_link/emails/recall_subject.txt", context).strip()
            body = render_to_string("production_link/emails/recall_body.txt", context)
        send_mail(subject, body, None, [email])
        RecallNotice.objects.get_or_create(batch=batch, email=email)
        sent += 1
    return sent


def batch_trace_path(batch) -> str:
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        return reverse("production_link:trace", kwargs={"code": batch.code})
