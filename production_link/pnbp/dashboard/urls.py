from django.urls import path

from . import views

app_name = "pnbp_dashboard"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("split/", views.split_list, name="split-list"),
    path("deposits/", views.deposit_list, name="deposit-list"),
    path("deposits/new/", views.deposit_create, name="deposit-create"),
    path("deposits/<int:pk>/", views.deposit_detail, name="deposit-detail"),
    path("deposits/<int:pk>/billing/", views.deposit_billing, name="deposit-billing"),
    path("deposits/<int:pk>/ntpn/", views.deposit_ntpn, name="deposit-ntpn"),
    path("deposits/<int:pk>/cancel/", views.deposit_cancel, name="deposit-cancel"),
]
