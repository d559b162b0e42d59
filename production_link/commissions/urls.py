from django.urls import path

from . import views

app_name = "commissions"

urlpatterns = [
    path("book/<int:product_pk>/", views.booking_create, name="booking-create"),
    path("", views.booking_list, name="booking-list"),
    path("dates/<int:pk>/cancel/", views.occurrence_cancel, name="occurrence-cancel"),
]
