from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("staff/reports/innox/<int:number>/", views.season_report, name="season_report"),
    path("staff/reports/equipment/<slug:slug>/", views.equipment_report, name="equipment_report"),
]
