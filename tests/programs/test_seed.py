import io

import pytest
from django.db.models import Sum

from programs import seed
from programs.models import Certificate, Direction, Enrolment, Intake, Masterclass, MasterclassAttendance, PartnerSchool
from technopark import seed as core_seed
from technopark.models import User


@pytest.mark.django_db
def test_seed_reproduces_the_press_release_figures_and_is_idempotent():
    out = io.StringIO()
    core_seed.run(stdout=out)
    seed.run(stdout=out)
    counts = {model: model.objects.count() for model in (Direction, Intake, Enrolment, Certificate, Masterclass)}

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
    assert "programs: 12 directions" in out.getvalue()

    seed.run(stdout=io.StringIO())
    assert {model: model.objects.count() for model in counts} == counts
    assert Enrolment.objects.current().count() == 155
