from django.urls import path

from . import views

app_name = "commissions_dashboard"

urlpatterns = [
    path("services/", views.service_days, name="service-days"),
    path("services/<int:pk>/capacity/", views.capacity_set, name="capacity-set"),
    path("made-to-order/", views.commission_list, name="commission-list"),
]
