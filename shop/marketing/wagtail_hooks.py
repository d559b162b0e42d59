"""The campaign report in the CMS menu, for editors (and central admins)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

REPORT_PERMISSION = "marketing.view_orderattribution"


@hooks.register("register_admin_urls")
def register_campaign_report():
    return [path("campaigns/", views.campaign_report, name="marketing_campaign_report")]


class CampaignReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_campaign_report_menu_item():
    return CampaignReportMenuItem(
        _("Campaigns"), reverse("marketing_campaign_report"), icon_name="site", order=900
    )
