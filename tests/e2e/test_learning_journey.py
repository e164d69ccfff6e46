"""The learning journey of issue 12 in Chromium, in Russian, on a 360 px phone: a person joins the
waitlist of a full intake, a seat frees, the offer comes by e-mail and is accepted on "Мой
технопарк"; a coordinator marks attendance on the staff page; the intake ends, the survey is
answered, the coordinator completes the course and issues the certificate; the person downloads
the PDF, and anyone checks the typed code (lower case, with spaces) on /ru/certificates/.

The clock is moved with time-machine (it patches the clock of every thread, the live server's
included): the seat is offered before the start, the session is held in the second week, the
course ends in February.
"""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from programs import jobs, services
from programs.models import Certificate, CourseFeedback, Enrolment, Intake
from technopark.roles import PROGRAMME_COORDINATOR
from tests.conftest import make_staff, run_tasks
from tests.factories import PASSWORD, UserFactory
from tests.programs.factories import CourseFactory, DirectionFactory, EnrolmentFactory, IntakeFactory

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
START = datetime.date(2026, 12, 7)
END = datetime.date(2027, 2, 26)
WIDTH = 360
SURVEY_HEADING = "Опрос о курсе"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TASHKENT)


def _phone(browser):
    """A fresh browser (own cookies) sized like a phone, in Russian."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 780}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _watch(page, problems):
    """Collect script errors and failed loads. The browser's own /favicon.ico probe is left out:
    the admin's pages name no icon (templates/admin/base_site.html), so Chromium asks for one there
    and gets a 404 — not an error of the pages under test."""

    def console(msg):
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{msg.text} {msg.location.get('url', '')}")

    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", console)


def _log_in(page, site, person):
    page.goto(f"{site}/ru/account/login/")
    _fill_login(page, person)
    expect(page.locator("h1")).to_be_visible()


def _fill_login(page, person):
    page.locator("input[name=username]").fill(person.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def _on_live_server(link: str, site: str) -> str:
    return link.replace(settings.SITE_URL.rstrip("/"), site)


def _mail_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


@pytest.mark.browser
def test_waitlist_offer_attendance_survey_certificate_and_check_in_russian(
    page, live_server, transactional_db, time_machine
):
    time_machine.move_to(_at(datetime.date(2026, 12, 1), 10))
    site = live_server.url
    problems: list[str] = []
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": WIDTH, "height": 780})
    _watch(page, problems)

    course = CourseFactory(
        direction=DirectionFactory(name_ru="Веб-программирование"),
        title_ru="Основы фронтенда: HTML, CSS и JavaScript",
        slug="frontend-basics",
        min_age=14,
        max_age=25,
        hours=96,
        min_attendance_percent=80,
    )
    intake = IntakeFactory(
        course=course, capacity=1, start_date=START, end_date=END, schedule_ru="Пн, Ср, Пт 15:00–17:00"
    )
    seated = UserFactory(full_name="Jasur Toshpulatov", preferred_language="ru")
    EnrolmentFactory(intake=intake, user=seated)
    madina = UserFactory(full_name="Madina Qodirova", birth_date=datetime.date(2009, 1, 20), preferred_language="ru")
    coordinator = make_staff(PROGRAMME_COORDINATOR)

    # 1. The intake is full: Madina joins the waitlist from the course page.
    _log_in(page, site, madina)
    page.goto(f"{site}/ru/programmes/courses/{course.slug}/")
    expect(page.locator("h1")).to_have_text("Основы фронтенда: HTML, CSS и JavaScript")
    expect(page.get_by_test_id("seats-left")).to_contain_text("0 / 1")
    page.get_by_role("button", name="Встать в лист ожидания").click()
    expect(page.get_by_text("Набор заполнен: вы № 1 в листе ожидания.")).to_be_visible()
    _fits(page)
    mine = Enrolment.objects.get(user=madina)
    assert mine.status == Enrolment.Status.WAITLISTED

    # 2. Jasur withdraws from his own phone: the seat frees and is offered to Madina.
    context, theirs = _phone(page.context.browser)
    _watch(theirs, problems)
    _log_in(theirs, site, seated)
    theirs.goto(f"{site}/ru/my/")
    theirs.get_by_role("button", name="Отказаться").click()
    expect(theirs.get_by_text("Вы отказались от курса «Основы фронтенда: HTML, CSS и JavaScript».")).to_be_visible()
    context.close()
    mine.refresh_from_db()
    assert mine.status == Enrolment.Status.OFFERED
    held_from = mine.offer_expires_at - datetime.timedelta(hours=48)  # held 48 hours (the clock ticks)
    assert _at(datetime.date(2026, 12, 1), 10) < held_from < _at(datetime.date(2026, 12, 1), 11)

    # 3. The worker sends the offer, in Russian, with a link to "Мой технопарк".
    assert mail.outbox == []  # nothing is sent before the worker runs
    run_tasks()
    offers = [m for m in _mail_to(madina) if m.subject.startswith("Вам предложено место")]
    assert [m.subject for m in offers] == ["Вам предложено место: Основы фронтенда: HTML, CSS и JavaScript"]
    body = offers[0].body
    assert "Здравствуйте, Madina Qodirova!" in body
    assert "Принять или отказаться от места:" in body
    link = re.search(r"https?://\S+/ru/my/", body).group(0)

    # 4. She opens the link and accepts the seat held for her.
    page.goto(_on_live_server(link, site))
    row = page.get_by_test_id(f"enrolment-{mine.pk}")
    expect(row.get_by_test_id("course-status")).to_have_text("Предложено место")
    expect(row.get_by_test_id("offer-deadline")).to_have_text(re.compile(r"^Место за вами до 03\.12\.2026 10:\d\d$"))
    _fits(page)
    row.get_by_role("button", name="Принять место").click()
    expect(page.get_by_text("Вы зачислены. До встречи на занятиях!")).to_be_visible()
    expect(page.get_by_test_id(f"enrolment-{mine.pk}").get_by_test_id("course-status")).to_have_text(
        "Зачисление подтверждено"
    )
    expect(page.get_by_test_id(f"enrolment-{mine.pk}").get_by_test_id("offer-accept")).to_have_count(0)
    assert Enrolment.objects.get(pk=mine.pk).status == Enrolment.Status.ENROLLED

    # 5. The course starts; in its second week the coordinator records a session on the staff page
    #    and marks who came.
    services.intake_transition(intake, Intake.Status.RUNNING, actor=coordinator)
    time_machine.move_to(_at(datetime.date(2026, 12, 9), 17))
    staff_context, staff = _phone(page.context.browser)
    _watch(staff, problems)
    _log_in(staff, site, coordinator)
    staff.goto(f"{site}/ru/programmes/staff/intakes/{intake.pk}/attendance/")
    expect(staff.locator("h1")).to_have_text("Посещаемость")
    staff.get_by_label("Дата").fill("2026-12-09")
    staff.get_by_label("Тема").fill("Введение в HTML")
    staff.get_by_role("button", name="Добавить").click()
    expect(staff.locator("h1")).to_have_text("Посещаемость 09.12.2026")
    staff.get_by_label("Madina Qodirova").check()
    _fits(staff)
    staff.get_by_role("button", name="Сохранить посещаемость").click()
    expect(staff.get_by_text("Посещаемость сохранена: присутствовали 1 из 1.")).to_be_visible()
    expect(staff.get_by_test_id("sessions")).to_contain_text("Введение в HTML")
    # ... and gives the session's homework as a link on the session page.
    staff.get_by_role("link", name="09.12.2026").click()
    materials = staff.get_by_test_id("material-form")
    materials.get_by_label(re.compile("Вид")).select_option("homework")
    materials.get_by_label(re.compile("Заголовок")).fill("Страница-визитка")
    materials.get_by_label(re.compile("Ссылка")).fill("https://example.uz/homework-1")
    materials.get_by_role("button", name="Добавить в занятие").click()
    expect(staff.get_by_text("Добавлено в занятие: Страница-визитка.")).to_be_visible()
    _fits(staff)

    # Madina sees the session and her mark, and the share she needs.
    page.goto(f"{site}/ru/my/")
    row = page.get_by_test_id(f"enrolment-{mine.pk}")
    expect(row.get_by_test_id("attendance-share")).to_have_text("1 из 1 занятий (100%)")
    expect(row.get_by_test_id("attendance-needed")).to_have_text("для завершения нужно 80%")
    row.get_by_test_id(f"sessions-{mine.pk}").locator("summary").click()
    expect(row.get_by_test_id(f"sessions-{mine.pk}")).to_contain_text("09.12.2026 · Введение в HTML")
    expect(row.get_by_test_id("mark")).to_have_text("присутствует")
    expect(row.get_by_role("link", name="Страница-визитка")).to_have_attribute("href", "https://example.uz/homework-1")
    expect(row.get_by_test_id(f"sessions-{mine.pk}")).to_contain_text("Домашнее задание: Страница-визитка")
    _fits(page)

    # 6. The intake ends. The survey job asks its students; the e-mail links to the survey.
    time_machine.move_to(_at(datetime.date(2027, 2, 27), 10))
    services.intake_transition(intake, Intake.Status.FINISHED, actor=coordinator)
    assert jobs.course_surveys() == 1
    run_tasks()
    surveys = [m for m in _mail_to(madina) if m.subject.startswith("Как прошёл курс?")]
    assert [m.subject for m in surveys] == ["Как прошёл курс? Основы фронтенда: HTML, CSS и JavaScript"]
    survey_link = re.search(rf"https?://\S+/ru/programmes/enrolments/{mine.pk}/feedback/", surveys[0].body).group(0)

    # Her session from December has expired: she logs in on the way to the survey.
    page.goto(_on_live_server(survey_link, site))
    _fill_login(page, madina)
    expect(page.locator("h1")).to_have_text(SURVEY_HEADING)
    expect(page.get_by_test_id("survey-form")).to_be_visible()
    form = page.get_by_test_id("survey-form")
    form.locator("input[name=content][value='5']").check()
    form.locator("input[name=instructor][value='4']").check()
    form.locator("input[name=pace][value='5']").check()
    form.get_by_label("Комментарий (необязательно)").fill("Понравились практические задания.")
    _fits(page)
    form.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Спасибо! Ваши ответы помогают нам улучшать курс.")).to_be_visible()
    expect(page.get_by_test_id(f"enrolment-{mine.pk}").get_by_test_id("survey-link")).to_have_count(0)
    answer = CourseFeedback.objects.get(enrolment=mine)
    assert (answer.content, answer.instructor, answer.pace) == (5, 4, 5)

    # 7. The coordinator completes the course and issues the certificate in the admin.
    _log_in(staff, site, coordinator)
    staff.goto(f"{site}/ru/admin/programs/enrolment/")
    staff.locator(f"input.action-select[value='{mine.pk}']").check()
    staff.locator("select[name=action]").select_option("complete_selected")
    staff.locator("button[name=index]").click()
    expect(staff.locator(".messagelist")).to_contain_text("Отмечено как завершившие: 1.")
    staff.locator(f"input.action-select[value='{mine.pk}']").check()
    staff.locator("select[name=action]").select_option("issue_certificates")
    staff.locator("button[name=index]").click()
    expect(staff.locator(".messagelist")).to_contain_text("Выдано сертификатов: 1.")
    staff_context.close()
    certificate = Certificate.objects.get(enrolment=mine)
    assert (certificate.course_start, certificate.course_end) == (START, END)

    # The notice comes in Russian with the PDF attached.
    run_tasks()
    notices = [m for m in _mail_to(madina) if m.subject.startswith("Ваш сертификат")]
    assert [m.subject for m in notices] == ["Ваш сертификат: Основы фронтенда: HTML, CSS и JavaScript"]
    attached = [(a[0], a[1], a[2]) for a in notices[0].attachments]
    assert len(attached) == 1
    filename, content, mimetype = attached[0]
    assert filename.endswith(".pdf") and mimetype == "application/pdf"
    assert bytes(content).startswith(b"%PDF-")

    # 8. On "Мой технопарк" the course is completed; she downloads the certificate PDF.
    page.goto(f"{site}/ru/my/")
    row = page.get_by_test_id(f"enrolment-{mine.pk}")
    expect(row.get_by_test_id("course-status")).to_have_text("Курс пройден")
    expect(row).to_contain_text(certificate.code)
    _fits(page)
    with page.expect_download() as download_info:
        row.get_by_test_id("certificate-pdf").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 — Playwright's temporary file
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-1024:]
    assert len(pdf) > 2_000
    _assert_pdf_text(pdf, certificate.code, "Madina Qodirova")

    # 9. Anyone types the code as read from the paper — lower case, with spaces — and sees it valid.
    context, visitor = _phone(page.context.browser)
    _watch(visitor, problems)
    visitor.goto(f"{site}/ru/certificates/")
    expect(visitor.locator("h1")).to_have_text("Проверка сертификата")
    body = certificate.code.split("-", 1)[1].lower()
    typed = f"ayt {body[:4]} {body[4:8]} {body[8:]}"
    visitor.get_by_label("Код сертификата").fill(typed)
    visitor.get_by_role("button", name="Проверить").click()
    expect(visitor.get_by_test_id("verdict")).to_have_text(f"Сертификат {certificate.code} действителен.")
    facts = visitor.get_by_test_id("certificate-facts")
    expect(facts).to_contain_text("Madina Q******a")
    expect(facts).to_contain_text("Основы фронтенда: HTML, CSS и JavaScript")
    expect(facts.get_by_test_id("course-dates")).to_have_text("07.12.2026 – 26.02.2027")
    _fits(visitor)
    context.close()
    assert problems == []


def _assert_pdf_text(pdf: bytes, *phrases: str) -> None:
    """Read the PDF's text with pypdf or pdfminer when one is installed (neither is a dependency
    of the project); otherwise the byte checks above are all that is asserted."""
    import io

    try:
        from pypdf import PdfReader
    except ImportError:
        try:
            from pdfminer.high_level import extract_text
        except ImportError:
            return
        text = extract_text(io.BytesIO(pdf))
    else:
        text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    for phrase in phrases:
        assert phrase in text, phrase
