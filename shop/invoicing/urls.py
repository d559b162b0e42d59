from django.urls import path

from . import views

app_name = "invoicing"

# Beside Oscar's order page of the buyer's account (accounts/orders/<number>/).
urlpatterns = [
    path(
        "accounts/orders/<str:order_number>/invoice.pdf",
        views.buyer_invoice,
        name="invoice",
    ),
    path(
        "accounts/orders/<str:order_number>/bast/<int:sequence>.pdf",
        views.buyer_delivery,
        name="delivery",
    ),
]
