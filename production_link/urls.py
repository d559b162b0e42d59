from django.urls import path

from . import views

app_name = "production_link"

urlpatterns = [
    path("<str:code>/", views.trace, name="trace"),
]
