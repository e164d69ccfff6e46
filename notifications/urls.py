from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("settings/", views.preferences, name="preferences"),
    path("telegram/link/", views.telegram_link, name="telegram_link"),
    path("telegram/unlink/", views.telegram_unlink, name="telegram_unlink"),
]
