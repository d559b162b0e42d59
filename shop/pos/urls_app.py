"""The POS web app at /pos/ (included outside the language prefixes: one service worker
scope for the whole app; the language follows the cookie set by Django's set_language)."""

from django.urls import path

from . import views_app

app_name = "pos_app"

urlpatterns = [
    path("", views_app.shell, name="shell"),
    path("sw.js", views_app.service_worker, name="sw"),
    path("manifest.webmanifest", views_app.manifest, name="manifest"),
]
