from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("accounts/personal-data/", views.account, name="account"),
    path("accounts/personal-data/download/", views.export, name="export"),
    # Oscar's own "Delete profile" address: its link on the profile page lands here, so an
    # account can only go through the erasure that keeps the orders' books whole.
    path("accounts/profile/delete/", views.erase, name="erase"),
]
