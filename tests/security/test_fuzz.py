"""Fuzzing every form and every admin filter: no input may answer 5xx.

The forms are found by reading the pages each kind of visitor sees (anonymous, a young person, a
superuser, so staff pages too) and collecting their ``<form>`` elements; every admin change list
is fuzzed through its filters' own parameters (and search, ordering, paging), every admin export
through its format field. Values come from a seeded random generator: ordinary text, numbers and
dates, out-of-range and very long values, markup, SQL, NUL bytes and bytes that are not UTF-8.

``FUZZ_CASES`` (environment) is the number of cases per form or admin page: 1,000 for the figures
reported in the README (``FUZZ_CASES=1000 pytest tests/security/test_fuzz.py -s``); the default run
uses fewer, to keep the suite fast. Each target prints its counts: tried, refused (4xx), 5xx.
``FUZZ_SKIP=N`` leaves out the first N admin add or change forms (to go on with a stopped run).
"""

import datetime
import html.parser
import os
import random
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest
from django.contrib import admin
from django.test import Client

from fablab.models import FaultReport, TrainingSignup
from incubator.models import Application, DecisionTemplate, Mentor, ReviewAssignment
from programs.models import Enrolment, Intake
from technopark.roles import REVIEWER
from tests.conftest import make_staff
from tests.fablab.factories import ClearanceFactory, EquipmentFactory, TrainingSessionFactory
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, SeasonFactory, StartupFactory
from tests.programs.factories import EnrolmentFactory, IntakeFactory, SessionFactory

CASES = int(os.environ.get("FUZZ_CASES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20260115"))
# Admin add and change forms: skip the first N (in the admin's order), to go on with a long run
# that was stopped; the seeded values of the rest differ from an unbroken run's.
SKIP = int(os.environ.get("FUZZ_SKIP", "0"))

# Raw (already percent-encoded) values that are not valid UTF-8 or hold NUL bytes.
MALFORMED = ["%00", "a%00b", "%ff", "%c3%28", "%ed%a0%80", "%fe%ff", "%e2%82", "x%00%ff%00", "%C0%AF"]
TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "9" * 30,
    "-9223372036854775809",
    "1e309",
    "NaN",
    "3.14",
    "2026-02-30",
    "2026-01-15",
    "15.01.2026",
    "1900-01-01",
    "9999-12-31",
    "24:61",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "' OR 1=1 --",
    '"; DROP TABLE x; --',
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil")',
    "Oʻzbekiston",
    "Андижан",
    "🚀" * 10,
    "\u202eevil",
    "a" * 5000,
    "x@example.uz",
    "+998901234567",
    "../../etc/passwd",
    "%",
    "%%",
    "__all__",
]


def fuzz_value(rng, options=(), malformed=0.45):
    """A raw percent-encoded value: a real option, ordinary or odd text, or malformed bytes."""
    if rng.random() < malformed:
        return rng.choice(MALFORMED)
    if options and rng.random() < 0.5:
        return quote(rng.choice(options), safe="")
    return quote(rng.choice(TEXT), safe="")


class FormParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            options = self._form["fields"].setdefault(attrs["name"], {"type": attrs.get("type", tag), "options": []})
            if attrs.get("value"):
                options["options"].append(attrs["value"])
            if tag == "select":
                self._select = options
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select["options"].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class Tally:
    def __init__(self, name):
        self.name = name
        self.counts = Counter()
        self.failures = []

    def record(self, response, request):
        code = response.status_code
        self.counts["tried"] += 1
        if code >= 500:
            self.counts["5xx"] += 1
            self.failures.append(request)
        elif code >= 400:
            self.counts["refused"] += 1

    def report(self, capsys):
        with capsys.disabled():
            print(
                f"\nfuzz {self.name}: tried {self.counts['tried']}, refused {self.counts['refused']}, "
                f"5xx {self.counts['5xx']}"
            )
        assert self.counts["tried"] >= CASES
        assert self.counts["5xx"] == 0, self.failures[:5]


