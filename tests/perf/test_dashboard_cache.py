""" "My technopark" keeps each person's panels (technopark/templatetags/dashboard.py) while the
namespaces they show are unchanged: a repeat visit reads no panel's rows, every kind of change a
panel shows refreshes it after commit, people never see each other's panels, and a form in a
stored panel still passes the CSRF check."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from fablab.models import Clearance
from notifications import services as notifications
from programs.models import Enrolment
from tests.fablab.factories import ClearanceFactory, EquipmentCategoryFactory
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, SeasonFactory
from tests.notifications.messages import say_hello
from tests.programs.factories import CourseFactory, EnrolmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db

PANEL_TABLES = ("programs_enrolment", "incubator_application", "fablab_booking", "notifications_notification")


@pytest.fixture(autouse=True)
def _on(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300


def dashboard_url():
    with translation.override("uz"):
        return reverse("dashboard")


def panel_tables_read(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url())
    assert response.status_code == 200
    return [t for q in queries.captured_queries for t in PANEL_TABLES if f'"{t}"' in q["sql"]]


@pytest.fixture
def person(client):
    someone = UserFactory(full_name="Dilnoza Karimova")
    client.force_login(someone)
    client.get(dashboard_url())  # the CSRF cookie the stored panels are keyed by
    return someone


def test_a_repeat_visit_reads_no_panel_rows(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EnrolmentFactory(user=person, intake=IntakeFactory(course=CourseFactory(title_uz="Robototexnika")))
    # only the panel whose namespace the enrolment raised is read again, then none
    assert panel_tables_read(client) == ["programs_enrolment"]
    assert panel_tables_read(client) == []
    assert "Robototexnika" in client.get(dashboard_url()).content.decode()


def test_off_the_panels_are_read_every_time(client, person, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    panel_tables_read(client)
    assert set(panel_tables_read(client)) == set(PANEL_TABLES)


def test_an_enrolment_changed_by_staff_refreshes_the_programmes_panel(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(user=person, status=Enrolment.Status.WAITLISTED)
    assert 'data-testid="waitlist-position"' in client.get(dashboard_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save()
    assert 'data-testid="waitlist-position"' not in client.get(dashboard_url()).content.decode()


def test_a_new_message_and_reading_it_refresh_the_messages_panel(client, person, django_capture_on_commit_callbacks):
    assert 'id="unread-count"' not in client.get(dashboard_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        say_hello(person)
    page = client.get(dashboard_url()).content.decode()
    assert 'id="unread-count"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.mark_all_read(person) == 1
    assert 'id="unread-count"' not in client.get(dashboard_url()).content.decode()


def test_a_draft_application_refreshes_the_innox_panel(client, person, django_capture_on_commit_callbacks):
    client.get(dashboard_url())
    with django_capture_on_commit_callbacks(execute=True):
        ApplicationFactory(applicant=person, season=SeasonFactory(), project_title="Aqlli sugʻorish")
    assert "Aqlli sugʻorish" in client.get(dashboard_url()).content.decode()


def test_a_clearance_granted_and_revoked_refreshes_the_fablab_panel(client, person, django_capture_on_commit_callbacks):
    category = EquipmentCategoryFactory(name_uz="Lazerli kesish")
    client.get(dashboard_url())
    with django_capture_on_commit_callbacks(execute=True):
        clearance = ClearanceFactory(user=person, category=category)
    assert "Lazerli kesish" in client.get(dashboard_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Clearance.objects.get(pk=clearance.pk).delete()
    assert "Lazerli kesish" not in client.get(dashboard_url()).content.decode()


def test_people_never_see_each_others_panels(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EnrolmentFactory(user=person, intake=IntakeFactory(course=CourseFactory(title_uz="Kiberxavfsizlik")))
    assert "Kiberxavfsizlik" in client.get(dashboard_url()).content.decode()
    other = Client()
    other.force_login(UserFactory())
    other.get(dashboard_url())
    assert "Kiberxavfsizlik" not in other.get(dashboard_url()).content.decode()


def test_a_form_in_a_stored_panel_passes_the_csrf_check_after_signing_in_again(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(user=person, status=Enrolment.Status.OFFERED)
    browser = Client(enforce_csrf_checks=True)
    for _visit in range(2):  # signing in again makes a new CSRF secret: the stored panel is not reused
        browser.force_login(person)
        browser.get(dashboard_url())
        page = browser.get(dashboard_url()).content.decode()
        assert 'data-testid="offer-accept"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with translation.override("uz"):
        accept = reverse("programs:offer_accept", args=[enrolment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(accept, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_without_the_cache_the_dashboard_is_rendered(client, person, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert client.get(dashboard_url()).status_code == 200


def test_all_panels_and_their_versions_come_in_one_round_trip(client, person, monkeypatch):
    """The first panel reads every panel's stored copy and all their namespaces' versions in one
    ``get_many``; the other panels take theirs from it."""
    from technopark import page_cache
    from technopark.registry import dashboard_panels

    client.get(dashboard_url())  # store the panels
    calls = []
    real_get_many = page_cache.cache.get_many

    def spy(keys, *args, **kwargs):
        calls.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get_many", spy)
    assert panel_tables_read(client) == []
    panel_reads = [keys for keys in calls if any(k.startswith("dashboard:") for k in keys)]
    assert len(panel_reads) == 1
    assert len([k for k in panel_reads[0] if k.startswith("dashboard:")]) == len(dashboard_panels()) >= 4
    assert f"page-cache:ns:person:{person.pk}" in panel_reads[0]
