from django.urls import path

from . import views_staff as views

app_name = "pos_dashboard"

urlpatterns = [
    path("locations/", views.location_list, name="location-list"),
    path("locations/new/", views.location_form, name="location-create"),
    path("locations/<int:pk>/", views.location_form, name="location-update"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/new/", views.transfer_create, name="transfer-create"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/return/", views.transfer_return, name="transfer-return"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("conflicts/", views.conflict_list, name="conflict-list"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict-detail"),
    path("payments/", views.payment_list, name="payment-list"),
    path("payments/<int:pk>/verify/", views.payment_verify, name="payment-verify"),
    path("settings/", views.settings_view, name="settings"),
]