@pytest.fixture
def world(db, districts):
    season = SeasonFactory()
    youth = UserFactory(email="youth@example.uz")
    superuser = UserFactory(email="root@example.uz", is_staff=True, is_superuser=True)
    application = ApplicationFactory(season=season, status=Application.Status.SUBMITTED)
    accepted = ApplicationFactory(season=season, status=Application.Status.ACCEPTED)
    reviewer = make_staff(REVIEWER)
    ReviewAssignment.objects.create(application=application, reviewer=reviewer, assigned_by=superuser)
    startup = StartupFactory(season=season)
    intake = IntakeFactory()
    equipment = EquipmentFactory()
    # The later pages' forms (issues 11-13, the person's own data, two-step sign-in).
    ClearanceFactory(user=youth, category=equipment.category)  # may report a fault
    ended = IntakeFactory(
        start_date=datetime.date(2026, 1, 10), end_date=datetime.date(2026, 3, 10), status=Intake.Status.FINISHED
    )
    finished = EnrolmentFactory(user=youth, intake=ended, status=Enrolment.Status.COMPLETED)
    session = SessionFactory()
    now = datetime.datetime.now(datetime.UTC)
    training = TrainingSessionFactory(  # under way, so its roster has the marking forms
        trainer=superuser, start=now - datetime.timedelta(hours=1), end=now + datetime.timedelta(hours=1)
    )
    TrainingSignup.objects.create(session=training, user=UserFactory(), status=TrainingSignup.Status.SIGNED_UP)
    FaultReport.objects.create(equipment=equipment, reported_by=youth, text="The belt slips.")
    template = DecisionTemplate.objects.create(
        season=season,
        decision="rejected",
        subject_uz="Javob",
        subject_ru="Ответ",
        subject_en="Answer",
        body_uz="Salom",
        body_ru="Здравствуйте",
        body_en="Hello",
    )
    Mentor.objects.create(user=superuser, headline="Hardware")
    pages = {
        None: [
            "/account/login/",
            "/account/signup/",
            "/account/password/reset/",
            "/search/",
            "/programmes/",
            "/innox/startups/",
            "/fablab/",
            "/fablab/solutions/",
            "/news/",
            "/certificates/",
            "/programmes/future/register/",
        ],
        youth: [
            "/account/profile/",
            "/account/password/change/",
            "/innox/apply/",
            f"/programmes/courses/{intake.course.slug}/",
            f"/fablab/equipment/{equipment.slug}/book/",
            "/fablab/my/bookings/",
            "/account/my-data/",
            "/my/messages/settings/",
            f"/fablab/equipment/{equipment.slug}/report-fault/",
            f"/fablab/equipment/{equipment.slug}/",
            f"/programmes/enrolments/{finished.pk}/feedback/",
            "/innox/mentors/",
        ],
        superuser: [
            f"/innox/review/{application.pk}/",
            f"/innox/manage/seasons/{season.number}/ranking/",
            f"/innox/manage/applications/{application.pk}/startup/",
            "/fablab/staff/day/",
            "/fablab/staff/usage/",
            "/impact/staff/",
            f"/programmes/staff/intakes/{intake.pk}/attendance/",
            f"/innox/startups/{startup.slug}/",
            "/innox/review/pool/",
            f"/innox/manage/applications/{accepted.pk}/startup/",
            f"/programmes/staff/sessions/{session.pk}/",
            f"/fablab/staff/trainings/{training.pk}/",
            "/fablab/staff/faults/",
            f"/innox/manage/decision-templates/{template.pk}/preview/",
            "/innox/mentors/office-hours/",
            "/account/two-step/setup/",
        ],
        reviewer: [f"/innox/review/{application.pk}/", "/innox/review/pool/"],
    }
    return {"pages": pages, "superuser": superuser}


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def discover_forms(world):
    found = {}
    for user, urls in world["pages"].items():
        client = _client(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code < 500, url
            parser = FormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = form["action"] or response.request["PATH_INFO"]
                action = urlsplit(action).path or url
                fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
                if not fields or "/i18n/" in action or action.endswith("/logout/"):
                    continue
                key = (form["method"], action, tuple(sorted(fields)))
                found.setdefault(key, (user, fields))
    return found


def test_fuzz_every_form(world, capsys):
    rng = random.Random(SEED)
    forms = discover_forms(world)
    assert len(forms) >= 25, sorted(forms)
    total = Tally("all forms")
    for (method, action, _names), (user, fields) in sorted(forms.items(), key=lambda item: item[0]):
        tally = Tally(f"form {method.upper()} {action} ({len(fields)} fields)")
        client = _client(user)
        for _ in range(CASES):
            names = [n for n in fields if rng.random() < 0.8]
            # About a third of the cases carry malformed bytes in one field; the rest reach the
            # form's own validation with odd but decodable values.
            broken = rng.choice(names) if names and rng.random() < 0.35 else None
            pairs = [
                f"{quote(n, safe='')}={fuzz_value(rng, fields[n]['options'], malformed=1.0 if n == broken else 0)}"
                for n in names
            ]
            if rng.random() < 0.1:
                pairs.append(f"{rng.choice(MALFORMED)}={fuzz_value(rng)}")
            body = "&".join(pairs)
            if method == "post":
                response = client.post(action, body, content_type="application/x-www-form-urlencoded")
            else:
                response = client.get(action, QUERY_STRING=body)
            tally.record(response, (method, action, body[:300]))
            total.record(response, (method, action, body[:300]))
        tally.report(capsys)
    total.report(capsys)


def admin_targets(client):
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url
        params = {"q": [], "o": ["1", "-1", "1.2"], "p": ["1", "2"], "e": ["1"], "all": [""], "_to_field": ["id"]}
        for spec in response.context["cl"].filter_specs:
            for name in spec.expected_parameters():
                params[name] = [
                    str(c.get("query_string", "")).split("=")[-1] for c in spec.choices(response.context["cl"])
                ]
        if model_admin.date_hierarchy:
            for part in ("year", "month", "day"):
                params[f"{model_admin.date_hierarchy}__{part}"] = ["2025", "1", "31"]
        export = f"{url}export/" if hasattr(model_admin, "get_export_formats") else None
        yield url, params, export


def test_fuzz_every_admin_filter_and_export(world, capsys):
    rng = random.Random(SEED + 1)
    client = _client(world["superuser"])
    total = Tally("all admin pages")
    targets = list(admin_targets(client))
    assert len(targets) >= 20
    for url, params, export in targets:
        tally = Tally(f"admin {url} ({len(params)} parameters)")
        names = list(params)
        for _ in range(CASES):
            chosen = rng.sample(names, k=min(len(names), rng.randint(1, 3)))
            query = "&".join(f"{quote(n, safe='')}={fuzz_value(rng, params[n])}" for n in chosen)
            response = client.get(url, QUERY_STRING=query)
            tally.record(response, (url, query[:300]))
            total.record(response, (url, query[:300]))
        tally.report(capsys)
        if export:
            tally = Tally(f"admin export {export}")
            for _ in range(max(1, CASES // 4)):
                body = f"format={fuzz_value(rng, ['0', '1', '2', '99', '-1'])}&resource={fuzz_value(rng, ['0', '1'])}"
                response = client.post(export, body, content_type="application/x-www-form-urlencoded")
                tally.record(response, (export, body))
                total.record(response, (export, body))
            with capsys.disabled():
                print(
                    f"\nfuzz {tally.name}: tried {tally.counts['tried']}, refused {tally.counts['refused']}, "
                    f"5xx {tally.counts['5xx']}"
                )
            assert tally.counts["5xx"] == 0, tally.failures[:5]
    total.report(capsys)


def admin_forms(client, kind: str = "add"):
    """(URL, fields) of every admin add form (``kind="add"``) or change form of the first object
    of each model (``"change"``) that the superuser may open and save, inlines' management fields
    included."""
    for model in admin.site._registry:
        opts = model._meta
        if kind == "add":
            url = f"/admin/{opts.app_label}/{opts.model_name}/add/"
        else:
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                continue
            url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
        response = client.get(url)
        if response.status_code != 200:
            continue  # the admin adds none of these (applications, reviews, enrolments, bookings, ...)
        parser = FormParser()
        parser.feed(response.content.decode())
        form = next((f for f in parser.forms if f["method"] == "post" and f["fields"].get("_save")), None)
        if form is None:
            continue  # read only (a status history, an access record): nothing to post
        fields = {k: v for k, v in form["fields"].items() if k not in ("csrfmiddlewaretoken", "_save")}
        yield url, fields


@pytest.mark.parametrize("kind,at_least", [("add", 30), ("change", 20)])
def test_fuzz_every_admin_add_and_change_form(world, capsys, kind, at_least):
    rng = random.Random(SEED + (2 if kind == "add" else 3))
    client = _client(world["superuser"])
    total = Tally(f"all admin {kind} forms")
    targets = list(admin_forms(client, kind))
    assert len(targets) >= at_least, [url for url, _fields in targets]
    for url, fields in targets[SKIP:]:
        tally = Tally(f"admin form {url} ({len(fields)} fields)")
        for _ in range(CASES):
            names = [n for n in fields if rng.random() < 0.85]
            broken = rng.choice(names) if names and rng.random() < 0.2 else None
            body = "&".join(
                f"{quote(n, safe='')}={fuzz_value(rng, fields[n]['options'], malformed=1.0 if n == broken else 0)}"
                for n in names
            )
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            tally.record(response, (url, body[:300]))
            total.record(response, (url, body[:300]))
        tally.report(capsys)
    total.report(capsys)
