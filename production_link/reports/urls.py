from django.urls import path

from . import views

app_name = "pnbp_reports_dashboard"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("report/", views.report_detail, name="report"),
    path("export/<str:fmt>/", views.report_export, name="export"),
    path("approve/", views.report_approve_view, name="approve"),
]
