"""The deadline rush, with Locust (issue 14, item 8). Run by ``manage.py benchmark_loadtest``
(``make loadtest``), which prepares the accounts and the season, starts gunicorn and writes the
JSON file named by ``LOADTEST_CONFIG`` that this file reads:

    {"password": ..., "young": [e-mails], "applicants": [e-mails], "staff": [e-mails],
     "course_path": ..., "machine_path": ..., "ranking_path": ..., "season": number}

Who is simulated (weights: of 100 people, 70 browse anonymously and 30 sign in):

* ``Visitor`` (70): anonymous, browsing the public pages, a page every 2–8 s;
* ``YoungPerson`` (20): signs in on arrival (a school class: with the spawn rate that
  ``benchmark_loadtest`` uses, every simulated person arrives within the first minute), then
  moves through their pages — "My technopark", the programmes, a course, a machine, their
  applications — every 3–8 s;
* ``Applicant`` (8): signs in, opens the InnoX form in the last hour of the season, saves a
  draft, comes back, and submits with a 5 MB PDF pitch deck; then looks at their application;
* ``Staff`` (2): the InnoX manager on the season's ranking page every 5–15 s.

Every answer other than the expected one counts as a failure (a sign-in must redirect, a draft
and a submission must redirect, pages must answer 200).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, task
from urllib3.util.retry import Retry

CONFIG = json.loads(Path(os.environ.get("LOADTEST_CONFIG", "var/loadtest/config.json")).read_text())
PASSWORD = CONFIG["password"]
_accounts = {kind: itertools.cycle(CONFIG[kind]) for kind in ("young", "applicants", "staff")}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A real PDF header and trailer around 5 MB of content: what a pitch deck weighs.
PITCH_DECK = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"
SEARCH_WORDS = ["robototexnika", "dasturlash", "texnopark", "3D", "startap", "veb"]


def _csrf(response) -> str:
    found = CSRF.search(response.text or "")
    return found[1] if found else ""


def sign_in(user: HttpUser, email: str) -> bool:
    page = user.client.get("/account/login/", name="sign-in form")
    with user.client.post(
        "/account/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page)},
        headers={"Referer": user.host + "/account/login/"},
        name="sign in (POST)",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"sign-in of {email} answered {response.status_code}")
            return False
    return True


def get(user: HttpUser, path: str, name: str | None = None):
    with user.client.get(path, name=name or path, catch_response=True, allow_redirects=False) as response:
        if response.status_code != 200:
            response.failure(f"{path} answered {response.status_code}")
        return response


class FormFields(HTMLParser):
    """The fields of the page's multipart form as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("enctype") == "multipart/form-data":
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "checkbox", "radio"):
            self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.data and attrs.get("value"):
                self.data[self._select] = attrs["value"]  # the first real choice
            if "selected" in attrs and attrs.get("value"):
                self.data[self._select] = attrs["value"]
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


class BrowserUser(HttpUser):
    """A browser's connection handling: a GET whose reused keep-alive connection the server
    closed at the same moment (no answer at all) is sent again once on a new connection, as
    browsers do; a POST never is, and any answer (a 5xx included) counts as it came."""

    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        retry = Retry(
            total=1,
            connect=1,
            read=1,
            status=0,
            other=0,
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        for adapter in self.client.adapters.values():
            adapter.max_retries = retry


class Visitor(BrowserUser):
    weight = 70
    wait_time = between(2, 8)

    @task(3)
    def home(self):
        get(self, "/")

    @task(3)
    def programmes(self):
        get(self, "/programmes/")

    @task(2)
    def course(self):
        get(self, CONFIG["course_path"], "course page")

    @task(2)
    def fablab(self):
        get(self, "/fablab/")

    @task(2)
    def machine(self):
        get(self, CONFIG["machine_path"], "machine page")

    @task
    def portfolio(self):
        get(self, "/innox/startups/")

    @task
    def impact(self):
        get(self, "/impact/")

    @task
    def news(self):
        get(self, "/news/")

    @task
    def search(self):
        get(self, f"/search/?q={random.choice(SEARCH_WORDS)}", "search")


class YoungPerson(BrowserUser):
    """One of a school class signing in together, then using their pages."""

    weight = 20
    wait_time = between(3, 8)

    def on_start(self):
        sign_in(self, next(_accounts["young"]))

    @task(3)
    def dashboard(self):
        get(self, "/my/", "signed in: dashboard")

    @task(2)
    def programmes(self):
        get(self, "/programmes/", "signed in: programme list")

    @task(2)
    def course(self):
        get(self, CONFIG["course_path"], "signed in: course page")

    @task(2)
    def machine(self):
        get(self, CONFIG["machine_path"], "signed in: machine page")

    @task
    def applications(self):
        get(self, "/innox/my/", "signed in: my applications")


class Applicant(BrowserUser):
    """The last hour of the season: a draft, then the submission with a 5 MB pitch deck."""

    weight = 8
    wait_time = between(3, 10)

    def on_start(self):
        self.step = 0
        self.signed_in = sign_in(self, next(_accounts["applicants"]))

    def _form(self):
        page = get(self, "/innox/apply/", "apply: form")
        parser = FormFields()
        parser.feed(page.text or "")
        data = parser.data
        data.update(
            {
                "team_name": f"Load test team {random.randint(1, 10**6)}",
                "project_title": "Smart irrigation for Andijan farms",
                "problem": "Farmers water by hand and lose a third of it. " * 5,
                "solution": "Cheap soil sensors and a Telegram bot that says when to water. " * 5,
            }
        )
        return data

    def _post(self, data, files, name):
        with self.client.post(
            "/innox/apply/",
            data=data,
            files=files,
            headers={"Referer": self.host + "/innox/apply/"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")
                return None
            return response.headers.get("Location", "")

    @task
    def rush(self):
        if not self.signed_in:
            return
        if self.step == 0:
            data = self._form()
            data["action"] = "save"
            if self._post(data, None, "apply: save draft") is not None:
                self.step = 1
        elif self.step == 1:
            data = self._form()
            data["action"] = "submit"
            location = self._post(
                data, {"pitch_deck": ("pitch-deck.pdf", PITCH_DECK, "application/pdf")}, "apply: submit with 5 MB PDF"
            )
            if location:
                self.application = location
                self.step = 2
        else:
            get(self, self.application, "signed in: application page")
            get(self, "/my/", "signed in: dashboard")


class Staff(BrowserUser):
    weight = 2
    wait_time = between(5, 15)

    def on_start(self):
        sign_in(self, next(_accounts["staff"]))

    @task
    def ranking(self):
        get(self, CONFIG["ranking_path"], "staff: ranking")
