"""Dashboard pages of the procurement catalogue: choose a Lapas, download its files.

Thin: the policy table lets in whoever may see products (workshop staff, the Kalapas,
central admins); procurement_lapas_get narrows to the user's own Lapas, so another
Lapas's catalogue is a 404.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from shop.apps.core.policy import policy_required

from .exports import ekatalog_filename, ekatalog_xlsx, price_list_filename, price_list_pdf
from .selectors import procurement_lapas_for_user, procurement_lapas_get, procurement_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@policy_required
def procurement_index(request):
    lapas_list = list(procurement_lapas_for_user(request.user))
    return render(request, "catalog/dashboard/procurement/index.html", {"lapas_list": lapas_list})


def _lapas(request, lapas_id):
    lapas = procurement_lapas_get(user=request.user, lapas_id=lapas_id)
    if lapas is None:
        raise Http404
    return lapas


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@policy_required
def procurement_ekatalog(request, lapas_id):
    lapas = _lapas(request, lapas_id)
    content = ekatalog_xlsx(lapas=lapas, rows=procurement_rows(lapas=lapas))
    return _download(content, XLSX, ekatalog_filename(lapas))


@policy_required
def procurement_price_list(request, lapas_id):
    lapas = _lapas(request, lapas_id)
    content = price_list_pdf(lapas=lapas, rows=procurement_rows(lapas=lapas))
    return _download(content, "application/pdf", price_list_filename(lapas))
