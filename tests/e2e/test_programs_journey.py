"""A young person in Chromium: browse programmes, filter, open a course, enrol, see it in
"My technopark", withdraw; then a certificate verified from its public URL."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from programs.models import Enrolment, Intake
from tests.conftest import run_tasks
from tests.factories import PASSWORD, UserFactory
from tests.programs.factories import (
    CertificateFactory,
    CourseFactory,
    DirectionFactory,
    EnrolmentFactory,
    IntakeFactory,
)


@pytest.fixture
def catalogue(transactional_db):
    web = DirectionFactory(name="Web Programming", name_en="Web Programming", slug="web-programming")
    robots = DirectionFactory(name="Robotics", name_en="Robotics", slug="robotics")
    course = CourseFactory(
        direction=web,
        title_en="Frontend basics: HTML, CSS and JavaScript",
        slug="web-frontend-basics",
        language="uz",
        min_age=14,
        max_age=25,
        hours=96,
    )
    IntakeFactory(
        course=course,
        capacity=20,
        instructor_name="Otabek Nazarov",
        start_date=datetime.date(2026, 12, 7),
        end_date=datetime.date(2027, 3, 1),
        schedule_en="Mon, Wed, Fri 15:00–17:00",
    )
    CourseFactory(direction=robots, title_en="LEGO robotics", min_age=10, max_age=14)
    CourseFactory(direction=web, title_en="Backend with Python and Django", language="ru")
    return course


@pytest.mark.browser
def test_programmes_journey(page, live_server, catalogue):
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    person = UserFactory(full_name="Aziza Abdullayeva", birth_date=datetime.date(2008, 3, 14))
    site = live_server.url

    # Browse: three courses across two directions.
    page.goto(f"{site}/en/programmes/")
    expect(page.get_by_test_id("course-card")).to_have_count(3)
    expect(page.get_by_test_id("directions")).to_contain_text("Robotics")

    # Filter: Web Programming, in Uzbek, for a 17-year-old.
    filters = page.get_by_test_id("course-filters")
    filters.get_by_label("Direction", exact=True).select_option("web-programming")
    filters.get_by_label("Language", exact=True).select_option("uz")
    filters.get_by_label("Age", exact=True).fill("17")
    filters.get_by_role("button", name="Show courses").click()
    expect(page.get_by_test_id("course-card")).to_have_count(1)
    expect(page.get_by_test_id("course-card")).to_contain_text("Frontend basics: HTML, CSS and JavaScript")

    # Open the course: facts and the intake with 20 seats left.
    page.get_by_role("link", name="Frontend basics: HTML, CSS and JavaScript").click()
    expect(page.locator("h1")).to_have_text("Frontend basics: HTML, CSS and JavaScript")
    expect(page.get_by_test_id("course-facts")).to_contain_text("14–25 years")
    expect(page.get_by_test_id("seats-left")).to_contain_text("20 / 20")

    # Log in from the course page and come back to it.
    page.get_by_role("link", name="Log in to enrol").click()
    page.locator("input[name=username]").fill(person.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Frontend basics: HTML, CSS and JavaScript")

    # Enrol.
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You are enrolled. See you in class!")).to_be_visible()
    expect(page.get_by_test_id("my-status")).to_have_text("Enrolled")
    expect(page.get_by_test_id("seats-left")).to_contain_text("19 / 20")
    enrolment = Enrolment.objects.get(user=person)
    assert (enrolment.status, enrolment.intake.course_id) == ("enrolled", catalogue.pk)

    # See it on the dashboard with its schedule.
    page.goto(f"{site}/en/my/")
    row = page.get_by_test_id(f"enrolment-{enrolment.pk}")
    expect(row).to_contain_text("Frontend basics: HTML, CSS and JavaScript")
    expect(row).to_contain_text("Mon, Wed, Fri 15:00–17:00")
    expect(row).to_contain_text("Enrolled")

    # Withdraw.
    row.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("You have withdrawn from Frontend basics: HTML, CSS and JavaScript.")).to_be_visible()
    expect(page.get_by_test_id(f"enrolment-{enrolment.pk}")).to_contain_text("Dropped")
    expect(page.get_by_test_id(f"enrolment-{enrolment.pk}").get_by_role("button", name="Withdraw")).to_have_count(0)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "dropped"
    assert problems == []


@pytest.mark.browser
def test_certificate_verification_from_its_url(page, live_server, transactional_db):
    page.set_default_timeout(15_000)
    holder = UserFactory(full_name="Aziza Abdullayeva")
    intake = IntakeFactory(
        course=CourseFactory(title_en="Graphic design: Photoshop and Illustrator", hours=72),
        status=Intake.Status.FINISHED,
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 12, 1),
    )
    certificate = CertificateFactory(enrolment=EnrolmentFactory(user=holder, intake=intake, status="completed"))

    # The holder's printable certificate carries a QR code pointing at the verification URL.
    page.goto(f"{live_server.url}/en/account/login/")
    page.locator("input[name=username]").fill(holder.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/en/programmes/certificates/{certificate.code}/print/")
    expect(page.get_by_test_id("holder")).to_have_text("Aziza Abdullayeva")
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()

    # Anyone opening the URL (a fresh browser context: no login) sees the verdict.
    context = page.context.browser.new_context()
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(f"{live_server.url}/en/certificates/{certificate.code}/")
    expect(visitor.get_by_test_id("verdict")).to_have_text(f"Certificate {certificate.code} is valid.")
    facts = visitor.get_by_test_id("certificate-facts")
    expect(facts).to_contain_text("Aziza A*********a")
    expect(facts).to_contain_text("Graphic design: Photoshop and Illustrator")
    expect(facts).to_contain_text("15.09.2025 – 01.12.2025")
    context.close()


def _log_in(page, site, person):
    page.goto(f"{site}/en/account/login/")
    page.locator("input[name=username]").fill(person.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_be_visible()


@pytest.mark.browser
def test_waitlist_journey_on_a_phone(page, live_server, catalogue):
    """A full intake: join the waitlist, see the position on the phone-sized dashboard; the seated
    person withdraws in another browser and the waiting one gets the seat and an e-mail in Russian."""
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 360, "height": 800})
    site = live_server.url
    intake = catalogue.intakes.get()
    Intake.objects.filter(pk=intake.pk).update(capacity=1)
    seated = UserFactory(full_name="Jasur Toshpulatov", birth_date=datetime.date(2007, 5, 2))
    EnrolmentFactory(intake=intake, user=seated)
    waiting = UserFactory(full_name="Madina Qodirova", birth_date=datetime.date(2009, 1, 20), preferred_language="ru")

    _log_in(page, site, waiting)
    page.goto(f"{site}/en/programmes/courses/{catalogue.slug}/")
    expect(page.get_by_test_id("seats-left")).to_contain_text("0 / 1")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_text("The intake is full: you are number 1 on the waitlist.")).to_be_visible()
    mine = Enrolment.objects.get(user=waiting)
    assert mine.status == "waitlisted"

    page.goto(f"{site}/en/my/")
    row = page.get_by_test_id(f"enrolment-{mine.pk}")
    expect(row.get_by_test_id("course-status")).to_have_text("Waitlisted")
    expect(row.get_by_test_id("waitlist-position")).to_have_text("No. 1 on the waitlist")
    expect(row.get_by_role("button", name="Withdraw")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The seated person withdraws from their own browser.
    other = page.context.browser.new_context()
    their_page = other.new_page()
    their_page.set_default_timeout(15_000)
    _log_in(their_page, site, seated)
    their_page.goto(f"{site}/en/my/")
    their_page.get_by_role("button", name="Withdraw").click()
    expect(their_page.get_by_text("You have withdrawn from")).to_be_visible()
    other.close()

    # The freed seat is offered to the first waitlisted person, who accepts it on the dashboard.
    page.reload()
    row = page.get_by_test_id(f"enrolment-{mine.pk}")
    expect(row.get_by_test_id("course-status")).to_have_text("Seat offered")
    expect(row.get_by_test_id("waitlist-position")).to_have_count(0)
    assert Enrolment.objects.get(pk=mine.pk).status == "offered"
    run_tasks()  # the worker sends what the actions queued
    to_waiting = [m for m in mail.outbox if m.to == [waiting.email]]
    assert [m.subject for m in to_waiting][-1] == f"Вам предложено место: {catalogue.title_ru}"
    row.get_by_test_id("offer-accept").click()
    expect(page.get_by_test_id(f"enrolment-{mine.pk}").get_by_test_id("course-status")).to_have_text("Enrolled")
    assert Enrolment.objects.get(pk=mine.pk).status == "enrolled"
    run_tasks()
    assert [m.to for m in mail.outbox if m.to != [waiting.email]] == [[seated.email]]  # the leaver's receipt
