"""The staff pages' side of the permission matrix, completed: every staff address (a route under
``staff/`` or ``manage/``) is placed in the matrix — the pages read with GET in
``test_permission_matrix.PAGES`` or ``MORE_PAGES`` here, the actions (POST) in ``ACTIONS`` — so a
new staff page fails this test until whoever adds it writes down who may use it.

For each staff role: an allowed page answers 200; an allowed action is not refused (no 403, 404 or
405: it acts, or answers 400/302 for the empty form); every other role is refused with 403 or 404
and changes nothing. No role may cause a 5xx.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from fablab.models import Booking, FaultReport, TrainingSignup
from incubator.models import Application, DecisionTemplate
from programs.models import SessionMaterial
from tests.conftest import make_staff
from tests.fablab.factories import BookingFactory, EquipmentFactory, TrainingSessionFactory
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, SeasonFactory
from tests.programs.factories import IntakeFactory, SessionFactory

from .test_permission_matrix import PAGES, ROLE_NAMES, C, E, F, I, P, R  # noqa: E741

pytestmark = pytest.mark.django_db

# staff page read with GET -> roles allowed (200)
MORE_PAGES = {
    "programs:feedback_intake": {C},
    "incubator:decision_template_preview": {I},
    "incubator:startup_create": {I},
    "fablab:staff_trainings": {F},
    "fablab:staff_training": {F},
    "fablab:staff_faults": {F},
}

# staff action (POST) -> roles allowed (not refused)
ACTIONS = {
    "programs:session_material_add": {C},
    "fablab:staff_decide": {F},
    "fablab:staff_training_mark": {F},
    "fablab:staff_fault_handle": {F},
}

# What the matrix posts: a form each action refuses (nothing changes), so an allowed role is seen
# to reach the action's own validation and a refused one to be stopped before it.
PROBES = {
    "programs:session_material_add": {},
    "fablab:staff_decide": {"action": "check_out"},  # the booking is only requested
    "fablab:staff_training_mark": {"result": ""},
    "fablab:staff_fault_handle": {"action": "maintenance"},  # no start, no end
}

STAFF_ROUTE_PARTS = ("staff/", "manage/")


def staff_url_names():
    """URL names ("namespace:name") of every route with ``staff/`` or ``manage/`` in its path."""
    names = set()

    def walk(patterns, route, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, route + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                path = route + str(pattern.pattern)
                if namespace != "admin" and any(part in path for part in STAFF_ROUTE_PARTS):
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_staff_address_is_in_the_matrix():
    placed = set(PAGES) | set(MORE_PAGES) | set(ACTIONS)
    assert sorted(staff_url_names() - placed) == [], "add the new staff pages to the permission matrix"
    assert sorted(set(MORE_PAGES) | set(ACTIONS)) == sorted((set(MORE_PAGES) | set(ACTIONS)) & staff_url_names())


@pytest.fixture
def objects():
    season = SeasonFactory()
    template = DecisionTemplate.objects.create(
        season=season,
        decision="accepted",
        subject_uz="Tabriklaymiz",
        subject_ru="Поздравляем",
        subject_en="Congratulations",
        body_uz="Salom",
        body_ru="Здравствуйте",
        body_en="Hello",
    )
    accepted = ApplicationFactory(season=season, status=Application.Status.ACCEPTED)
    intake = IntakeFactory()
    training = TrainingSessionFactory(
        start=timezone.now() - datetime.timedelta(hours=3), end=timezone.now() - datetime.timedelta(hours=1)
    )
    signup = TrainingSignup.objects.create(session=training, user=UserFactory(), status=TrainingSignup.Status.SIGNED_UP)
    fault = FaultReport.objects.create(
        equipment=EquipmentFactory(), reported_by=UserFactory(), text="The nozzle drips."
    )
    return {
        "template": template,
        "accepted": accepted,
        "intake": intake,
        "session": SessionFactory(intake=intake),
        "training": training,
        "signup": signup,
        "fault": fault,
        "booking": BookingFactory(),
    }


def url_of(name, objects):
    arguments = {
        "programs:feedback_intake": objects["intake"].pk,
        "incubator:decision_template_preview": objects["template"].pk,
        "incubator:startup_create": objects["accepted"].pk,
        "fablab:staff_training": objects["training"].pk,
        "programs:session_material_add": objects["session"].pk,
        "fablab:staff_decide": objects["booking"].pk,
        "fablab:staff_training_mark": objects["signup"].pk,
        "fablab:staff_fault_handle": objects["fault"].pk,
    }
    return reverse(name, args=[arguments[name]] if name in arguments else [])


def untouched(objects):
    """What a refused action would have changed."""
    return (
        SessionMaterial.objects.count(),
        Booking.objects.get(pk=objects["booking"].pk).status,
        TrainingSignup.objects.get(pk=objects["signup"].pk).status,
        FaultReport.objects.get(pk=objects["fault"].pk).status,
    )


@pytest.mark.parametrize("role", [C, I, R, F, E, P])
def test_the_remaining_staff_pages_and_actions(client, objects, role):
    client.force_login(make_staff(ROLE_NAMES[role]))
    wrong = []
    for name, allowed in MORE_PAGES.items():
        status = client.get(url_of(name, objects)).status_code
        if (role in allowed and status != 200) or (role not in allowed and status not in (403, 404)):
            wrong.append(f"{role} GET {name}: {status} (expected {'200' if role in allowed else '403/404'})")
    before = untouched(objects)
    for name, allowed in ACTIONS.items():
        status = client.post(url_of(name, objects), PROBES[name]).status_code
        refused = status in (403, 404, 405)
        if status >= 500 or (role in allowed) == refused:
            wrong.append(f"{role} POST {name}: {status} (expected {'allowed' if role in allowed else '403/404'})")
    assert wrong == []
    assert untouched(objects) == before


def test_a_refused_action_changes_nothing_even_with_a_full_form(client, objects):
    """The refused roles send what the allowed one would (a decision, a mark, a maintenance window)."""
    forms = {
        "fablab:staff_decide": {"decision": "confirm", "action": "confirm"},
        "fablab:staff_training_mark": {"result": "passed"},
        "fablab:staff_fault_handle": {"action": "maintenance", "hours": "2"},
        "programs:session_material_add": {"kind": "link", "title": "Slides", "url": "https://example.uz/s"},
    }
    before = untouched(objects)
    for role in (I, R, E, P):
        client.force_login(make_staff(ROLE_NAMES[role]))
        for name, data in forms.items():
            if role in ACTIONS[name]:
                continue
            assert client.post(url_of(name, objects), data).status_code in (403, 404), (role, name)
    assert untouched(objects) == before
