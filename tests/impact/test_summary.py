"""The participation summaries the database keeps current (impact/models.py, PostgreSQL
triggers): after every kind of change they equal a count from the records, and the impact
page's unfiltered figures read them (issue 14, item 6: no scan of every person)."""

import pytest
from django.db.models import Count
from django.utils import timezone

from fablab.models import Booking
from impact.models import DirectionEnrolments, DistrictParticipation, PersonParticipation, rebuild
from impact.selectors import TAKING_PART_STATUSES, Filters, compute_figures, participants_queryset
from incubator.models import Application, Participant
from programs.models import Course, Direction, Enrolment, Intake
from tests.factories import UserFactory

from .conftest import grow

pytestmark = pytest.mark.django_db


def kept():
    """What the triggers keep: people per district, and enrolments per direction."""
    return (
        {r.district_key: r.people for r in DistrictParticipation.objects.filter(people__gt=0)},
        {r.direction_id: r.enrolments for r in DirectionEnrolments.objects.filter(enrolments__gt=0)},
        set(PersonParticipation.objects.values_list("user_id", flat=True)),
    )


def counted():
    """The same, counted from the records (the definition on the impact page)."""
    people = participants_queryset(Filters())
    by_district = {
        (row["district_id"] or 0): row["n"] for row in people.order_by().values("district_id").annotate(n=Count("id"))
    }
    by_direction = {
        row["intake__course__direction_id"]: row["n"]
        for row in Enrolment.objects.filter(status__in=TAKING_PART_STATUSES)
        .order_by()
        .values("intake__course__direction_id")
        .annotate(n=Count("id"))
    }
    return by_district, by_direction, set(people.values_list("pk", flat=True))


def test_the_statuses_in_the_triggers_are_the_models_statuses():
    # The migration's SQL names them: "rejected" enrolments, "confirmed"/"completed" bookings,
    # "draft" applications. A renamed status must fail here, not count wrongly.
    assert Enrolment.Status.REJECTED == "rejected"
    assert set(TAKING_PART_STATUSES) == set(Enrolment.Status.values) - {"rejected"}
    assert (Booking.Status.CONFIRMED, Booking.Status.COMPLETED) == ("confirmed", "completed")
    assert Application.Status.DRAFT == "draft"


def test_kept_counts_equal_the_records_after_every_kind_of_change(dataset):
    people, (d1, d2) = dataset["people"], dataset["districts"]
    i1, i2 = dataset["intakes"]
    s1, s2 = dataset["seasons"]
    assert kept() == counted()
    assert sum(kept()[0].values()) == 5  # a, b, c, d, e (the hand-built data set)

    # an enrolment: rejected → enrolled → withdrawn (dropped still took part) → deleted
    x = people["x"]
    rejected = Enrolment.objects.get(user=x)
    rejected.status = Enrolment.Status.ENROLLED
    rejected.save()
    assert x.pk in kept()[2] and kept() == counted()
    Enrolment.objects.filter(pk=rejected.pk).update(status=Enrolment.Status.DROPPED)
    assert kept() == counted()
    rejected.delete()
    assert x.pk not in kept()[2] and kept() == counted()

    # a booking: requested (no) → confirmed (yes) → cancelled (no)
    booking = Booking.objects.get(user=x)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CONFIRMED)
    assert x.pk in kept()[2] and kept() == counted()
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    assert x.pk not in kept()[2] and kept() == counted()

    # an application: a draft (no) submitted (yes), then given to someone else
    y = people["y"]
    draft = Application.objects.get(applicant=y)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED, submitted_at=timezone.now())
    assert y.pk in kept()[2] and kept() == counted()
    Application.objects.filter(pk=draft.pk).update(applicant=x)
    assert y.pk not in kept()[2] and x.pk in kept()[2] and kept() == counted()

    # a participant record without a user, then with one; a person counted twice stays one
    guest = Participant.objects.get(user__isnull=True)
    guest.user = y
    guest.save()
    assert kept() == counted()
    Participant.objects.create(season=s2, user=y, name="Y", email="y@example.uz")
    assert kept()[0] == counted()[0] and PersonParticipation.objects.get(user_id=y.pk).records == 2

    # a person moving district, and one with no district
    people["a"].district = d2
    people["a"].save()
    y.district = None
    y.save(update_fields=["district"])
    assert kept() == counted()

    # a course moving to another direction, and an intake to another course
    Course.objects.filter(pk=i1.course_id).update(direction=dataset["web"].pk)
    robotics = Direction.objects.exclude(pk=dataset["web"].pk).first()
    Intake.objects.filter(pk=i1.pk).update(course=Course.objects.filter(direction=robotics).first())
    assert kept() == counted()

    # bulk writes (no Django signals) are counted too
    newcomers = [UserFactory(district=d1) for _ in range(3)]
    Enrolment.objects.bulk_create([Enrolment(user=u, intake=i2, status=Enrolment.Status.COMPLETED) for u in newcomers])
    assert kept() == counted()
    Enrolment.objects.filter(user__in=newcomers).delete()
    assert kept() == counted()

    # rebuild() gives the same rows the triggers kept
    before = kept()
    rebuild()
    assert kept() == before


def test_unfiltered_figures_come_from_the_kept_counts(dataset):
    figures = compute_figures(Filters(), "en")
    assert figures["people"]["registered"] == 5
    # the page reads what the database keeps: a row changed by hand shows (nothing scans people)
    DistrictParticipation.objects.filter(district_key=dataset["districts"][0].pk).update(people=100)
    DirectionEnrolments.objects.filter(direction_id=dataset["web"].pk).update(enrolments=42)
    figures = compute_figures(Filters(), "en")
    assert figures["people"]["registered"] == 5 - 2 + 100  # Asaka had a and b
    web = next(d for d in figures["charts"]["directions"] if d["direction"] == "Veb dasturlash (en)")
    assert web["enrolments"] == 42
    # a year filter counts from the records
    assert compute_figures(Filters(year=2025), "en")["people"]["registered"] < 100


@pytest.mark.parametrize("extra", [0, 30])
def test_impact_figures_query_count_is_the_same_at_two_sizes(dataset, django_assert_num_queries, extra):
    grow(dataset, extra)
    from impact.selectors import QUERIES_PER_COMPUTE

    with django_assert_num_queries(QUERIES_PER_COMPUTE):
        compute_figures(Filters(), "uz")
