from django.urls import path

from . import views

app_name = "fablab"

urlpatterns = [
    path("", views.index, name="index"),
    path("equipment/<slug:slug>/", views.equipment_detail, name="equipment_detail"),
    path("equipment/<slug:slug>/book/", views.booking_create, name="booking_create"),
    path("projects/", views.funding_list, name="funding_list"),
    path("projects/<slug:slug>/", views.funding_detail, name="funding_detail"),
    path("solutions/", views.solution_list, name="solution_list"),
    path("solutions/<slug:slug>/", views.solution_detail, name="solution_detail"),
    path("my/bookings/", views.my_bookings, name="my_bookings"),
    path("my/bookings.ics", views.my_bookings_ics, name="my_bookings_ics"),
    path("my/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("feed/<int:user_id>/<str:token>.ics", views.ics_feed, name="ics_feed"),
    path("staff/day/", views.staff_day, name="staff_day"),
    path("staff/usage/", views.staff_usage, name="staff_usage"),
    path("staff/book/", views.staff_book, name="staff_book"),
    path("staff/outside-hours/", views.staff_outside_hours, name="staff_outside_hours"),
    path("staff/bookings/<int:pk>/decide/", views.staff_decide, name="staff_decide"),
    path("equipment/<slug:slug>/report-fault/", views.fault_report, name="fault_report"),
    path("trainings/<int:pk>/sign-up/", views.training_sign_up, name="training_sign_up"),
    path("my/trainings/<int:pk>/cancel/", views.training_cancel, name="training_cancel"),
    path("staff/trainings/", views.staff_trainings, name="staff_trainings"),
    path("staff/trainings/<int:pk>/", views.staff_training, name="staff_training"),
    path("staff/trainings/signups/<int:pk>/mark/", views.staff_training_mark, name="staff_training_mark"),
    path("staff/faults/", views.staff_faults, name="staff_faults"),
    path("staff/faults/<int:pk>/", views.staff_fault_handle, name="staff_fault_handle"),
]
