"""The training → clearance → booking journey in Chromium on a 360 px phone, in Uzbek: a young person
without a clearance opens a machine's page, finds the next safety training there and signs up; the
trainer marks them passed on the staff page; the person then books the machine from the calendar."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from fablab.models import Booking, Clearance, TrainingSession, TrainingSignup, WeeklyHours
from technopark.roles import FABLAB_MANAGER
from tests.conftest import run_tasks
from tests.fablab.factories import EquipmentCategoryFactory, EquipmentFactory, TrainingSessionFactory
from tests.factories import PASSWORD, UserFactory


def log_in(page, email):
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def bookable_day() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=4)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_training_clearance_booking_journey_in_uzbek(page, live_server):
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    page.set_viewport_size({"width": 360, "height": 740})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    # The roles migration's grant and the demo week again (a transactional test may have emptied them).
    create_permissions(django_apps.get_app_config("fablab"), verbosity=0)
    group, _ = Group.objects.get_or_create(name=FABLAB_MANAGER)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="fablab"))
    WeeklyHours.objects.all().delete()
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(weekday=d, opens=datetime.time(9), closes=datetime.time(18)) for d in range(6)]
        + [WeeklyHours(weekday=6)]
    )
    laser = EquipmentCategoryFactory(name_uz="Lazer bilan kesish", name_en="Laser cutting", slug="laser")
    EquipmentFactory(category=laser, slug="trotec", requires_clearance=True, name_uz="Trotec Speedy 400")
    trainer = UserFactory(full_name="Dilshod Karimov", is_staff=True)
    trainer.groups.add(group)
    session = TrainingSessionFactory(category=laser, trainer=trainer, capacity=6, place="FabLab, 2-qavat")
    person = UserFactory(full_name="Aziza Abdullayeva", preferred_language="uz")
    site = live_server.url  # Uzbek: no prefix

    # No clearance: the machine's page shows the next training instead of a dead end.
    page.goto(f"{site}/fablab/equipment/trotec/")
    panel = page.get_by_test_id("training-panel")
    expect(panel).to_contain_text("Xavfsizlik mashgʻuloti: Lazer bilan kesish")
    expect(panel.get_by_test_id("training-session")).to_have_count(1)
    expect(panel.get_by_test_id("seats-left")).to_have_text("6 ta oʻrin qoldi")
    panel.get_by_test_id("training-log-in").click()
    log_in(page, person.email)
    expect(page.get_by_test_id("needs-clearance")).to_contain_text("Sizda hali bu ruxsatnoma yoʻq.")
    page.get_by_test_id("training-sign-up").click()
    expect(page.locator(".alert-success")).to_contain_text("«Lazer bilan kesish» xavfsizlik mashgʻulotiga yozildingiz")
    expect(page.get_by_test_id("my-signup")).to_have_attribute("data-status", "signed_up")
    expect(page.get_by_test_id("my-signup")).to_have_text("Yozilgan")
    assert TrainingSignup.objects.get().user_id == person.pk
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.get_by_test_id("training-panel").locator("button").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    # The training takes place (moved into the past rather than waiting for it).
    start = timezone.now() - datetime.timedelta(hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(start=start, end=start + datetime.timedelta(hours=2))

    # The trainer marks the person passed on the staff page, on their own phone.
    staff = page.context.browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    staff.on("pageerror", lambda error: problems.append(str(error)))
    staff.goto(f"{site}/fablab/staff/trainings/{session.pk}/")
    log_in(staff, trainer.email)
    participant = staff.get_by_test_id("participant")
    expect(participant).to_contain_text("Aziza Abdullayeva")
    participant.get_by_role("button", name="Oʻtdi").click()
    expect(staff.locator(".alert-success")).to_contain_text("Aziza Abdullayeva oʻtdi: ruxsatnoma berildi")
    expect(staff.get_by_test_id("signup-status")).to_have_attribute("data-status", "passed")
    clearance = Clearance.objects.get(user=person)
    assert clearance.expires_on == timezone.localtime(start).date() + datetime.timedelta(days=365)
    run_tasks()  # signed up, then passed: both in Uzbek
    assert [m.subject for m in mail.outbox if m.to == [person.email]][-1] == (
        "Xavfsizlik ruxsatnomasi berildi: Lazer bilan kesish"
    )

    # The person sees the clearance on the machine's page and books a free hour from the calendar.
    day = bookable_day()
    page.goto(f"{site}/fablab/equipment/trotec/?day={day.isoformat()}")
    expect(page.get_by_test_id("my-clearance")).to_contain_text(f"{clearance.expires_on:%d.%m.%Y} gacha amal qiladi")
    hour = page.get_by_test_id("day-slot").and_(page.locator('[data-hour="10"]'))
    expect(hour).to_have_attribute("data-state", "free")
    hour.locator("a").click()
    expect(page.locator("#id_day")).to_have_value(day.isoformat())
    page.locator("#id_purpose").fill("Akril korpus")
    page.get_by_test_id("submit-booking").click()
    row = page.get_by_test_id("fablab-dashboard").get_by_test_id("booking-row")
    expect(row).to_have_count(1)
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "requested")
    booking = Booking.objects.get()
    assert (booking.user_id, booking.equipment.slug, booking.status) == (person.pk, "trotec", "requested")
    assert problems == []
