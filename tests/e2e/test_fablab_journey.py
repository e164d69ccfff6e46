"""A young person in Chromium on a 360 px phone, in Uzbek, Russian and English: browse the FabLab,
open a machine's calendar, tap a free hour (the form gets the day in its date input), book it,
see it in "My technopark"; the anonymous calendar shows it requested; a FabLab manager confirms
it; the (page-cached) calendar then shows the hours booked at once."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from fablab.models import Booking, WeeklyHours
from technopark.roles import FABLAB_MANAGER
from tests.conftest import run_tasks
from tests.fablab.factories import EquipmentCategoryFactory, EquipmentFactory
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def lab(transactional_db):
    printing = EquipmentCategoryFactory(name_en="3D printing", slug="3d-printing")
    laser = EquipmentCategoryFactory(name_en="Laser", slug="laser")
    trotec = {f"name{suffix}": "Trotec Speedy 400" for suffix in ("", "_uz", "_ru", "_en")}
    bambu = {f"name{suffix}": "Bambu Lab X1 Carbon" for suffix in ("", "_uz", "_ru", "_en")}
    EquipmentFactory(category=laser, slug="trotec", requires_clearance=True, **trotec)
    printer = EquipmentFactory(category=printing, slug="bambu-x1", model="X1C", **bambu)
    # The roles migration's grant, again. A transactional test before this one may have emptied
    # the tables, and serialized rollback does not restore them here: with Playwright's event
    # loop in this thread, `connections["default"]` is a new wrapper without the serialized copy.
    create_permissions(django_apps.get_app_config("fablab"), verbosity=0)
    group, _ = Group.objects.get_or_create(name=FABLAB_MANAGER)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="fablab"))
    manager = UserFactory(full_name="Bekzod Aliyev", is_staff=True)
    manager.groups.add(group)
    # The demo week (migration 0005 writes it; the flush after a transactional test removes it).
    WeeklyHours.objects.all().delete()
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(weekday=d, opens=datetime.time(9), closes=datetime.time(18)) for d in range(6)]
        + [WeeklyHours(weekday=6)]
    )
    return {"printer": printer, "manager": manager}


def log_in(page, email):
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def bookable_day() -> datetime.date:
    """Three or more days ahead, Monday to Friday (the lab is closed on Sundays)."""
    day = timezone.localdate() + datetime.timedelta(days=3)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def say(language, message, **params):
    with translation.override(language):
        return gettext(message) % params if params else gettext(message)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_fablab_journey(page, live_server, lab, language):
    """Uzbek first (the default, no URL prefix), then Russian and English, on a 360 px phone:
    the date the calendar hands to the form must reach the form's date input in every language."""
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)  # the machine is shared: give assertions the same patience
    page.set_viewport_size({"width": 360, "height": 740})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    person = UserFactory(full_name="Aziza Abdullayeva", preferred_language=language)
    site = live_server.url + ("" if language == "uz" else f"/{language}")
    day = bookable_day()
    cell = f'td[data-day="{day.isoformat()}"][data-hour="10"]'  # the week table (576 px and wider)

    def slot(p, at=10):  # an hour of the phone's day view
        return p.get_by_test_id("day-slot").and_(p.locator(f'[data-hour="{at}"]'))

    def new_visitor():
        """Someone else's phone: a fresh browser, with its own HTTP cache (public pages may be kept
        there for PAGE_CACHE_MAX_AGE seconds) and no cookies."""
        other = page.context.browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        other.on("pageerror", lambda error: problems.append(str(error)))
        return other

    hour = slot(page)

    # Browse the catalogue: two machines in two categories.
    page.goto(f"{site}/fablab/")
    expect(page.get_by_test_id("equipment-card")).to_have_count(2)
    expect(page.get_by_text(say(language, "Safety clearance required"))).to_have_count(1)
    page.get_by_role("link", name="Bambu Lab X1 Carbon").click()
    expect(page.locator("h1")).to_have_text("Bambu Lab X1 Carbon")

    # Open the calendar on the week of the chosen day: on a phone it shows one day at a time.
    page.goto(f"{site}/fablab/equipment/bambu-x1/?week={day.isoformat()}")
    expect(page.get_by_test_id("calendar")).to_be_hidden()
    expect(page.get_by_test_id("day-view")).to_be_visible()
    page.locator(f'[data-testid="day-tab"][data-day="{day.isoformat()}"]').click()
    expect(page.get_by_test_id("day-view-title")).to_contain_text(f"{day:%d.%m.%Y}")
    expect(page.get_by_test_id("day-slot")).to_have_count(9)  # 9:00 to 18:00
    expect(hour).to_have_attribute("data-state", "free")
    expect(page.locator(cell)).to_have_attribute("data-state", "free")
    box = hour.locator("a").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.2 target size

    # Tap the free hour: log in, then the form comes pre-filled with the day in the date input.
    hour.locator("a").click()
    log_in(page, person.email)
    expect(page.locator("h1")).to_have_text(say(language, "Book %(machine)s", machine="Bambu Lab X1 Carbon"))
    expect(page.locator("#id_day")).to_have_value(day.isoformat())
    expect(page.locator("#id_start_time")).to_have_value("10:00")
    page.locator("#id_end_time").fill("12:00")
    page.locator("#id_purpose").fill("A camera mount for a drone")
    page.get_by_test_id("submit-booking").click()

    # "My technopark" lists the request.
    expect(page.locator("h1")).to_have_text(say(language, "My technopark"))
    row = page.get_by_test_id("fablab-dashboard").get_by_test_id("booking-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Bambu Lab X1 Carbon")
    expect(row).to_contain_text(f"{day:%d.%m.%Y} 10:00–12:00")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "requested")
    booking = Booking.objects.get()
    assert (booking.user_id, booking.status) == (person.pk, "requested")
    assert booking.start == timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    # An anonymous visitor's calendar (served whole from the page cache) shows the hours requested.
    calendar = f"{site}/fablab/equipment/bambu-x1/?day={day.isoformat()}"
    page = new_visitor()
    page.goto(calendar)
    expect(slot(page)).to_have_attribute("data-state", "requested")
    expect(page.locator(cell)).to_have_attribute("data-state", "requested")
    assert page.request.get(calendar).headers["x-page-cache"] == "hit"

    # The FabLab manager confirms it from the day view.
    page.goto(f"{site}/fablab/staff/day/?date={day.isoformat()}")
    log_in(page, lab["manager"].email)
    expect(page.get_by_test_id("staff-booking")).to_contain_text("Aziza Abdullayeva")
    page.get_by_test_id(f"confirm-{booking.pk}").click()
    expect(page.locator(".alert-success")).to_have_count(1)
    expect(page.get_by_test_id("staff-booking").locator("[data-status]")).to_have_attribute("data-status", "confirmed")
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by_id) == ("confirmed", lab["manager"].pk)
    assert mail.outbox == []  # the messages wait for the worker
    run_tasks()
    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]  # requested, then confirmed
    confirmed = mail.outbox[1]
    assert confirmed.subject == say(
        language, "FabLab booking confirmed: %(machine)s, %(day)s", machine="Bambu Lab X1 Carbon", day=f"{day:%d.%m.%Y}"
    )
    assert [a[0] for a in confirmed.attachments] == [f"fablab-booking-{booking.pk}.ics"]

    # Right away, anyone's calendar view shows the two hours as booked (confirmed), without a name.
    page = new_visitor()
    page.goto(calendar)
    expect(slot(page)).to_have_attribute("data-state", "booked")
    expect(slot(page, 11)).to_have_attribute("data-state", "booked")
    expect(slot(page, 12)).to_have_attribute("data-state", "free")
    expect(page.locator(cell)).to_have_attribute("data-state", "booked")
    expect(page.get_by_test_id("day-view")).not_to_contain_text("Aziza")
    expect(page.get_by_test_id("calendar")).not_to_contain_text("Aziza")

    # It reads on a 360 px phone: nothing scrolls sideways, and every tap target is at least 24 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for target in page.get_by_test_id("day-view").locator("a").all():
        box = target.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, target.inner_text()

    # On a wider screen the week table shows instead, its free hours as large as a thumb.
    page.set_viewport_size({"width": 768, "height": 900})
    expect(page.get_by_test_id("day-view")).to_be_hidden()
    expect(page.get_by_test_id("calendar")).to_be_visible()
    for target in page.get_by_test_id("calendar").locator("td a").all():
        box = target.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    assert problems == []
