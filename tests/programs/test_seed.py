import io

import pytest
from django.db.models import Count, F, Sum

from programs import seed, services
from programs.models import (
    Attendance,
    Certificate,
    Direction,
    Enrolment,
    Intake,
    Masterclass,
    MasterclassAttendance,
    PartnerSchool,
    Session,
)
from technopark import seed as core_seed
from technopark.models import User


@pytest.mark.django_db
def test_seed_reproduces_the_press_release_figures_and_is_idempotent():
    out = io.StringIO()
    core_seed.run(stdout=out)
    seed.run(stdout=out)
    models = (Direction, Intake, Enrolment, Certificate, Masterclass, Session, Attendance)
    counts = {model: model.objects.count() for model in models}

    assert Direction.objects.count() == 12
    assert Enrolment.objects.current().count() == 155
    pool = User.objects.filter(email__endswith="@demo.technopark.uz")
    assert pool.count() == 5300
    assert pool.filter(enrolments__isnull=True).count() == 0
    assert (
        Enrolment.objects.filter(user__email__endswith="@demo.technopark.uz").values("user").distinct().count() == 5300
    )
    past = Masterclass.objects.filter(date__year__in=[2024, 2025])
    assert past.count() == 27
    assert set(past.values_list("direction__slug", flat=True)) == {"web-programming", "graphic-web-design", "smm"}
    assert MasterclassAttendance.objects.filter(masterclass__in=past).aggregate(n=Sum("headcount"))["n"] == 2430
    assert PartnerSchool.objects.filter(kind="vocational").count() == 8
    assert PartnerSchool.objects.filter(kind="general").count() == 30
    assert PartnerSchool.objects.filter(masterclass_attendances__isnull=True).count() == 0
    # Every completed enrolment has its certificate; a full popular intake has a waitlist.
    assert Certificate.objects.count() == Enrolment.objects.filter(status="completed").count()
    full = Intake.objects.open_for_enrolment().with_seats().get(course__slug="web-frontend-basics")
    assert (full.seats_left, full.waitlist_count) == (0, 6)
    assert Intake.objects.open_for_enrolment().with_seats().filter(seats_left__gt=0).exists()
    youth = User.objects.get(email=core_seed.YOUTH_EMAIL)
    assert sorted(youth.enrolments.values_list("status", "intake__status")) == [
        ("completed", "finished"),
        ("enrolled", "running"),
    ]
    assert Certificate.objects.filter(enrolment__user=youth).count() == 1
    assert youth.enrolments.get(status="enrolled").attendance.filter(present=True).exists()
    _assert_finished_intakes_have_attendance()
    completed = youth.enrolments.get(status="completed")
    assert completed.intake.course.min_attendance_percent == 70
    assert 70 <= services.attendance_percent(completed) < 100
    assert "programs: 12 directions" in out.getvalue()

    seed.run(stdout=io.StringIO())
    assert {model: model.objects.count() for model in counts} == counts
    assert Enrolment.objects.current().count() == 155


def _assert_finished_intakes_have_attendance():
    """Every finished intake has its sessions; everyone who completed met the course's minimum
    attendance; people who dropped out attended only before they left."""
    finished = Intake.objects.filter(status=Intake.Status.FINISHED)
    assert finished.filter(sessions__isnull=True).count() == 0
    held = dict(
        Session.objects.filter(intake__in=finished).values("intake").annotate(n=Count("id")).values_list("intake", "n")
    )
    assert min(held.values()) >= 22  # 11 weeks, two or three lessons a week
    present = dict(
        Attendance.objects.filter(present=True, session__intake__in=finished)
        .values("enrolment")
        .annotate(n=Count("id"))
        .values_list("enrolment", "n")
    )
    completed = Enrolment.objects.filter(intake__in=finished, status=Enrolment.Status.COMPLETED)
    shares = [
        (100 * present.get(pk, 0) / held[intake_id], required)
        for pk, intake_id, required in completed.values_list(
            "pk", "intake_id", "intake__course__min_attendance_percent"
        )
    ]
    assert len(shares) == completed.count() > 4000
    assert all(share >= max(required, 80) for share, required in shares)
    assert any(share < 100 for share, _required in shares)
    dropped = Attendance.objects.filter(enrolment__status=Enrolment.Status.DROPPED, session__intake__in=finished)
    assert dropped.exists()
    assert dropped.filter(session__date__gte=F("enrolment__decided_at__date")).count() == 0
    # A completed person has a row for every session of the intake.
    assert Attendance.objects.filter(enrolment__in=completed).count() == sum(
        held[intake_id] for intake_id in completed.values_list("intake_id", flat=True)
    )


@pytest.mark.django_db
def test_seed_scale_two_doubles_the_people_related_rows():
    out = io.StringIO()
    core_seed.run(stdout=out)
    seed.run(stdout=out, scale=2)
    pool = User.objects.filter(email__endswith="@demo.technopark.uz")
    assert pool.count() == 2 * 5300
    assert pool.filter(enrolments__isnull=True).count() == 0
    assert pool.filter(email__startswith="youth1").filter(email__regex=r"^youth1\d{5}@").count() == 5300
    finished = Intake.objects.filter(status=Intake.Status.FINISHED)
    assert finished.count() == 2 * 180
    # 5,146 pool people (the other 154 study now) + youth@ in the first set, 5,300 in the second.
    assert Enrolment.objects.filter(intake__in=finished).count() == 5146 + 1 + 5300
    assert Certificate.objects.count() == Enrolment.objects.filter(status="completed").count()
    _assert_finished_intakes_have_attendance()
    # What is not about people stays as at scale 1.
    assert Enrolment.objects.current().count() == 155
    assert Direction.objects.count() == 12
    assert Masterclass.objects.past().count() == 27
    assert MasterclassAttendance.objects.aggregate(n=Sum("headcount"))["n"] == 2430
    assert PartnerSchool.objects.count() == 38

    models = (Intake, Enrolment, Certificate, Session, Attendance)
    counts = {model: model.objects.count() for model in models}
    seed.run(stdout=io.StringIO(), scale=2)
    assert {model: model.objects.count() for model in models} == counts
