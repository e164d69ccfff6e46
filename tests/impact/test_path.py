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


def test_the_later_steps_fablab_innox_and_startup_are_counted_from_their_records(time_machine):
    """Every stage after "completed" from its own records, each as of the date: a FabLab booking
    confirmed or completed that has begun, a submitted InnoX application, a season participant
    whose programme has started, a startup founder. People outside the cohort never count."""
    from incubator.models import Application
    from tests.fablab.factories import BookingFactory
    from tests.incubator.factories import ApplicationFactory, ParticipantFactory, StartupFactory

    # In May: the bookings and applications are made (a booking starts a few weekdays later).
    time_machine.move_to(datetime.datetime(2026, 5, 4, 12, 0), tick=False)
    attendance = MasterclassAttendanceFactory(headcount=40, masterclass__date=datetime.date(2026, 3, 14))
    walker = _walk(attendance, completed=True)
    BookingFactory(user=walker, status=Booking.Status.COMPLETED)
    ApplicationFactory(applicant=walker, status=Application.Status.SUBMITTED)
    participant = ParticipantFactory(user=walker, season__programme_start=datetime.date(2026, 5, 20))
    StartupFactory().founders.add(participant)

    requested_only = _walk(attendance)
    BookingFactory(user=requested_only, status=Booking.Status.REQUESTED)  # never used the FabLab
    ApplicationFactory(applicant=requested_only)  # a draft is not an application

    outsider = UserFactory()  # walks the same steps without a masterclass code
    BookingFactory(user=outsider, status=Booking.Status.CONFIRMED)
    ApplicationFactory(applicant=outsider, status=Application.Status.SUBMITTED)
    ParticipantFactory(user=outsider, season__programme_start=datetime.date(2026, 5, 20))

    # In July, after the date: a later season's participant and a later startup do not count for June.
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, 0), tick=False)
    late = ParticipantFactory(user=requested_only, season__programme_start=datetime.date(2026, 7, 1))
    StartupFactory().founders.add(late)

    counts = {s["key"]: s["count"] for s in path_figures(DAY)["stages"]}
    assert counts == {
        "students": 40,
        "registered": 2,
        "enrolled": 1,
        "completed": 1,
        "fablab": 1,
        "applied": 1,
        "participant": 1,
        "startup": 1,
    }
    later = {s["key"]: s["count"] for s in path_figures(datetime.date(2026, 7, 1))["stages"]}
    assert (later["participant"], later["startup"]) == (2, 2)
    # before the booking began and before the application was sent, neither counts
    early = {s["key"]: s["count"] for s in path_figures(datetime.date(2026, 5, 3))["stages"]}
    assert (early["fablab"], early["applied"], early["participant"]) == (0, 0, 0)
    # the staff breakdown agrees with the totals
    [school] = path_by_school(DAY)["schools"]
    assert {key: school["counts"][key] for key in counts} == counts


def test_the_impact_page_draws_the_path_from_the_figures(client, time_machine):
    """The public page carries the path's chart data (the same counts as the table) and its date."""
    import json
    import re

    from django.core.cache import cache

    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0), tick=False)
    _grow(2)
    cache.clear()
    page = client.get("/ru/impact/").content.decode()
    assert 'canvas data-chart="path"' in page
    as_of = page.split('data-testid="path-as-of">')[1].split("</p>")[0]
    assert "01.06.2026" in as_of
    data = json.loads(
        re.search(r'<script id="impact-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert data["path"]["horizontal"] is True
    assert len(data["path"]["labels"]) == 8
    assert data["path"]["datasets"][0]["data"] == [60, 6, 4, 2, 0, 0, 0, 0]
    assert 'data-testid="path-registered">6<' in page


def test_the_impact_page_keeps_the_path_like_the_figures(client, django_assert_num_queries, settings):
    """The impact page reads the path once per IMPACT_CACHE_SECONDS, like its figures (the page
    cache is off here, as for a signed-in visitor); the kept path's labels follow the language of
    each request."""
    from impact.selectors import impact_path

    settings.PAGE_CACHE_SECONDS = 0
    _grow(1)
    impact_path()
    with django_assert_num_queries(0):
        kept = impact_path()
    assert {s["key"]: s["count"] for s in kept["stages"]}["registered"] == 3
    assert "Путь: от школьного мастер-класса до стартапа" in client.get("/ru/impact/").content.decode()
    uz = client.get("/impact/").content.decode()
    assert 'data-testid="path-registered">3<' in uz
    assert "Путь" not in uz
