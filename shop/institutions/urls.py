from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.account, name="account"),
    path("quotes/", views.quote_list, name="quote-list"),
    path("quotes/request/", views.quote_request, name="quote-request"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<int:pk>/accept/", views.quote_accept, name="quote-accept"),
    path("quotes/<int:pk>/reject/", views.quote_reject, name="quote-reject"),
    path("quotes/<int:pk>/withdraw/", views.quote_withdraw, name="quote-withdraw"),
    path(
        "quotes/<int:pk>/files/<int:file_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("quotes/<int:pk>/po/", views.po_download, name="po-download"),
]
