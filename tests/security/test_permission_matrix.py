"""The permission matrix: each staff role × each admin model (change list, add, change, delete,
export) and each staff page → allowed or refused, written down here and checked by requests.

Letters: l = change list (GET), a = add (GET the form), c = change (POST), d = delete (POST),
x = export (GET the export form; only models with an export). A role not named for a model may do
nothing with it. Every model registered in the admin must appear in MODELS, so a new model is
placed in the matrix by whoever adds it. Change and delete are asked for an id that does not
exist: the admin checks the permission before it looks for the object (refused → 403, allowed →
302 "does not exist"), so the matrix needs no object of every model; the object-level rules (a
superuser's account, a reviewer's own application) are tested in test_least_privilege.py and
test_admin_rules.py.
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from technopark.roles import (
    EDITOR,
    FABLAB_MANAGER,
    INCUBATOR_MANAGER,
    PEOPLE_ADMINISTRATOR,
    PROGRAMME_COORDINATOR,
    REVIEWER,
)
from tests.conftest import make_staff
from tests.fablab.factories import FundingProjectFactory
from tests.factories import UserFactory
from tests.incubator.factories import SeasonFactory
from tests.programs.factories import IntakeFactory, SessionFactory

pytestmark = pytest.mark.django_db

C, I, R, F, E, P, S = "C", "I", "R", "F", "E", "P", "S"  # noqa: E741 - roles; S = superuser
ROLE_NAMES = {
    C: PROGRAMME_COORDINATOR,
    I: INCUBATOR_MANAGER,
    R: REVIEWER,
    F: FABLAB_MANAGER,
    E: EDITOR,
    P: PEOPLE_ADMINISTRATOR,
}

# model -> {role: allowed}. The superuser column (S) is written where a rule binds superusers too;
# elsewhere a superuser may do everything the admin offers and is not checked.
MODELS = {
    # core
    "technopark.user": {P: "lac", S: "lacd"},
    "technopark.district": {C: "l", I: "l", F: "l", P: "l"},
    "technopark.newsarticle": {E: "lacd"},
    "technopark.transliterationoverride": {E: "lacd"},
    "security.accessrecord": {P: "l", S: "l"},
    "otp_totp.totpdevice": {P: "ld"},
    "otp_static.staticdevice": {P: "ld"},
    "auth.group": {},
    "axes.accessattempt": {},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
    "django_tasks_database.dbtaskresult": {},
    "notifications.notification": {},
    "notifications.delivery": {},
    "notifications.telegramlink": {},
    # programmes
    "programs.direction": {C: "lacd"},
    "programs.course": {C: "lacd"},
    "programs.intake": {C: "lacd"},
    "programs.enrolment": {C: "lcx", S: "lcx"},
    "programs.certificate": {C: "lc", S: "lc"},
    "programs.partnerschool": {C: "lacd"},
    "programs.masterclass": {C: "lacd"},
    "programs.session": {C: "lacd"},
    # InnoX
    "incubator.season": {I: "lacd"},
    "incubator.scorecriterion": {I: "lacd"},
    "incubator.application": {I: "lcdx", S: "lcdx"},
    "incubator.statuschange": {I: "l", S: "l"},
    "incubator.review": {I: "ldx", S: "ldx"},
    "incubator.reviewassignment": {I: "lad", S: "lad"},
    "incubator.conflictofinterest": {I: "lad", S: "lad"},
    "incubator.participant": {I: "lacd"},
    "incubator.startup": {I: "lacd"},
    "incubator.investor": {I: "lacd"},
    "incubator.exchangerate": {I: "lacd"},
    "incubator.investment": {I: "lacdx"},
    "incubator.investorday": {I: "lacd"},
    "incubator.competition": {I: "lacd"},
    "incubator.submission": {I: "lacd"},
    "incubator.decisiontemplate": {I: "lacd"},
    "incubator.mentor": {I: "lacd"},
    "incubator.officehourslot": {I: "lacd"},
    "incubator.officehourbooking": {I: "lcd"},
    "incubator.monthlyreport": {I: "lacd"},
    # FabLab
    "fablab.equipmentcategory": {F: "lacd"},
    "fablab.fundingproject": {F: "lacd"},
    "fablab.equipment": {F: "lacd"},
    "fablab.clearance": {F: "lacd"},
    "fablab.maintenancewindow": {F: "lacd"},
    "fablab.booking": {F: "lcx", S: "lcx"},
    "fablab.bookingsuspension": {F: "lacd"},
    "fablab.weeklyhours": {F: "lc"},  # the seven weekdays exist (migration): none is added or deleted
    "fablab.openingexception": {F: "lacd"},
    "fablab.engineeringsolution": {F: "lacd"},
    "fablab.trainingsession": {F: "lacd"},
    "fablab.faultreport": {F: "lcd"},
}

# staff page (URL name and how to build its arguments) -> roles allowed (200); others get 403 or 404
PAGES = {
    "impact:staff": {C, I, R, F, E, P},
    "impact:season_report": {I},
    "impact:equipment_report": {F},
    "programs:intake_attendance": {C},
    "programs:session_attendance": {C},
    "programs:feedback_results": {C},
    "incubator:ranking": {I},
    "incubator:review_progress": {I},
    "incubator:export_applications": {I},
    "incubator:export_reviews": {I},
    "incubator:review_assignments": {I, R},
    "incubator:review_pool": {I, R},
    "fablab:staff_day": {F},
    "fablab:staff_usage": {F},
    "fablab:staff_outside_hours": {F},
    "fablab:staff_book": {F},
}

MISSING = 2_000_000_000  # an id no row has


def admin_cases():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        ops = {
            "l": ("get", base),
            "a": ("get", f"{base}add/"),
            "c": ("post", f"{base}{MISSING}/change/"),
            "d": ("post", f"{base}{MISSING}/delete/"),
        }
        if isinstance(model_admin, ExportMixin):
            ops["x"] = ("get", f"{base}export/")
        yield label, ops


def test_every_admin_model_is_in_the_matrix():
    registered = {label for label, _ops in admin_cases()}
    assert sorted(registered - set(MODELS)) == [], "add the new admin models to MODELS"
    assert sorted(set(MODELS) - registered) == [], "models in MODELS that the admin no longer has"


def _check_admin(client, role):
    wrong = []
    for label, ops in admin_cases():
        allowed = MODELS.get(label, {}).get(role)
        if allowed is None and role == S:
            continue  # the superuser column is written only where it binds
        allowed = allowed or ""
        for op, (method, url) in ops.items():
            response = getattr(client, method)(url, {"post": "yes"} if op == "d" else {})
            refused = response.status_code == 403
            if response.status_code >= 500 or (op in allowed) == refused:
                expected = "allow" if op in allowed else "deny"
                wrong.append(f"{role} {label} {op}: {response.status_code} (expected {expected})")
    return wrong


@pytest.fixture
def objects():
    intake = IntakeFactory()
    return {
        "season": SeasonFactory(),
        "project": FundingProjectFactory(),
        "intake": intake,
        "session": SessionFactory(intake=intake),
    }


def page_url(name, objects):
    arguments = {
        "impact:season_report": {"number": objects["season"].number},
        "impact:equipment_report": {"slug": objects["project"].slug},
        "programs:intake_attendance": {"pk": objects["intake"].pk},
        "programs:session_attendance": {"pk": objects["session"].pk},
        "incubator:ranking": {"number": objects["season"].number},
        "incubator:review_progress": {"number": objects["season"].number},
        "incubator:export_applications": {"number": objects["season"].number},
        "incubator:export_reviews": {"number": objects["season"].number},
    }
    return reverse(name, kwargs=arguments.get(name, {}))


@pytest.fixture
def week():
    """The seven weekdays of the FabLab's hours, as the migration creates them (a transactional
    test may have emptied the table)."""
    from fablab.models import WeeklyHours

    for day in range(7):
        WeeklyHours.objects.get_or_create(weekday=day)


@pytest.mark.parametrize("role", [C, I, R, F, E, P, S])
def test_the_admin_matrix(client, week, role):
    user = UserFactory(is_staff=True, is_superuser=True) if role == S else make_staff(ROLE_NAMES[role])
    client.force_login(user)
    assert _check_admin(client, role) == []


@pytest.mark.parametrize("role", [C, I, R, F, E, P])
def test_the_staff_pages_matrix(client, objects, role):
    client.force_login(make_staff(ROLE_NAMES[role]))
    wrong = []
    for name, allowed in PAGES.items():
        status = client.get(page_url(name, objects)).status_code
        expected_ok = role in allowed
        if (expected_ok and status != 200) or (not expected_ok and status not in (403, 404)):
            wrong.append(f"{role} {name}: {status} (expected {'200' if expected_ok else '403/404'})")
    assert wrong == []
