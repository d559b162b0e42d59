"""Which dashboard menu entries a user sees, for Oscar's pages and for Karya's own."""

from oscar.apps.dashboard.nav import default_access_fn


def access_fn(user, url_name, url_args=None, url_kwargs=None):
    if url_name and url_name.startswith("production_dashboard:"):
        from production_link.dashboard.views import user_may_see_batches

        return user_may_see_batches(user)
    if url_name and url_name.startswith("pnbp_reports_dashboard:"):
        from production_link.reports.selectors import user_may_see_reports

        return user_may_see_reports(user)
    if url_name and url_name.startswith("pnbp_dashboard:"):
        from production_link.pnbp.dashboard.views import pnbp_nav_access

        return pnbp_nav_access(user, url_name)
    if url_name and url_name.startswith("pos_dashboard:"):
        from shop.pos.views_staff import user_may_supervise_pos

        return user_may_supervise_pos(user)
    return default_access_fn(user, url_name, url_args, url_kwargs)
