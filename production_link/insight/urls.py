from django.urls import path

from . import views

app_name = "insight_dashboard"

urlpatterns = [
    path("", views.insight_index, name="index"),
    path("demand/", views.insight_demand, name="demand"),
    path("products/", views.insight_products, name="products"),
    path("buyers/", views.insight_buyers, name="buyers"),
    path("csv/<slug:name>/", views.insight_csv, name="csv"),
]
