from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
from .choosers import category_chooser_viewset, product_chooser_viewset
from .models import Inquiry, NewsletterIssue, Subscriber


class PublicRecordPermissionPolicy(ModelPermissionPolicy):
    """Records the public makes (inquiries, newsletter signups): staff read and delete
    them, nobody adds or edits them in the CMS, so no address becomes a confirmed
    subscriber without its owner's click."""

    NEVER = frozenset({"add", "change", "copy"})

    def user_has_permission(self, user, action):
        return action not in self.NEVER and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.NEVER]
        if not allowed:
            return super().users_with_any_permission(["view"]).none()
        return super().users_with_any_permission(allowed)


register_permission_policy(Inquiry, PublicRecordPermissionPolicy(Inquiry))
register_permission_policy(Subscriber, PublicRecordPermissionPolicy(Subscriber))


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    icon = "mail"
    menu_label = _("Inquiries")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["organisation", "name", "email", "topic", "created_at", "notified_at"]
    list_filter = ["topic", "language"]
    search_fields = ["organisation", "name", "email", "message"]
    form_fields = ["organisation", "name", "email", "phone", "topic", "quantity", "message"]


class SubscriberIndexView(IndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Download confirmed subscribers (CSV)"),
                url=reverse("cms_subscriber_export"),
                icon_name="download",
            ),
        ]


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Newsletter")
    index_view_class = SubscriberIndexView
    copy_view_enabled = False
    list_display = ["email", "language", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    form_fields = ["email"]


class ContactsViewSetGroup(ViewSetGroup):
    items = (InquiryViewSet("cms_inquiry"), SubscriberViewSet("cms_subscriber"))
    menu_label = _("Contacts")
    menu_icon = "group"


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_category_chooser():
    return category_chooser_viewset


@hooks.register("register_admin_viewset")
def register_contacts():
    return ContactsViewSetGroup()


@hooks.register("register_admin_urls")
def register_subscriber_export():
    return [path("newsletter/export/", views.subscriber_export, name="cms_subscriber_export")]


class NewsletterIssueViewSet(SnippetViewSet):
    """Newsletter issues: composed here; tried, sent and followed on their send page."""

    model = NewsletterIssue
    icon = "mail"
    menu_label = _("Newsletter issues")
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["subject", "slug", "status", "test_sent_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "slug"]


register_snippet(NewsletterIssueViewSet)


@hooks.register("register_admin_urls")
def register_newsletter_issue_send():
    return [
        path(
            "newsletter/issues/<int:pk>/send/",
            views.newsletter_issue_send,
            name="cms_newsletter_issue_send",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def newsletter_issue_send_button(snippet, user, next_url=None):
    if not isinstance(snippet, NewsletterIssue) or not user.has_perm("cms.view_newsletterissue"):
        return []
    return [
        Button(
            _("Test, send and log"),
            reverse("cms_newsletter_issue_send", args=[snippet.pk]),
            icon_name="mail",
            priority=5,
        )
    ]
