"""The Z report of a cash session: what was taken per method, what was paid back, the
cash expected and counted, and the difference with its reason. Printable on 80 mm
thermal paper (HTML) and as PDF."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from . import selectors
from .models import PaymentMethod
from .receipts import WIDTHS, _fit, _wrap, text_pdf


def z_report_context(session) -> dict:
    figures = selectors.session_figures(session)
    methods = [
        {
            "code": m.value,
            "label": m.label,
            "count": figures["counts"][m.value],
            "taken": figures["taken"][m.value],
            "paid_out": figures["paid_out"][m.value],
            "expected": figures["expected"][m.value],
        }
        for m in PaymentMethod
    ]
    location = session.location
    return {
        **figures,
        "methods": methods,
        "location": location,
        "lapas": location.lapas,
        "lapas_address": selectors.lapas_address(location.lapas),
        "cashier": session.cashier.get_full_name() or session.cashier.get_username(),
        "opened_at": timezone.localtime(session.opened_at),
        "closed_at": timezone.localtime(session.closed_at) if session.closed_at else None,
        "counted_rows": [r for r in selectors.counted_rows(session.counted) if r[1]],
        "expected_cash": figures["expected"]["cash"],
    }


def z_report_text(context: dict, *, width: int = 80) -> list[str]:
    columns = WIDTHS.get(width, 48)
    rule = "-" * columns
    session = context["session"]
    out = [_("Z REPORT").center(columns)]
    out += [line.center(columns) for line in _wrap(context["lapas"].name, columns)]
    out += [line.center(columns) for line in _wrap(context["location"].name, columns)]
    out.append(rule)
    out.append(_fit(_("Session"), f"#{session.pk}", columns))
    out.append(_fit(_("Cashier"), context["cashier"], columns))
    out.append(_fit(_("Opened"), formats.date_format(context["opened_at"], "d-m-Y H:i"), columns))
    if context["closed_at"]:
        out.append(
            _fit(_("Closed"), formats.date_format(context["closed_at"], "d-m-Y H:i"), columns)
        )
    else:
        out.append(_fit(_("Closed"), _("still open"), columns))
    out.append(_fit(_("Opening float"), currency(session.opening_float), columns))
    out.append(rule)
    out.append(_fit(_("Sales"), str(context["sales_count"]), columns))
    out.append(_fit(_("of which in conflict"), str(context["conflict_count"]), columns))
    for method in context["methods"]:
        out.append(
            _fit(f"{method['label']} ({method['count']})", currency(method["taken"]), columns)
        )
    out.append(_fit(_("Total taken"), currency(context["total_taken"]), columns))
    out.append(rule)
    out.append(_("Voids and refunds"))
    for void in context["voids"]:
        out.append(_fit(f"  {void.sale.order.number}", "-" + currency(void.refund.amount), columns))
    for conflict in context["conflict_refunds"]:
        out.append(
            _fit(
                f"  {_('conflict')} {conflict.sale.uuid}"[:24],
                "-" + currency(conflict.refunded_amount),
                columns,
            )
        )
    out.append(_fit(_("Total paid out"), "-" + currency(context["total_paid_out"]), columns))
    out.append(rule)
    for method in context["methods"]:
        out.append(
            _fit(
                _("Expected %(method)s") % {"method": method["label"]},
                currency(method["expected"]),
                columns,
            )
        )
    out.append(rule)
    out.append(_("Cash counted"))
    for denomination, count, subtotal in context["counted_rows"]:
        out.append(_fit(f"  {count} x {currency(denomination)}", currency(subtotal), columns))
    if session.counted_cash is not None:
        out.append(_fit(_("Counted cash"), currency(session.counted_cash), columns))
        out.append(_fit(_("Difference"), currency(session.difference), columns))
        if session.difference_reason:
            out += _wrap(_("Reason: %(reason)s") % {"reason": session.difference_reason}, columns)
    out.append(rule)
    if context["unverified_count"]:
        out.append(_fit(_("Payments to verify"), str(context["unverified_count"]), columns))
    if context["price_differs_count"]:
        out.append(_fit(_("Sales at another price"), str(context["price_differs_count"]), columns))
    return out


def z_report_pdf(session) -> bytes:
    return text_pdf(z_report_text(z_report_context(session), width=80), width=80)
