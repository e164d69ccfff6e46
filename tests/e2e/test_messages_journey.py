"""Issue 9's journey, in Uzbek at 360 px: sign up, confirm the address from the captured e-mail, link
Telegram through the deep link (the test plays the bot's update to the webhook), enrol, and see the
receipt by e-mail, in Telegram and in the notification centre."""

import datetime
import json
import urllib.request

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from notifications.models import TelegramLink
from programs.models import Enrolment
from technopark.models import User
from technopark.seed import seed_districts
from tests.conftest import run_tasks
from tests.e2e.accounts import confirm_and_log_in
from tests.programs.factories import CourseFactory, DirectionFactory, IntakeFactory

PASSWORD = "Asaka-Robototexnika-2026"


@pytest.fixture
def course(transactional_db):
    seed_districts()
    direction = DirectionFactory(name="Robototexnika", name_en="Robotics", slug="robotics")
    course = CourseFactory(
        direction=direction, title="Arduino bilan robototexnika", slug="arduino", min_age=12, max_age=25
    )
    IntakeFactory(
        course=course,
        capacity=12,
        start_date=datetime.date.today() + datetime.timedelta(days=20),
        end_date=datetime.date.today() + datetime.timedelta(days=110),
    )
    return course


def play_webhook(site, update, secret="webhook-secret-for-tests"):
    request = urllib.request.Request(
        f"{site}/telegram/webhook/",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode()


@pytest.mark.browser
def test_messages_journey_in_uzbek_on_a_phone(page, live_server, course, telegram):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 360, "height": 740})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    site = live_server.url

    # Sign up in Uzbek (the default language, no prefix).
    page.goto(f"{site}/account/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "uz")
    page.fill("#id_full_name", "Dilnoza Ergasheva")
    page.fill("#id_email", "dilnoza@example.uz")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_phone", "+998935551122")
    page.fill("#id_birth_date", "2009-02-03")
    page.select_option("#id_gender", "female")
    page.select_option("#id_district", index=3)
    page.fill("#id_organisation", "Andijon 7-maktab")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/account/signup/done/")
    expect(page.locator("h1")).to_have_text("Elektron pochtangizni tekshiring")

    # The confirmation e-mail is in Uzbek; its link confirms, then the person logs in.
    run_tasks()
    [confirmation] = mail.outbox
    assert confirmation.subject == "Elektron pochta manzilingizni tasdiqlang"
    confirm_and_log_in(
        page, site, "dilnoza@example.uz", PASSWORD, expect_message="Rahmat, elektron pochta manzilingiz tasdiqlandi."
    )
    expect(page).to_have_url(f"{site}/my/")
    expect(page.locator("#confirm-email")).to_have_count(0)
    person = User.objects.get(email="dilnoza@example.uz")
    assert person.email_confirmed and person.preferred_language == "uz"

    # Link Telegram from the message settings: the deep link carries a one-time token.
    page.get_by_role("link", name="Xabar sozlamalari").click()
    page.get_by_role("button", name="Telegramni bogʻlash").click()
    deep_link = page.locator("#telegram-deep-link").get_attribute("href")
    assert deep_link.startswith("https://t.me/andijan_technopark_bot?start=")
    token = deep_link.rsplit("=", 1)[1]
    # Telegram delivers "/start <token>" from the person's chat to the bot's webhook.
    assert (
        play_webhook(site, {"update_id": 1, "message": {"chat": {"id": 4242}, "text": f"/start {token}"}}) == "linked"
    )
    assert TelegramLink.objects.get(user=person).chat_id == "4242"
    run_tasks()
    assert telegram.sent()[-1]["text"].startswith("Telegram bogʻlandi")

    # Enrol in the course.
    with translation.override("uz"):  # the Uzbek address, whatever an earlier test left active
        page.goto(f"{site}{course.get_absolute_url()}")
    page.get_by_role("button", name="Yozilish").click()
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == Enrolment.Status.ENROLLED

    # The receipt arrives by e-mail and in Telegram, in Uzbek, and is in the notification centre.
    run_tasks()
    receipt = mail.outbox[-1]
    assert receipt.to == ["dilnoza@example.uz"]
    assert "Arduino bilan robototexnika" in receipt.subject + receipt.body
    last_telegram = telegram.sent()[-1]
    assert last_telegram["chat_id"] == "4242"
    assert "Arduino bilan robototexnika" in last_telegram["text"]

    page.goto(f"{site}/my/")
    expect(page.locator("#unread-count")).to_be_visible()
    page.get_by_role("link", name="Barcha xabarlar").click()
    expect(page.locator("h1")).to_have_text("Xabarlar")
    expect(page.locator("main")).to_contain_text(receipt.subject)
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    page.goto(f"{site}/my/")
    expect(page.locator("#unread-count")).to_have_count(0)  # opening the centre marked them read

    assert problems == []
