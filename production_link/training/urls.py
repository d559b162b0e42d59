from django.urls import path

from . import views

app_name = "training_dashboard"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_create, name="create"),
    path("<int:pk>/delete/", views.course_delete, name="delete"),
]
