from django.urls import path

from . import views

app_name = "fablab"

urlpatterns = [
    path("", views.index, name="index"),
]
