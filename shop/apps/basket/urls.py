from django.urls import path

from . import views

app_name = "buy_again"

urlpatterns = [
    path("basket/buy-again/<str:order_number>/", views.buy_again, name="order"),
]
