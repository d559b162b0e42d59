"""The buyer's card payment pages, in both languages (included under i18n_patterns).

Stripe's webhook is language-neutral and lives at /payments/stripe/webhook/ (shop/urls.py).
"""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("stripe/pay/<str:checkout_number>/", views.stripe_pay, name="stripe-pay"),
    path("stripe/return/<str:checkout_number>/", views.stripe_return, name="stripe-return"),
]
