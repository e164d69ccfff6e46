from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.index, name="index"),
    path("directions/<slug:slug>/", views.direction_detail, name="direction_detail"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path("intakes/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("enrolments/<int:pk>/offer/accept/", views.offer_accept, name="offer_accept"),
    path("enrolments/<int:pk>/offer/decline/", views.offer_decline, name="offer_decline"),
    path("enrolments/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("future/register/", views.masterclass_register, name="masterclass_register"),
    path("future/", views.future, name="future"),
    path("future/schools/", views.future_schools, name="future_schools"),
    path("staff/intakes/<int:pk>/attendance/", views.intake_attendance, name="intake_attendance"),
    path("staff/sessions/<int:pk>/", views.session_attendance, name="session_attendance"),
    path("staff/sessions/<int:pk>/materials/", views.session_material_add, name="session_material_add"),
    path("staff/feedback/", views.feedback_results, name="feedback_results"),
    path("staff/feedback/intakes/<int:pk>/", views.feedback_intake, name="feedback_intake"),
    path("certificates/<str:code>/print/", views.certificate_print, name="certificate_print"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
]

# Mounted at the site path /certificates/ by technopark/urls.py (namespace "certificates").
certificate_urlpatterns = [
    path("", views.certificate_lookup, name="lookup"),
    path("<str:code>/", views.certificate_verify, name="verify"),
    path("<str:code>/qr.svg", views.certificate_qr, name="qr"),
]
