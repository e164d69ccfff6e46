"""The path from a masterclass to a startup: counted from records, as of a date, in a fixed
number of queries at 1x and 10x the data."""

import datetime

import pytest
from django.utils import timezone

from fablab.models import Booking
from impact.path import path_by_school, path_figures
from programs import services
from programs.models import Enrolment, MasterclassStudent
from tests.factories import UserFactory
from tests.programs.factories import EnrolmentFactory, IntakeFactory, MasterclassAttendanceFactory

pytestmark = pytest.mark.django_db
S = Enrolment.Status
DAY = datetime.date(2026, 6, 1)


def _walk(attendance, *, enrolled=False, completed=False, fablab=False):
    person = UserFactory()
    MasterclassStudent.objects.create(
        user=person, attendance=attendance, registered_at=timezone.make_aware(datetime.datetime(2026, 4, 1))
    )
    if enrolled or completed:
        intake = IntakeFactory(start_date=datetime.date(2025, 9, 1), status="running")
        enrolment = EnrolmentFactory(user=person, intake=intake, status=S.ENROLLED)
        services.ENROLMENT_WORKFLOW.record(enrolment, "", S.ENROLLED)
        if completed:
            services.enrolment_transition(enrolment, S.COMPLETED)
    if fablab:
        from tests.fablab.factories import BookingFactory

        BookingFactory(user=person, status=Booking.Status.COMPLETED)
    return person


def _grow(times):
    for _n in range(times):
        attendance = MasterclassAttendanceFactory(headcount=30, masterclass__date=datetime.date(2026, 3, 14))
        _walk(attendance, enrolled=True)
        _walk(attendance, completed=True)
        _walk(attendance)


def test_the_path_is_counted_from_records(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0), tick=False)
    _grow(1)
    MasterclassAttendanceFactory(headcount=10, masterclass__date=datetime.date(2026, 9, 1))  # after the date
    figures = path_figures(DAY)
    counts = {s["key"]: s["count"] for s in figures["stages"]}
    assert counts == {
        "students": 30,
        "registered": 3,
        "enrolled": 2,
        "completed": 1,
        "fablab": 0,
        "applied": 0,
        "participant": 0,
        "startup": 0,
    }
    assert figures["as_of"] == DAY
    # as of a day before anyone registered
    early = {s["key"]: s["count"] for s in path_figures(datetime.date(2026, 3, 20))["stages"]}
    assert early["students"] == 30 and early["registered"] == 0


@pytest.mark.parametrize("times", [1, 10])
def test_the_path_query_count_is_constant(times, django_assert_num_queries, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0), tick=False)
    _grow(times)
    with django_assert_num_queries(2):
        figures = path_figures(DAY)
    assert figures["stages"][1]["count"] == 3 * times
    with django_assert_num_queries(3):
        breakdown = path_by_school(DAY)
    assert len(breakdown["schools"]) == times
    assert sum(row["counts"]["completed"] for row in breakdown["districts"]) == times


def test_the_impact_page_and_staff_dashboard_sections_show_the_path():
    from django.template.loader import render_to_string
    from django.utils import translation

    _grow(1)
    with translation.override("ru"):
        section = render_to_string("impact/_path.html", {"path": path_figures()})
    assert "Путь: от школьного мастер-класса до стартапа" in section
    assert 'data-testid="path-registered">3<' in section
    # the staff dashboard's section (impact.views._path_breakdown feeds it)
    from impact.views import _path_breakdown

    with translation.override("ru"):
        section = render_to_string("impact/_path_breakdown.html", _path_breakdown())
    assert "Путь по районам и школам" in section and 'data-testid="path-schools"' in section
    assert "По районам" in section
