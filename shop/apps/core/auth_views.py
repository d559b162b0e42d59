"""Logging out changes state, so it takes a POST with a CSRF token: a GET (a link, an
image on another site, a prefetch) must not sign anyone out. Django's admin, Wagtail and
Oscar's dashboard log out by POST only; Oscar's /accounts/logout/ answers a GET, so its
view is replaced by this one (CoreConfig.ready)."""

from django.views.decorators.http import require_POST
from oscar.apps.customer.views import LogoutView as OscarLogoutView
from wagtail.admin.views.account import LogoutView as WagtailLogoutView


class LogoutView(OscarLogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        # Oscar's logout (session ended, its cookies deleted, back to the home page), by POST.
        return OscarLogoutView.get(self, request, *args, **kwargs)


# Wagtail's logout view refuses a GET (405) but deletes the session cookie all the same, so
# a link or an image pointing at /cms/logout/ signed the editor out. This one refuses the
# GET before Wagtail's view runs; shop/urls.py routes /cms/logout/ here.
wagtail_logout = require_POST(WagtailLogoutView.as_view())
