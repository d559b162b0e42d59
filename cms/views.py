"""Views of the marketing site besides its pages: newsletter, staff export, robots.txt.

Views stay thin: they read a form, call one service or selector and render.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.views import serve as wagtail_serve

from shop.apps.core.policy import policy_required

from . import selectors, services, tokens
from .forms import NewsletterSignupForm


def serve(request, path):
    """Wagtail's page view, with the page found by cached look-ups first (issue 9's
    query budget; see cms.selectors.route_for_request). Hooks, view restrictions and
    the page's own serve() run as in Wagtail."""
    selectors.route_for_request(request, path)
    return wagtail_serve(request, path)


# --- Newsletter (public)


@require_POST
def newsletter_signup(request):
    form = NewsletterSignupForm(request.POST, request=request)
    if form.is_valid():
        if not form.is_spam:
            services.subscriber_signup(
                email=form.cleaned_data["email"], language=request.LANGUAGE_CODE
            )
        # The same answer whether the address was new, pending or already confirmed, so
        # the form cannot be used to find out who subscribes.
        return render(request, "cms/newsletter/check_inbox.html", {"title": _("Check your inbox")})
    return render(
        request,
        "cms/newsletter/signup.html",
        {"form": form, "title": _("Newsletter")},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token):
    # A GET only shows a button: mail scanners that follow links must not confirm anyone.
    subscriber = selectors.subscriber_for_token(token=token, purpose=tokens.CONFIRM)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriber = services.subscriber_confirm(token=token)
        if subscriber.status != subscriber.Status.CONFIRMED:
            return _invalid_link(request)  # unsubscribed since: signing up again is the way
        return render(request, "cms/newsletter/confirmed.html", {"title": _("Subscribed")})
    return render(
        request,
        "cms/newsletter/confirm.html",
        {"title": _("Confirm your subscription"), "subscriber": subscriber},
    )


@csrf_exempt  # One-click unsubscribe (RFC 8058) posts without a CSRF token; the token is the key.
@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    subscriber = selectors.subscriber_for_token(token=token, purpose=tokens.UNSUBSCRIBE)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        services.subscriber_unsubscribe(token=token)
        return render(request, "cms/newsletter/unsubscribed.html", {"title": _("Unsubscribed")})
    return render(
        request,
        "cms/newsletter/unsubscribe.html",
        {"title": _("Unsubscribe"), "subscriber": subscriber},
    )


def _invalid_link(request):
    return render(
        request,
        "cms/newsletter/invalid_link.html",
        {"title": _("This link does not work")},
        status=400,
    )


# --- Staff


@policy_required
@require_GET
def subscriber_export(request):
    """CSV of confirmed subscribers only: pending and unsubscribed addresses never leave."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    header = [writer.writerow(["email", "language", "confirmed_at"])]
    rows = (
        writer.writerow([s.email, s.language, timezone.localtime(s.confirmed_at).isoformat()])
        for s in selectors.subscribers_confirmed().iterator()
    )
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(_chain(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="karya-newsletter-{stamp}.csv"'
    return response


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable


# --- Search engines


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in selectors.ROBOTS_DISALLOW]
    lines.append(f"Sitemap: {selectors.public_base_url(request)}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@policy_required
@require_http_methods(["GET", "POST"])
def newsletter_issue_send(request, pk):
    """An issue's send page in the CMS: the test send to the editor's own address, the
    send to every confirmed subscriber (once), and the send log's counts."""
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    from . import newsletter
    from .models import NewsletterIssue

    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            if not request.user.email:
                messages.error(request, _("Your account has no e-mail address for the test."))
            else:
                from .tasks import newsletter_send_test

                newsletter_send_test.delay(issue.pk, request.user.email, request.LANGUAGE_CODE)
                messages.success(
                    request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
                )
        elif action == "send":
            try:
                count = newsletter.newsletter_issue_send(issue_id=issue.pk, user=request.user)
            except newsletter.NewsletterRefused as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("The issue is being sent to %(count)d confirmed subscribers.")
                    % {"count": count},
                )
        else:
            messages.error(request, _("Unknown action."))
        return redirect("cms_newsletter_issue_send", pk=issue.pk)
    return render(
        request,
        "cms/admin/newsletter_issue_send.html",
        {
            "title": _("Send: %(subject)s") % {"subject": issue.subject},
            "issue": issue,
            "counts": newsletter.issue_counts(issue),
            "confirmed": newsletter.confirmed_subscriber_count(),
            "may_send": request.user.has_perm("cms.send_newsletterissue"),
        },
    )
