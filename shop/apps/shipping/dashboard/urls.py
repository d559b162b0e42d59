from django.urls import path

from . import views

app_name = "parcels_dashboard"

urlpatterns = [
    path("upload/", views.parcels_upload, name="upload"),
    path("<str:number>/", views.order_parcels, name="order-parcels"),
    path("<str:number>/<int:pk>/remove/", views.parcel_remove, name="parcel-remove"),
]
