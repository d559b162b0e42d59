from django.urls import path

from . import views

app_name = "procurement_dashboard"

urlpatterns = [
    path("", views.procurement_index, name="index"),
    path("<int:lapas_id>/e-katalog.xlsx", views.procurement_ekatalog, name="ekatalog"),
    path("<int:lapas_id>/price-list.pdf", views.procurement_price_list, name="price-list"),
]
