from django.urls import path

from . import dashboard_views as views

app_name = "institutions_dashboard"

urlpatterns = [
    path("quotes/", views.quote_list, name="quote-list"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<int:pk>/decline/", views.quote_decline, name="quote-decline"),
    path(
        "quotes/<int:pk>/files/<int:file_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("quotes/<int:pk>/po/", views.po_download, name="po-download"),
    path("reserved/", views.reservation_list, name="reservation-list"),
    path("reserved/<int:product_pk>/clear/", views.reservation_clear, name="reservation-clear"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
]
