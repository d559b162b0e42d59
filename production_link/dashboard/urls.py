from django.urls import path

from . import views

app_name = "production_dashboard"

urlpatterns = [
    path("", views.batch_list, name="batch-list"),
    path("new/", views.batch_create, name="batch-create"),
    path("import/", views.batch_import, name="batch-import"),
    path("<int:pk>/", views.batch_detail, name="batch-detail"),
    path("<int:pk>/plan/", views.batch_plan, name="batch-plan"),
    path("<int:pk>/production/", views.batch_production, name="batch-production"),
    path("<int:pk>/qc/", views.batch_qc, name="batch-qc"),
    path("<int:pk>/qc/rework/", views.batch_qc_rework, name="batch-qc-rework"),
    path("<int:pk>/qc/write-off/", views.batch_write_off, name="batch-write-off"),
    path("qc-evidence/<int:pk>/", views.qc_evidence_file, name="qc-evidence"),
    path("<int:pk>/release/", views.batch_release, name="batch-release"),
    path("<int:pk>/recall/", views.batch_recall, name="batch-recall"),
    path("<int:pk>/label.png", views.batch_label_png, name="batch-label-png"),
    path("<int:pk>/labels.pdf", views.batch_label_pdf, name="batch-label-pdf"),
    path("<int:pk>/labels.zpl", views.batch_label_zpl, name="batch-label-zpl"),
    path("<int:pk>/trace.csv", views.batch_trace_csv, name="batch-trace-csv"),
]
