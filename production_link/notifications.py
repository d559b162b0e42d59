"""Emails about batches. Called by Celery tasks; each buyer is told once per recall."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shop.apps.core.public_url import public_base_url

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
                "trace_url": public_base_url() + batch_trace_path(batch),
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


# --- PNBP: overdue deposits to the Lapas's treasurers, differences to central staff ------


def _treasurers(lapas):
    from shop.apps.core.roles import TREASURER

    return list(
        lapas.users.filter(groups__name=TREASURER.group_name, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def pnbp_overdue_notify(*, lapas_id: int) -> int:
    """Email the treasurers of a Lapas about overdue entries they were not told of yet,
    in one message. Each alert is emailed once; returns the number of alerts sent."""
    from django.db import transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from .models import PnbpAlert

    Partner = get_model("partner", "Partner")
    with transaction.atomic():
        lapas = Partner.objects.get(pk=lapas_id)
        alerts = list(
            PnbpAlert.objects.select_for_update(of=("self",))
            .filter(lapas=lapas, emailed_at__isnull=True)
            .select_related("entry__order")
            .order_by("deadline", "pk")
        )
        recipients = [user.email for user in _treasurers(lapas)]
        if not alerts or not recipients:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "lapas": lapas,
                "alerts": alerts,
                "total": sum(a.entry.pnbp_amount for a in alerts),
                "ledger_url": public_base_url() + _ledger_path(),
            }
            subject = render_to_string("production_link/emails/pnbp_overdue_subject.txt", context)
            body = render_to_string("production_link/emails/pnbp_overdue_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, recipients)
        PnbpAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())
        return len(alerts)


def _ledger_path() -> str:
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        return reverse("pnbp_dashboard:entry-list") + "?overdue=1"


def pnbp_reconcile_notify(*, differences) -> int:
    """Email central staff (superusers with an address) the differences reconciliation
    found; returns the number of recipients."""
    from django.contrib.auth import get_user_model

    if not differences:
        return 0
    # The same report twice the same day (a second beat, a retry, a manual run) is sent
    # once; a report with other differences is news and goes out. The cache may forget
    # the key early, which costs at most one duplicate email.
    digest = hashlib.sha256("\n".join(sorted(repr(d) for d in differences)).encode()).hexdigest()[
        :32
    ]
    if not cache.add(f"pnbp-reconcile-sent:{timezone.localdate()}:{digest}", 1, 36 * 3600):
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"differences": differences[:200], "count": len(differences)}
        subject = render_to_string("production_link/emails/pnbp_reconcile_subject.txt", context)
        body = render_to_string("production_link/emails/pnbp_reconcile_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)
