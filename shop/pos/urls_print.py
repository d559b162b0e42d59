"""/pos/receipts/… and /pos/sessions/…/z-report: outside the language prefix, like the
POS app itself (the printed language follows the cashier's language cookie)."""

from django.urls import path

from . import views_print

app_name = "pos_print"

urlpatterns = [
    path("receipts/<str:number>/", views_print.receipt, name="receipt"),
    path("receipts/<str:number>.pdf", views_print.receipt_pdf, name="receipt-pdf"),
    path("sessions/<int:pk>/z-report/", views_print.z_report, name="z-report"),
    path("sessions/<int:pk>/z-report.pdf", views_print.z_report_pdf, name="z-report-pdf"),
]
