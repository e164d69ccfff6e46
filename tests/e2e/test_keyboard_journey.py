"""The site with the keyboard alone (issue 15, item 7): on a 360 px phone, in Uzbek and then in
Russian, a young person signs up, confirms the address from the e-mail, logs in, enrols in a
course and books a FabLab machine — every link, field and button reached with Tab and used with
Enter, Space, the arrow keys or typing; no click and no fill().

Following the link in the e-mail and typing an address are the only navigations by URL.
"""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from fablab.models import Booking, WeeklyHours
from programs.models import Enrolment
from technopark.models import User
from technopark.roles import FABLAB_MANAGER
from tests.e2e.accounts import confirmation_link
from tests.fablab.factories import EquipmentCategoryFactory, EquipmentFactory
from tests.programs.factories import CourseFactory, DirectionFactory, IntakeFactory

PASSWORD = "Qovun-Sayli-2025!"
FOCUSED = "el => el === document.activeElement || el.contains(document.activeElement)"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


@pytest.fixture
def world(transactional_db, districts):
    direction = DirectionFactory(name="Web Programming", name_en="Web Programming", slug="web-programming")
    course = CourseFactory(
        direction=direction,
        title="Frontend asoslari",
        title_uz="Frontend asoslari",
        title_ru="Основы фронтенда",
        title_en="Frontend basics",
        slug="frontend",
        min_age=14,
        max_age=25,
    )
    start = timezone.localdate() + datetime.timedelta(days=30)
    IntakeFactory(course=course, capacity=20, start_date=start, end_date=start + datetime.timedelta(days=90))
    category = EquipmentCategoryFactory(name_en="3D printing", slug="3d-printing")
    names = {f"name{suffix}": "Bambu Lab X1 Carbon" for suffix in ("", "_uz", "_ru", "_en")}
    machine = EquipmentFactory(category=category, slug="bambu-x1", **names)
    # The FabLab roles and the demo week again (a transactional test before this one may have emptied them).
    create_permissions(django_apps.get_app_config("fablab"), verbosity=0)
    group, _ = Group.objects.get_or_create(name=FABLAB_MANAGER)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="fablab"))
    WeeklyHours.objects.all().delete()
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(weekday=d, opens=datetime.time(9), closes=datetime.time(18)) for d in range(6)]
        + [WeeklyHours(weekday=6)]
    )
    return {"course": course, "machine": machine}


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus (the keyboard reaches it), then return it."""
    for _ in range(limit):
        if locator.evaluate(FOCUSED):
            return locator
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def choose(page, select, label):
    """A closed <select>: the arrow keys move through its options until the wanted one is chosen."""
    tab_to(page, select)
    options = select.locator("option").all_inner_texts()
    assert label in options, options
    page.keyboard.press("Home")
    for _ in range(len(options)):
        if select.evaluate("el => el.options[el.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} not reached in {options}")


def bookable_day() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=3)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def say(language, message, **params):
    with translation.override(language):
        return gettext(message) % params if params else gettext(message)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["uz", "ru"])
def test_sign_up_enrol_and_book_with_the_keyboard(page, live_server, world, language):
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    site = live_server.url + ("" if language == "uz" else f"/{language}")
    email = f"kamola.{language}@example.uz"

    # The home page: the skip link comes first; the phone menu opens with Enter, then "Sign up".
    page.goto(f"{site}/")
    page.keyboard.press("Tab")
    expect(page.locator("a[href='#main']")).to_be_focused()
    menu = page.locator("button.navbar-toggler")
    tab_to(page, menu)
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    tab_to(page, page.locator("header a[href$='/account/signup/']"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(say(language, "Create your account"))

    # The sign-up form, field by field.
    type_into(page, page.locator("#id_full_name"), "Kamola Yusupova")
    type_into(page, page.locator("#id_email"), email)
    type_into(page, page.locator("#id_phone"), "+998901112233")
    # Chromium draws the date and time fields in its own (US English) way: month/day/year, 12 hours.
    type_into(page, page.locator("#id_birth_date"), "03142008")
    expect(page.locator("#id_birth_date")).to_have_value("2008-03-14")
    choose(page, page.locator("#id_gender"), say(language, "Female"))
    district = world_district_name(language)
    choose(page, page.locator("#id_district"), district)
    type_into(page, page.locator("#id_organisation"), "Andijon 5-maktab")
    type_into(page, page.locator("#id_password1"), PASSWORD)
    type_into(page, page.locator("#id_password2"), PASSWORD)
    tab_to(page, page.locator("main form button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(email)
    assert User.objects.filter(email=email, is_active=True, full_name="Kamola Yusupova").exists()

    # The link in the e-mail, then the login form (Enter in the password field sends it).
    page.goto(confirmation_link(email, live_server.url))
    type_into(page, page.locator("#id_username"), email)
    type_into(page, page.locator("#id_password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("header")).to_contain_text(say(language, "Account"))

    # Programmes -> the course -> Enrol (Space presses a button too).
    page.goto(f"{site}/programmes/")
    tab_to(page, page.locator("main a[href$='/programmes/courses/frontend/']").first)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(getattr(world["course"], f"title_{language}"))
    tab_to(page, page.locator("main form[action$='/enrol/'] button"))
    page.keyboard.press("Space")
    expect(page.get_by_test_id("my-status")).to_be_visible()
    enrolment = Enrolment.objects.get(user__email=email)
    assert enrolment.intake.course == world["course"]

    # FabLab: the machine's day view on a phone; the 10:00 hour, then the form.
    day = bookable_day()
    page.goto(f"{site}/fablab/equipment/bambu-x1/?day={day.isoformat()}")
    hour = page.get_by_test_id("day-slot").and_(page.locator('[data-hour="10"]')).locator("a")
    tab_to(page, hour, limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(say(language, "Book %(machine)s", machine="Bambu Lab X1 Carbon"))
    expect(page.locator("#id_day")).to_have_value(day.isoformat())
    expect(page.locator("#id_start_time")).to_have_value("10:00")
    type_into(page, page.locator("#id_end_time"), "1200P")
    expect(page.locator("#id_end_time")).to_have_value("12:00")
    type_into(page, page.locator("#id_purpose"), "A camera mount for a drone")
    tab_to(page, page.get_by_test_id("submit-booking"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(say(language, "My technopark"))
    booking = Booking.objects.get(user__email=email)
    assert (booking.status, booking.equipment_id) == ("requested", world["machine"].pk)
    assert booking.start == timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    assert booking.end == timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    assert problems == []


def world_district_name(language):
    from technopark.models import District

    district = District.objects.order_by("order").first()
    return getattr(district, f"name_{language}")
