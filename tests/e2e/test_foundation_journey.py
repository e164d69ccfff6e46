"""A newcomer's first visit in Chromium: languages, sign-up, logout, login, the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from technopark.models import User
from technopark.seed import seed_districts
from tests.e2e.accounts import confirm_and_log_in

PASSWORD = "Asaka-Robotics-2025"


@pytest.fixture
def site(live_server, transactional_db):
    seed_districts()
    return live_server.url


def switch_language(page, name):
    page.get_by_test_id("language-menu").click()
    page.get_by_role("link", name=name, exact=True).click()


@pytest.mark.browser
def test_foundation_journey(page, site):
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    # Home in Uzbek (the default language, no prefix).
    page.goto(f"{site}/")
    expect(page.locator("html")).to_have_attribute("lang", "uz")
    expect(page.locator("h1")).to_have_text("Andijon yoshlar texnoparki")
    expect(page.get_by_role("link", name="Kurs tanlash")).to_be_visible()

    # Russian through the switcher, then English: same page, translated text.
    switch_language(page, "Русский")
    expect(page).to_have_url(f"{site}/ru/")
    expect(page.locator("h1")).to_have_text("Андижанский молодёжный технопарк")
    expect(page.get_by_role("link", name="Выбрать курс")).to_be_visible()

    switch_language(page, "English")
    expect(page).to_have_url(f"{site}/en/")
    expect(page.locator("h1")).to_have_text("Andijan Youth Technopark")
    expect(page.get_by_role("link", name="Choose a course")).to_be_visible()

    # Sign up: a mistake first, then the corrected form asks to confirm the address by e-mail.
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(f"{site}/en/account/signup/")
    page.fill("#id_full_name", "Kamola Yusupova")
    page.fill("#id_email", "kamola.yusupova@example.uz")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_phone", "+99890123")
    page.fill("#id_birth_date", "2007-09-01")
    page.select_option("#id_gender", "female")
    page.select_option("#id_district", label="Asaka district")
    page.fill("#id_organisation", "Asaka 5-maktab")
    page.select_option("#id_preferred_language", "en")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#id_phone ~ .invalid-feedback")).to_have_text(
        "Enter the phone number as +998 followed by 9 digits, e.g. +998901234567."
    )
    assert User.objects.filter(email="kamola.yusupova@example.uz").count() == 0

    page.fill("#id_phone", "+998901234567")
    page.fill("#id_password1", PASSWORD)  # password fields are not re-filled by the server
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{site}/en/account/signup/done/")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    confirm_and_log_in(
        page,
        site,
        "kamola.yusupova@example.uz",
        PASSWORD,
        expect_message="Thank you, your e-mail address is confirmed.",
    )
    expect(page).to_have_url(f"{site}/en/my/")
    expect(page.locator("p.lead")).to_have_text("Hello, Kamola Yusupova!")
    user = User.objects.get(email="kamola.yusupova@example.uz")
    assert (user.phone, user.district.name_en) == ("+998901234567", "Asaka district")

    # Log out from the account menu (a POST form).
    page.get_by_role("button", name="Account", exact=True).or_(
        page.get_by_role("link", name="Account", exact=True)
    ).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{site}/en/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # Log in again by e-mail and see "My technopark".
    page.get_by_role("link", name="Log in").click()
    page.fill("#id_username", "Kamola.Yusupova@example.uz")
    page.fill("#id_password", PASSWORD)
    page.locator("form").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/my/$"))
    expect(page.locator("h1")).to_have_text("My technopark")
    expect(page.locator("p.lead")).to_have_text("Hello, Kamola Yusupova!")

    # The dashboard in Russian, from the switcher.
    switch_language(page, "Русский")
    expect(page).to_have_url(f"{site}/ru/my/")
    expect(page.locator("h1")).to_have_text("Мой технопарк")

    assert problems == []  # no script errors, no Content-Security-Policy violations


@pytest.mark.browser
def test_pages_fit_a_360_px_phone(page, site):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/", "/ru/", "/en/", "/ru/account/signup/", "/ru/about/", "/ru/news/", "/ru/no-such-page/"]:
        page.goto(f"{site}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") == 360, path
    page.locator(".navbar-toggler").click()
    expect(page.get_by_role("link", name="Регистрация")).to_be_visible()
