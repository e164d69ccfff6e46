from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.index, name="index"),
]

# Mounted at the site path /certificates/ by technopark/urls.py (namespace "certificates").
certificate_urlpatterns = [
    path("<str:code>/", views.certificate_verify, name="verify"),
]
