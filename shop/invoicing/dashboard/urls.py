from django.urls import path

from . import views

app_name = "invoicing_dashboard"

# Invoices are found by their order's number (an invoice number holds slashes).
urlpatterns = [
    path("", views.receivables, name="receivables"),
    path("receivables.csv", views.receivables_csv, name="receivables-csv"),
    path("<str:order_number>/", views.invoice_detail, name="invoice-detail"),
    path("<str:order_number>/invoice.pdf", views.invoice_pdf_download, name="invoice-pdf"),
    path("<str:order_number>/payments/", views.invoice_payment, name="invoice-payment"),
    path("<str:order_number>/deliveries/", views.delivery_create, name="delivery-create"),
    path(
        "<str:order_number>/deliveries/<int:sequence>.pdf",
        views.delivery_pdf_download,
        name="delivery-pdf",
    ),
]
