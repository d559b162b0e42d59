"""The privacy notice, the buyer's personal data page, its JSON download and the account
erasure. Thin: the data comes from selectors, every write from services."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.apps.core.policy import policy_required

from . import selectors, services
from .forms import ErasureForm


@policy_required
@require_GET
def notice(request):
    return render(
        request,
        "privacy/notice.html",
        {"retention_days": selectors.retention_days(), "page_title": _("Privacy notice")},
    )


@policy_required
@require_GET
def account(request):
    return render(
        request,
        "privacy/account.html",
        {
            "page_title": _("Your personal data"),
            "active_tab": "profile",
            "may_erase": selectors.user_may_erase_self(request.user),
        },
    )


@policy_required
@require_POST
def export(request):
    body = services.personal_data_export(user=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="karya-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@policy_required
@require_http_methods(["GET", "POST"])
def erase(request):
    may_erase = selectors.user_may_erase_self(request.user)
    form = ErasureForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and may_erase and form.is_valid():
        try:
            services.account_erase(user=request.user)
        except services.ErasureRefused:
            may_erase = False
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account and personal data have been erased. Your orders stay in the "
                    "Lapas's books without your name."
                ),
            )
            return redirect("privacy:notice")
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "may_erase": may_erase,
            "page_title": _("Erase my account"),
            "active_tab": "profile",
        },
        status=200 if may_erase or request.method == "GET" else 403,
    )
