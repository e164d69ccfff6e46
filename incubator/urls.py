from django.urls import path

from . import views

app_name = "incubator"

urlpatterns = [
    path("", views.index, name="index"),
    path("startups/", views.portfolio, name="portfolio"),
    path("startups/<slug:slug>/", views.startup_detail, name="startup_detail"),
    path("investor-days/", views.investor_day_list, name="investor_day_list"),
    path("investor-days/<int:pk>/", views.investor_day_detail, name="investor_day_detail"),
    path("apply/", views.apply, name="apply"),
    path("my/", views.my_applications, name="my_applications"),
    path("my/<int:pk>/", views.my_application, name="my_application"),
    path("my/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("team/confirm/<str:token>/", views.team_confirm, name="team_confirm"),
    path("applications/<int:pk>/pitch-deck/", views.pitch_deck, name="pitch_deck"),
    path("review/", views.review_assignments, name="review_assignments"),
    path("review/pool/", views.review_pool, name="review_pool"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/pick/", views.review_pick, name="review_pick"),
    path("review/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("manage/seasons/<int:number>/ranking/", views.ranking, name="ranking"),
    path("manage/seasons/<int:number>/applications.csv", views.export_applications, name="export_applications"),
    path("manage/seasons/<int:number>/reviews.csv", views.export_reviews, name="export_reviews"),
    path("manage/applications/<int:pk>/startup/", views.startup_create, name="startup_create"),
    path("manage/seasons/<int:number>/reviews/", views.review_progress, name="review_progress"),
    path(
        "manage/decision-templates/<int:pk>/preview/",
        views.decision_template_preview,
        name="decision_template_preview",
    ),
    path("my/<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("mentors/", views.mentors, name="mentors"),
    path("mentors/slots/<int:pk>/book/", views.office_hour_book, name="office_hour_book"),
    path("mentors/my-bookings/", views.my_office_hours, name="my_office_hours"),
    path("mentors/bookings/<int:pk>/cancel/", views.office_hour_cancel, name="office_hour_cancel"),
    path("mentors/office-hours/", views.mentor_hours, name="mentor_hours"),
    path("mentors/bookings/<int:pk>/note/", views.mentor_note, name="mentor_note"),
    path("startups/<slug:slug>/report/", views.monthly_report, name="monthly_report"),
    path("startups/<slug:slug>/milestones/", views.milestone_add, name="milestone_add"),
    path("startups/<slug:slug>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
]
