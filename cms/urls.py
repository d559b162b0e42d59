"""Public URLs of the marketing site other than pages (those Wagtail serves)."""

from django.urls import path

from . import views

urlpatterns = [
    path("newsletter/", views.newsletter_signup, name="cms_newsletter_signup"),
    path(
        "newsletter/confirm/<str:token>/",
        views.newsletter_confirm,
        name="cms_newsletter_confirm",
    ),
    path(
        "newsletter/unsubscribe/<str:token>/",
        views.newsletter_unsubscribe,
        name="cms_newsletter_unsubscribe",
    ),
]
