"""Public product feeds, and the campaign report for editors and central staff."""

import datetime

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shop.apps.core.policy import policy_required

from . import feeds, selectors
from .models import FeedFile


@require_GET
@policy_required
def feed(request, kind: str, language: str, ext: str):
    """A feed as last built: one indexed row and a file. A feed never built yet (a fresh
    install before the first beat) is built now, once, through the task."""
    if kind not in FeedFile.Kind.values or language not in feeds.languages():
        raise Http404
    if ext != feeds.FILE_TYPES[kind]:
        raise Http404
    current = FeedFile.objects.filter(kind=kind, language=language).first()
    if current is None:
        from .tasks import feeds_refresh

        feeds_refresh.delay()
        current = FeedFile.objects.filter(kind=kind, language=language).first()
    if current is None:
        response = HttpResponse(
            _("The feed is being prepared. Try again in a few minutes."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "300"
        return response
    try:
        handle = default_storage.open(current.path, "rb")
    except FileNotFoundError as error:  # deleted by hand: the next rebuild restores it
        raise Http404 from error
    response = FileResponse(handle, content_type=feeds.CONTENT_TYPES[kind])
    response["Last-Modified"] = http_date(current.generated_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


def _period(request) -> tuple[datetime.date, datetime.date, str]:
    today = datetime.date.today()
    default = (today - datetime.timedelta(days=365), today)
    try:
        since = parse_date(request.GET.get("since") or "") or default[0]
        until = parse_date(request.GET.get("until") or "") or default[1]
    except ValueError:
        return (*default, _("That is not a date; the last year is shown instead."))
    if since > until:
        return (*default, _("The start date is after the end date; the last year is shown."))
    return since, until, ""


@require_GET
@policy_required
def campaign_report(request):
    """Orders and paid revenue per campaign and source, and per channel, over a period."""
    since, until, error = _period(request)
    context = {
        "title": _("Campaigns"),
        "since": since,
        "until": until,
        "error": error,
        "campaigns": selectors.campaign_report(since=since, until=until),
        "channels": selectors.sales_by_channel(since=since, until=until),
        "feeds": FeedFile.objects.order_by("kind", "language"),
    }
    return render(request, "marketing/campaign_report.html", context)
