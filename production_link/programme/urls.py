from django.urls import path

from . import views

app_name = "programme_dashboard"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("create/", views.programme_create, name="programme-create"),
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("<int:pk>/budget/", views.programme_budget_add, name="programme-budget-add"),
    path("<int:pk>/budget/delete/", views.programme_budget_delete, name="programme-budget-delete"),
    path("<int:pk>/milestones/", views.programme_milestone_add, name="programme-milestone-add"),
    path(
        "<int:pk>/milestones/done/",
        views.programme_milestone_done,
        name="programme-milestone-done",
    ),
    path("monev/", views.monev_page, name="monev"),
    path("monev/answers/", views.monev_answers, name="monev-answers"),
    path("monev/findings/", views.monev_finding_add, name="monev-finding-add"),
    path("monev/follow-ups/", views.monev_follow_up_add, name="monev-follow-up-add"),
    path("monev/follow-ups/status/", views.monev_follow_up_status, name="monev-follow-up-status"),
    path("reports/submit/", views.report_submit, name="report-submit"),
    path("reports/resubmit/", views.report_resubmit, name="report-resubmit"),
    path("region/", views.region_index, name="region-index"),
    path("region/submissions/<int:pk>/", views.region_submission, name="region-submission"),
    path(
        "region/submissions/<int:pk>/acknowledge/",
        views.region_acknowledge,
        name="region-acknowledge",
    ),
    path("region/submissions/<int:pk>/return/", views.region_return, name="region-return"),
    path("region/consolidated/", views.region_consolidated, name="region-consolidated"),
    path(
        "region/consolidated/<str:fmt>/",
        views.region_consolidated_export,
        name="region-consolidated-export",
    ),
]
