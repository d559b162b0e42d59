from django import template

from ..pnbp.selectors import open_alerts_for_user

register = template.Library()


@register.inclusion_tag("production_link/dashboard/pnbp_alert_banner.html", takes_context=True)
def pnbp_overdue_banner(context):
    """The overdue-deposit alerts of the user's Lapas, for the top of the dashboard."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alerts": [], "total": 0}
    alerts = list(open_alerts_for_user(user)[:20])
    return {
        "alerts": alerts,
        "count": open_alerts_for_user(user).count() if len(alerts) == 20 else len(alerts),
        "total": sum(a.entry.pnbp_amount for a in alerts),
    }
