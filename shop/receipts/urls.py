from django.urls import path

from . import views

app_name = "receipts"

# Beside Oscar's own order pages: accounts/orders/<number>/ and, for guests,
# accounts/order-status/<number>/<hash>/.
urlpatterns = [
    path(
        "accounts/orders/<str:order_number>/receipt.pdf",
        views.order_receipt,
        name="order",
    ),
    path(
        "accounts/order-status/<str:order_number>/<str:hash>/receipt.pdf",
        views.guest_order_receipt,
        name="guest-order",
    ),
]
