"""Ўзбекча on a 360 px phone in Chromium: choose the Cyrillic Uzbek site from the switcher, sign
up, confirm the address from the e-mail (its subject in Cyrillic), log in and enrol in a course
whose title is stored only in Uzbek Latin (issue 15, item 6)."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from programs.models import Enrolment
from technopark.models import User
from technopark.seed import seed_districts
from tests.conftest import run_tasks
from tests.e2e.accounts import confirm_and_log_in
from tests.programs.factories import CourseFactory, DirectionFactory, IntakeFactory

PASSWORD = "Asaka-Robotics-2025"
EMAIL = "dilnoza.karimova@example.uz"
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def site(live_server, transactional_db):
    seed_districts()
    course = CourseFactory(
        direction=DirectionFactory(name_uz="Dasturlash", slug="dasturlash"),
        title_uz="Veb-dasturlash asoslari",
        title_ru="Основы веб-программирования",
        title_en="Web programming basics",
        slug="veb-dasturlash",
        min_age=14,
        max_age=25,
    )
    IntakeFactory(
        course=course,
        capacity=12,
        start_date=datetime.date.today() + datetime.timedelta(days=14),
        schedule_uz="Dushanba, chorshanba 15:00–17:00",
    )
    return live_server.url


def open_menu(page):
    """The navbar is collapsed on a phone."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not opening


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_sign_up_and_enrol_in_cyrillic_uzbek_on_a_phone(page, site):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 360, "height": 780})
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    # The Latin home page; Ўзбекча from the switcher, beside Oʻzbekcha.
    page.goto(f"{site}/")
    expect(page.locator("h1")).to_have_text("Andijon yoshlar texnoparki")
    open_menu(page)
    page.get_by_test_id("language-menu").click()
    expect(page.get_by_role("link", name="Oʻzbekcha", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ўзбекча", exact=True).click()
    expect(page).to_have_url(f"{site}/uz-cyrl/")
    expect(page.locator("html")).to_have_attribute("lang", "uz-cyrl")
    expect(page.locator("h1")).to_have_text("Андижон ёшлар технопарки")
    fits_the_phone(page)

    # Sign up: Ўзбекча is already chosen as the language of messages.
    open_menu(page)
    sign_up = page.locator("header").get_by_role("link", name="Рўйхатдан ўтиш")
    expect(sign_up).to_be_visible()
    sign_up.click()
    expect(page).to_have_url(f"{site}/uz-cyrl/account/signup/")
    expect(page.locator("h1")).to_have_text("Ҳисобингизни яратинг")
    expect(page.locator("#id_preferred_language")).to_have_value("uz-cyrl")
    page.fill("#id_full_name", "Dilnoza Karimova")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_phone", "+998901234568")
    page.fill("#id_birth_date", "2008-04-12")
    page.select_option("#id_gender", "female")
    page.select_option("#id_district", label="Асака тумани")  # a district's Latin name, in Cyrillic
    page.fill("#id_organisation", "Asaka 5-maktab")
    page.get_by_role("button", name="Рўйхатдан ўтиш").click()
    expect(page).to_have_url(f"{site}/uz-cyrl/account/signup/done/")
    expect(page.locator("h1")).to_have_text("Электрон почтангизни текширинг")
    fits_the_phone(page)
    person = User.objects.get(email=EMAIL)
    assert person.preferred_language == "uz-cyrl"

    # The confirmation e-mail is written in Cyrillic, its link kept whole.
    run_tasks()
    confirmation = [m for m in mail.outbox if m.to == [EMAIL]][-1]
    assert confirmation.subject == "Электрон почта манзилингизни тасдиқланг"
    assert "Салом, Дилноза Каримова!" in confirmation.body
    assert "/uz-cyrl/account/confirm/" in confirmation.body
    confirm_and_log_in(page, site, EMAIL, PASSWORD, expect_message="Раҳмат, электрон почта манзилингиз тасдиқланди.")
    expect(page).to_have_url(re.compile(r"/uz-cyrl/my/$"))
    expect(page.locator("h1")).to_have_text("Менинг технопарким")

    # A course stored only in Latin Uzbek reads in Cyrillic; enrol.
    page.goto(f"{site}/uz-cyrl/programmes/courses/veb-dasturlash/")
    heading = page.locator("h1")
    expect(heading).to_have_text("Веб-дастурлаш асослари")
    assert not LATIN.search(heading.inner_text())
    page.get_by_role("button", name="Ёзилиш").click()
    expect(page.get_by_text("Сиз қабул қилиндингиз. Дарсларда кўришгунча!")).to_be_visible()
    fits_the_phone(page)
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == "enrolled"

    # "My technopark" lists it in Cyrillic; the enrolment e-mail's subject is Cyrillic too.
    page.goto(f"{site}/uz-cyrl/my/")
    row = page.get_by_test_id(f"enrolment-{enrolment.pk}")
    expect(row).to_contain_text("Веб-дастурлаш асослари")
    expect(row).to_contain_text("Душанба, чоршанба 15:00–17:00")
    fits_the_phone(page)
    run_tasks()
    subjects = [m.subject for m in mail.outbox if m.to == [EMAIL]]
    assert subjects[-1] == "Сиз қабул қилиндингиз: Веб-дастурлаш асослари"
    assert all(not LATIN.search(subject) for subject in subjects)

    assert problems == []
