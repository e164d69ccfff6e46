from django.urls import path

from . import views

app_name = "incubator"

urlpatterns = [
    path("", views.index, name="index"),
]
