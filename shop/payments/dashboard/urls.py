from django.urls import path

from . import views

app_name = "payments_dashboard"

urlpatterns = [
    path("<str:number>/refund/", views.order_refund, name="order-refund"),
    path("<str:number>/refund/<int:pk>/retry/", views.refund_retry, name="refund-retry"),
]
