"""Signed-in pages: the parts that are the same for everyone are cached under the page cache's
namespace versions (technopark/templatetags/fragment_cache.py). Query counts with one number at
two data sizes; a change refreshes the fragment after commit; the person's own parts stay theirs."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.fablab.factories import BookingFactory, EquipmentFactory
from tests.factories import UserFactory
from tests.programs.factories import CourseFactory, EnrolmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    person = UserFactory()
    client.force_login(person)
    return client


def without_csrf(response) -> str:
    """The page less its CSRF tokens (masked anew for every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def grow_programmes(n):
    for _ in range(n):
        intake = IntakeFactory()
        EnrolmentFactory.create_batch(2, intake=intake)


@pytest.mark.parametrize("extra", [0, 25])
def test_programme_list_signed_in_queries_at_two_sizes(signed_in, django_assert_num_queries, extra):
    grow_programmes(3 + extra)
    url = reverse("programs:index")
    # rendered: session, user, directions, count, the page's courses (+ the request's savepoint
    # and its release: ATOMIC_REQUESTS)
    with django_assert_num_queries(7):
        first = signed_in.get(url)
    # the catalogue from the fragment cache: neither the directions, the count nor the page's
    # courses are read again (the view hands them to the fragment as a callable, push=)
    with django_assert_num_queries(4):
        again = signed_in.get(url)
    assert first.status_code == again.status_code == 200
    assert without_csrf(first) == without_csrf(again)


def test_programme_list_fragment_is_refreshed_by_a_change_and_keeps_the_visitor_apart(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory(title="Robotics", title_uz="Robototexnika")
    IntakeFactory(course=course)
    ali, vali = UserFactory(full_name="Ali Valiyev"), UserFactory(full_name="Vali Aliyev")
    client.force_login(ali)
    with translation.override("uz"):  # the Uzbek list, whatever language an earlier test left active
        url = reverse("programs:index")
    assert "Robototexnika" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        course.title_uz = "Robototexnika asoslari"
        course.save()
    page = client.get(url).content.decode()
    assert "Robototexnika asoslari" in page
    # another person gets the same catalogue with their own session's page around it
    client.force_login(vali)
    other = client.get(url)
    assert "Robototexnika asoslari" in other.content.decode()
    assert other.context["user"] == vali


@pytest.mark.parametrize("extra", [0, 20])
def test_machine_page_signed_in_queries_at_two_sizes(signed_in, django_assert_num_queries, extra):
    machine = EquipmentFactory()
    for _ in range(extra):
        BookingFactory(equipment=EquipmentFactory(category=machine.category))
    url = reverse("fablab:equipment_detail", args=[machine.slug])
    response = signed_in.get(url)
    assert response.status_code == 200
    # session, user, and the savepoint and its release: the machine and the training panel
    # (sessions, the person's clearance) are kept, read in one round trip to the cache, and the
    # week (opening hours, exceptions, blocks) is read and rendered only when its fragment is
    # stale (push=calendar)
    with django_assert_num_queries(4):
        again = signed_in.get(url)
    assert without_csrf(again) == without_csrf(response)


def test_machine_page_fragment_is_refreshed_by_a_booking(client, django_capture_on_commit_callbacks):
    machine = EquipmentFactory()
    client.force_login(UserFactory())
    url = reverse("fablab:equipment_detail", args=[machine.slug])
    before = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        BookingFactory(equipment=machine, status="confirmed")
    after = client.get(url).content.decode()
    assert before.count('data-state="booked"') == 0
    assert after.count('data-state="booked"') >= 1


def test_without_the_cache_the_page_is_rendered(signed_in, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = signed_in.get(reverse("programs:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_course_page_signed_in_queries_at_two_sizes(signed_in, django_assert_num_queries, extra):
    course = CourseFactory()
    for _ in range(2 + extra):
        EnrolmentFactory.create_batch(2, intake=IntakeFactory(course=course))
    url = course.get_absolute_url()
    # rendered: session, user, course, intakes with seats, the person's enrolments, the rating
    # (+ the request's savepoint and its release)
    with django_assert_num_queries(8):
        first = signed_in.get(url)
    # the course, its intakes, the rating and the person's enrolments from the cache (one round
    # trip): only the session's, the user's and the transaction's queries
    with django_assert_num_queries(4):
        again = signed_in.get(url)
    assert first.status_code == again.status_code == 200
    assert without_csrf(first) == without_csrf(again)


# The machine page and the course page keep the machine or course itself: a change to it shows at
# once, and one that takes it off the public pages answers 404 at once. Each spec: the object, its
# URL, the field renamed, and the change that makes it no longer public.
KEPT_OBJECTS = {
    "machine": (
        lambda: EquipmentFactory(name="Bambu Lab X1", name_uz="Bambu Lab X1"),
        lambda machine: reverse("fablab:equipment_detail", args=[machine.slug]),
        ("name_uz", "Bambu Lab X1 Carbon"),
        ("status", "retired"),
    ),
    "course": (
        lambda: CourseFactory(title="Robotics", title_uz="Robototexnika"),
        lambda course: course.get_absolute_url(),
        ("title_uz", "Robototexnika asoslari"),
        ("is_active", False),
    ),
}


@pytest.mark.parametrize("kind", list(KEPT_OBJECTS))
def test_kept_object_follows_a_change_to_it(client, django_capture_on_commit_callbacks, kind):
    make, url_of, (field, renamed), (hidden_field, hidden) = KEPT_OBJECTS[kind]
    obj = make()
    client.force_login(UserFactory())
    with translation.override("uz"):
        url = url_of(obj)
    assert getattr(obj, field) in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        setattr(obj, field, renamed)
        obj.save()
    assert renamed in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        setattr(obj, hidden_field, hidden)
        obj.save()
    assert client.get(url).status_code == 404  # no longer public


def test_course_page_seats_are_refreshed_by_an_enrolment_and_the_persons_own_status_stays_theirs(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory()
    intake = IntakeFactory(course=course, capacity=5)
    ali, vali = UserFactory(), UserFactory()
    client.force_login(ali)
    url = course.get_absolute_url()

    def seats(page):
        return re.search(r'data-testid="seats-left">([^<]+)<', page).group(1)

    assert seats(client.get(url).content.decode()) == "5 / 5"
    with django_capture_on_commit_callbacks(execute=True):
        EnrolmentFactory(user=vali, intake=intake)
    page = client.get(url).content.decode()
    assert seats(page) == "4 / 5"
    assert 'data-testid="my-status"' not in page  # Ali is not enrolled; Vali's enrolment is not his
    client.force_login(vali)
    page = client.get(url).content.decode()
    assert seats(page) == "4 / 5" and 'data-testid="my-status"' in page


def test_machine_page_training_panel_is_the_persons_own_and_follows_their_clearance(
    client, django_capture_on_commit_callbacks
):
    from tests.fablab.factories import ClearanceFactory

    machine = EquipmentFactory(requires_clearance=True)
    ali, vali = UserFactory(), UserFactory()
    url = reverse("fablab:equipment_detail", args=[machine.slug])
    client.force_login(ali)
    assert 'data-testid="needs-clearance"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ClearanceFactory(user=ali, category=machine.category)
    assert 'data-testid="my-clearance"' in client.get(url).content.decode()
    client.force_login(vali)  # Ali's clearance is not Vali's
    assert 'data-testid="needs-clearance"' in client.get(url).content.decode()


def test_application_page_is_kept_for_its_applicant_only_and_follows_the_team(
    client, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django.utils import timezone

    from incubator.models import Application, TeamMember
    from tests.incubator.factories import ApplicationFactory

    ali, vali = UserFactory(), UserFactory()
    application = ApplicationFactory(applicant=ali, status=Application.Status.SUBMITTED, pitch_deck="")
    member = TeamMember.objects.create(application=application, name="Zarina", email="zarina@example.uz")
    url = "/en" + reverse("incubator:my_application", args=[application.pk])

    def zarina(page):
        return re.search(r"Zarina · zarina@example.uz ·\s*<span[^>]*>([^<]+)<", page).group(1)

    client.force_login(ali)
    assert zarina(client.get(url).content.decode()) == "not invited yet"
    assert zarina(client.get(url).content.decode()) == "not invited yet"  # kept
    client.force_login(vali)
    assert client.get(url).status_code == 404  # never someone else's, kept or not
    client.force_login(ali)
    # in a block of its own: the setup's saves left raises of the same namespace pending in the
    # test's transaction (it never commits), which bump_on_commit would reuse
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        member.invited_at = member.confirmed_at = timezone.now()
        member.save()
    assert zarina(client.get(url).content.decode()) == "confirmed"


# The list pages whose body is the same for everyone: the view hands the body's reads to the
# fragment as a callable (push=), so a kept body costs no query of its own. Each spec: the URL
# name, a function adding n items the page lists, a function making one change the page shows
# (it returns the text to look for), and the queries of a kept page (session, user, the
# request's savepoint and its release; on the FabLab pages also the person's permissions, two
# queries, for the staff links of the FabLab menu, and on the catalogue its category tabs).
def _masterclasses(n):
    from tests.programs.factories import MasterclassAttendanceFactory

    return [MasterclassAttendanceFactory().masterclass for _ in range(n)]


def _startups(n):
    from tests.incubator.factories import StartupFactory

    return StartupFactory.create_batch(n)


def _solutions(n):
    from tests.fablab.factories import EngineeringSolutionFactory
    from tests.incubator.factories import StartupFactory

    startup = StartupFactory()
    return [EngineeringSolutionFactory(startup=startup, machines=[EquipmentFactory()]) for _ in range(n)]


def _machines(n):
    return EquipmentFactory.create_batch(n)


def _rename(field):
    def change(objects):
        obj = objects[0]
        setattr(obj, field, f"{getattr(obj, field)} yangilandi")
        obj.save()
        return f"{getattr(obj, field)}"

    return change


LIST_PAGES = {
    "masterclasses": ("programs:future", _masterclasses, _rename("title_uz"), 4),
    "startup portfolio": ("incubator:portfolio", _startups, _rename("name"), 4),
    "solutions gallery": ("fablab:solution_list", _solutions, _rename("title_uz"), 6),
    "equipment catalogue": ("fablab:index", _machines, _rename("name_uz"), 7),
}


@pytest.mark.parametrize("extra", [0, 15])
@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_page_body_is_kept_at_two_sizes(signed_in, django_assert_num_queries, page, extra):
    name, make, _change, kept = LIST_PAGES[page]
    make(3 + extra)
    with translation.override("uz"):
        url = reverse(name)
    first = signed_in.get(url)
    with django_assert_num_queries(kept):
        again = signed_in.get(url)
    assert first.status_code == again.status_code == 200
    assert without_csrf(first) == without_csrf(again)


@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_page_body_is_refreshed_by_a_change_to_what_it_shows(client, django_capture_on_commit_callbacks, page):
    name, make, change, _kept = LIST_PAGES[page]
    objects = make(2)
    client.force_login(UserFactory())
    with translation.override("uz"):
        url = reverse(name)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        text = change(objects)
    assert text in client.get(url).content.decode()


@pytest.mark.parametrize("extra", [0, 15])
def test_search_results_are_kept_at_two_sizes(signed_in, django_assert_num_queries, extra):
    for n in range(3 + extra):
        CourseFactory(title=f"Robotics {n}", title_uz=f"Robototexnika {n}")
    with translation.override("uz"):
        url = reverse("search") + "?q=robototexnika"
    first = signed_in.get(url)
    assert "Robototexnika 0" in first.content.decode()
    with django_assert_num_queries(4):  # session, user, savepoint, release: no search of its own
        again = signed_in.get(url)
    assert without_csrf(first) == without_csrf(again)


def test_search_results_are_refreshed_by_a_change_in_any_app(client, django_capture_on_commit_callbacks):
    from tests.fablab.factories import EquipmentFactory as Machine

    CourseFactory(title="Robotics", title_uz="Robototexnika")
    client.force_login(UserFactory())
    with translation.override("uz"):
        url = reverse("search") + "?q=robototexnika"
    assert "Robototexnika to‘plami" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Machine(name="Robototexnika to‘plami", name_uz="Robototexnika to‘plami")
    assert "Robototexnika to‘plami" in client.get(url).content.decode()
