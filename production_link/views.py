from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import batch_public


def trace(request, code):
    """The public page a label's QR code opens: where and how a batch was made."""
    batch = batch_public(code=code.strip().upper())
    if batch is None:
        raise Http404(_("No batch has the code %(code)s.") % {"code": code})
    return render(
        request,
        "production_link/trace.html",
        {"batch": batch, "workshop": batch.workshop, "lapas": batch.workshop.lapas},
    )
