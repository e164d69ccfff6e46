"""The learning journey (issue 12): completion rules, certificates people can use, the students'
view with materials, course feedback, waitlist offers."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from programs import jobs, services
from programs.models import CourseFeedback, Enrolment, Intake, SessionMaterial
from tests.factories import UserFactory

from .factories import (
    AttendanceFactory,
    CertificateFactory,
    CourseFactory,
    EnrolmentFactory,
    IntakeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
S = Enrolment.Status
TODAY = datetime.date(2026, 11, 30)


def url_en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def en(error):
    with translation.override("en"):
        return error.value.messages


def _intake(start, end, **kwargs):
    return IntakeFactory(start_date=start, end_date=end, status=Intake.Status.RUNNING, **kwargs)


# --- 1. Completion rules ----------------------------------------------------------------------


def test_a_course_that_has_not_ended_cannot_be_completed(time_machine, coordinator):
    """The issue's case: an intake running 12.10.2026 – 04.01.2027, completed on 30.11.2026."""
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0), tick=False)
    enrolment = EnrolmentFactory(intake=_intake(datetime.date(2026, 10, 12), datetime.date(2027, 1, 4)))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment, actor=coordinator)
    assert en(error) == ["The course runs until 04.01.2027: it can be completed only after the intake ends."]
    # the state machine itself refuses it, whoever calls it
    with pytest.raises(ValidationError):
        services.enrolment_transition(enrolment, S.COMPLETED, coordinator)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.ENROLLED
    time_machine.move_to(datetime.datetime(2027, 1, 4, 18, 0), tick=False)
    services.enrolment_complete(enrolment=enrolment, actor=coordinator)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED


def test_an_intake_finished_early_is_no_way_around_the_end_date(time_machine, coordinator, client):
    """Moving the intake to "finished" in the admin before its end date does not let a plain
    completion through (the certificate would carry 04.01.2027 as a past end on 30.11.2026)."""
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0), tick=False)
    intake = _intake(datetime.date(2026, 10, 12), datetime.date(2027, 1, 4))
    enrolment = EnrolmentFactory(intake=intake)
    services.intake_transition(intake, Intake.Status.FINISHED, actor=coordinator)
    client.force_login(coordinator)
    url = "/en" + reverse("admin:programs_enrolment_changelist")
    client.post(url, {"action": "complete_selected", "_selected_action": [enrolment.pk]})
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.ENROLLED
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment, actor=coordinator)
    assert en(error) == ["The course runs until 04.01.2027: it can be completed only after the intake ends."]
    # the recorded exception is the way
    services.enrolment_complete(enrolment=enrolment, actor=coordinator, reason="Course condensed", exception=True)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED
    assert "Course condensed" in enrolment.history.get(to_status=S.COMPLETED).reason


def test_an_exception_needs_the_permission_and_a_reason_and_is_recorded(time_machine, coordinator, user):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0), tick=False)
    enrolment = EnrolmentFactory(intake=_intake(datetime.date(2026, 10, 12), datetime.date(2027, 1, 4)))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment, actor=user, reason="moving", exception=True)
    assert en(error) == ["Only a coordinator may complete a course before its intake ends."]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment, actor=coordinator, reason="  ", exception=True)
    assert en(error) == ["Give the reason for completing the course before the intake ends."]
    services.enrolment_complete(enrolment=enrolment, actor=coordinator, reason="Moves to Tashkent", exception=True)
    [row] = enrolment.history.filter(to_status=S.COMPLETED)
    assert row.actor == coordinator
    assert row.reason.endswith("(istisno): Moves to Tashkent")  # in the language of the moment


def test_an_exception_still_needs_the_minimum_attendance(time_machine, coordinator):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0), tick=False)
    intake = _intake(
        datetime.date(2026, 10, 12), datetime.date(2027, 1, 4), course=CourseFactory(min_attendance_percent=80)
    )
    enrolment = EnrolmentFactory(intake=intake)
    for n in range(2):
        AttendanceFactory(
            session=SessionFactory(intake=intake, date=datetime.date(2026, 10, 12 + n)),
            enrolment=enrolment,
            present=n == 0,
        )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment, actor=coordinator, reason="x", exception=True)
    assert en(error) == ["Attendance is 50%, the course requires at least 80%."]


def test_the_admin_records_an_exception_with_its_reason(client, coordinator, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12, 0), tick=False)
    enrolment = EnrolmentFactory(intake=_intake(datetime.date(2026, 10, 12), datetime.date(2027, 1, 4)))
    client.force_login(coordinator)
    url = "/en" + reverse("admin:programs_enrolment_changelist")
    page = client.post(url, {"action": "complete_early_selected", "_selected_action": [enrolment.pk]})
    assert "Reason for the exception" in page.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.ENROLLED
    client.post(
        url,
        {"action": "complete_early_selected", "_selected_action": [enrolment.pk], "apply": "1", "reason": "Army"},
    )
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED
    assert "Army" in enrolment.history.get(to_status=S.COMPLETED).reason


def test_a_certificate_carries_the_intakes_dates():
    intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20))
    certificate = services.certificate_issue(enrolment=EnrolmentFactory(intake=intake, status=S.COMPLETED))
    Intake.objects.filter(pk=intake.pk).update(end_date=datetime.date(2026, 1, 31))
    certificate.refresh_from_db()
    assert (certificate.course_start, certificate.course_end) == (
        datetime.date(2025, 9, 1),
        datetime.date(2025, 12, 20),
    )


# --- 2. Certificates people can use --------------------------------------------------------------


@pytest.fixture
def certificate():
    intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20))
    return CertificateFactory(enrolment__intake=intake, course_start=intake.start_date, course_end=intake.end_date)


def _typed(code):
    """'AYT-7K3M9Q2XPA' as a person may type it: lower case, spaces, an en dash."""
    body = code[4:].lower()
    return f" ayt – {body[:4]} {body[4:7]}-{body[7:]} "


def test_the_code_form_is_tolerant_of_case_spaces_and_dashes(client, certificate):
    response = client.get("/en/certificates/", {"code": _typed(certificate.code)})
    assert response.status_code == 302
    assert response["Location"] == f"/en/certificates/{certificate.code}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Certificate {certificate.code} is valid." in page
    assert "01.09.2025 – 20.12.2025" in page
    # without the prefix too
    assert client.get("/en/certificates/", {"code": certificate.code[4:]}).status_code == 302


def test_the_code_form_page_and_an_unknown_code(client):
    page = client.get("/ru/certificates/")
    assert page.status_code == 200 and "Код сертификата" in page.content.decode()
    response = client.get("/en/certificates/", {"code": "AYT-ZZZZZZZZZZ"})
    assert response.status_code == 404
    assert "No certificate has this code." in response.content.decode()
    assert client.get("/en/certificates/", {"code": "\u0000<script>" * 5}).status_code in (400, 404)


def test_the_code_form_is_rate_limited_per_address(client, certificate, settings):
    cache.clear()
    for _n in range(20):
        assert client.get("/en/certificates/", {"code": "AYT-ZZZZZZZZZZ"}, REMOTE_ADDR="10.0.0.7").status_code == 404
    response = client.get("/en/certificates/", {"code": certificate.code}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "Too many tries from your address. Wait ten minutes and try again." in response.content.decode()
    # another address is not affected
    assert client.get("/en/certificates/", {"code": certificate.code}, REMOTE_ADDR="10.0.0.8").status_code == 302
    cache.clear()


def test_guessing_codes_through_the_qr_image_is_limited_too(client, certificate):
    """/certificates/<code>/qr.svg answers 404 for an unknown code, so its misses count against
    the same limit as the form and the verification page."""
    cache.clear()
    for n in range(20):
        assert client.get(f"/en/certificates/AYT-ZZZZZZZZ{n:02d}/qr.svg", REMOTE_ADDR="10.0.0.9").status_code == 404
    response = client.get("/en/certificates/AYT-ZZZZZZZZZZ/qr.svg", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert response.content.decode() == "Too many tries from your address. Wait ten minutes and try again."
    # the verification page answers the same (it was a 500: an error added to an unbound form)
    page = client.get("/en/certificates/AYT-ZZZZZZZZZZ/", REMOTE_ADDR="10.0.0.9")
    assert page.status_code == 429
    assert "Too many tries from your address. Wait ten minutes and try again." in page.content.decode()
    # the real certificate's image still shows (it is printed on paper), and elsewhere nothing changed
    assert client.get(f"/en/certificates/{certificate.code}/qr.svg", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/en/certificates/AYT-ZZZZZZZZZZ/qr.svg", REMOTE_ADDR="10.0.0.10").status_code == 404
    cache.clear()


def test_qr_codes_point_at_site_url_whatever_the_host_and_keep_the_quiet_zone(client, certificate, settings):
    settings.SITE_URL = "https://technopark.example.uz"
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(certificate.enrolment.user)
    page = client.get(
        url_en("programs:certificate_print", certificate.code), HTTP_HOST="evil.example.com"
    ).content.decode()
    assert f"https://technopark.example.uz/en/certificates/{certificate.code}/" in page
    assert "evil.example.com" not in page
    svg = client.get(f"/en/certificates/{certificate.code}/qr.svg", HTTP_HOST="evil.example.com").content.decode()
    # SvgPathFillImage: a white rectangle under the whole symbol, quiet zone included
    assert 'fill="white"' in svg or "fill:#fff" in svg.replace(" ", "") or 'fill="#ffffff"' in svg
    import qrcode

    from programs.qr import QUIET_ZONE, verify_url

    assert QUIET_ZONE == 4
    matrix = qrcode.QRCode(border=QUIET_ZONE)
    matrix.add_data(verify_url(certificate))
    matrix.make(fit=True)
    rows = matrix.get_matrix()
    assert not any(rows[0]) and not any(rows[3]) and not any(row[0] for row in rows)


def _drawn_qr(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The size (in modules) of an SVG QR code as drawn and its dark modules, read from the SVG
    itself: the white square must cover the whole drawing, each dark module is one 1×1 square."""
    import re

    [size] = {int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()}
    assert re.search(r'<rect fill="white" x="0" y="0" width="100%" height="100%"', svg)
    path = re.search(r' d="([^"]*)"', svg).group(1)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\1z", path)
    assert len(squares) == path.count("M")
    assert all(int(h) == int(x) + 1 and int(v) == int(y) + 1 for x, y, h, v in squares)
    return size, {(int(x), int(y)) for x, y, _h, _v in squares}


def _assert_qr_encodes(svg: str, url: str) -> None:
    """The drawn code has the 4-module quiet zone on white and carries exactly ``url``."""
    import qrcode

    size, dark = _drawn_qr(svg)
    expected = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    expected.add_data(url)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    assert size == len(matrix) + 8  # four empty modules on each side
    assert all(4 <= x < size - 4 and 4 <= y < size - 4 for x, y in dark)
    assert dark == {(x + 4, y + 4) for y, row in enumerate(matrix) for x, cell in enumerate(row) if cell}


def test_the_drawn_qr_codes_carry_the_site_url_inside_a_white_quiet_zone(client, certificate, settings, monkeypatch):
    """The codes actually drawn (the SVG image, the print view, the PDF's markup) are decoded
    module by module: each is the verification address on SITE_URL, whatever Host was asked."""
    import weasyprint

    settings.SITE_URL = "https://technopark.example.uz"
    settings.ALLOWED_HOSTS = ["*"]
    address = f"https://technopark.example.uz/en/certificates/{certificate.code}/"
    image = client.get(f"/en/certificates/{certificate.code}/qr.svg", HTTP_HOST="evil.example.com")
    assert image["Content-Type"] == "image/svg+xml"
    _assert_qr_encodes(image.content.decode(), address)
    client.force_login(certificate.enrolment.user)
    page = client.get(url_en("programs:certificate_print", certificate.code), HTTP_HOST="evil.example.com")
    _assert_qr_encodes(page.content.decode().split('class="programs-qr"')[1], address)
    rendered = []
    real = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda **kw: rendered.append(kw["string"]) or real(**kw))
    holder = certificate.enrolment.user
    holder.preferred_language = "ru"
    holder.save()
    client.get(reverse("programs:certificate_pdf", args=[certificate.code]), HTTP_HOST="evil.example.com")
    [html] = rendered
    _assert_qr_encodes(html.split('class="qr"')[1], address.replace("/en/", "/ru/"))
    assert ".qr { position: absolute; right: 0; bottom: 0; width: 38mm; height: 38mm; background: #fff; }" in html


def test_the_pdf_is_the_holders_own_in_their_language(client, certificate, other_user, monkeypatch):
    import weasyprint

    rendered = []
    real = weasyprint.HTML

    def recording(*args, **kwargs):
        rendered.append(kwargs.get("string", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    holder = certificate.enrolment.user
    holder.preferred_language = "ru"
    holder.save()
    url = reverse("programs:certificate_pdf", args=[certificate.code])
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(holder)
    response = client.get(url)  # a page in Uzbek; the PDF in the holder's Russian
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    [html] = rendered
    assert "Сертификат" in html and "01.09.2025 – 20.12.2025" in html and holder.full_name in html
    assert f"/ru/certificates/{certificate.code}/" in html and "<svg" in html


def test_the_certificate_notice_carries_the_pdf(tasks):
    person = UserFactory(preferred_language="uz")
    enrolment = EnrolmentFactory(user=person, status=S.COMPLETED)
    certificate = services.certificate_issue(enrolment=enrolment)
    tasks()
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"certificate-{certificate.code}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")


def test_the_pdf_is_rendered_by_the_worker_not_in_the_request(client, coordinator, tasks, monkeypatch):
    """Issuing a whole intake in the admin renders no PDF in the request; the worker renders one
    per certificate, once, and none for a certificate revoked before it came."""
    from notifications.models import Notification
    from programs import pdf
    from programs.tasks import send_certificate_notice

    rendered = []
    real = pdf.certificate_pdf
    monkeypatch.setattr(pdf, "certificate_pdf", lambda c, language=None: rendered.append(c.pk) or real(c, language))
    enrolments = EnrolmentFactory.create_batch(3, status=S.COMPLETED)
    client.force_login(coordinator)
    url = "/en" + reverse("admin:programs_enrolment_changelist")
    page = client.post(
        url, {"action": "issue_certificates", "_selected_action": [e.pk for e in enrolments]}, follow=True
    )
    assert "3 certificates issued." in page.content.decode()
    assert rendered == [] and Notification.objects.count() == 0  # nothing rendered or written in the request
    revoked = enrolments[2].certificate
    services.certificate_revoke(certificate=revoked, reason="Issued by mistake")
    tasks()
    assert sorted(rendered) == sorted(e.certificate.pk for e in enrolments[:2])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in enrolments[:2])
    assert all(m.attachments[0][1].startswith(b"%PDF-") for m in mail.outbox)
    # a task that runs again (a worker retried it) renders and sends nothing more
    assert send_certificate_notice.call(enrolments[0].certificate.pk) is False
    assert len(rendered) == 2 and Notification.objects.count() == 2


# --- 3. Students' view --------------------------------------------------------------------------


def test_my_technopark_shows_sessions_marks_materials_and_the_share_needed(client, user):
    intake = _intake(
        datetime.date(2026, 9, 1), datetime.date(2026, 12, 20), course=CourseFactory(min_attendance_percent=75)
    )
    enrolment = EnrolmentFactory(user=user, intake=intake)
    first = SessionFactory(intake=intake, date=datetime.date(2026, 9, 2), topic="Variables and loops")
    second = SessionFactory(intake=intake, date=datetime.date(2026, 9, 4), topic="Functions")
    SessionFactory(intake=intake, date=datetime.date(2026, 9, 7), topic="Lists")
    AttendanceFactory(session=first, enrolment=enrolment, present=True)
    AttendanceFactory(session=second, enrolment=enrolment, present=False)
    SessionMaterial.objects.create(session=first, title="Slides", url="https://example.org/slides")
    SessionMaterial.objects.create(session=first, kind="homework", title="Exercise 1", url="https://example.org/hw1")
    client.force_login(user)
    page = client.get(url_en("dashboard")).content.decode()
    assert "1 of 3 sessions (33%)" in page
    assert "75% needed to complete" in page
    assert "Variables and loops" in page and "Functions" in page
    section = page.split(f'data-testid="session-{first.pk}"')[1].split("</li>")[0]
    assert "present" in section and "https://example.org/slides" in section and "Homework" in section
    assert "absent" in page.split(f'data-testid="session-{second.pk}"')[1].split("</li>")[0]
    assert "not marked" in page


def test_dashboard_query_count_does_not_grow_with_sessions(user, django_assert_num_queries):
    from programs.selectors import dashboard_context

    for size in (1, 5):
        intake = _intake(datetime.date(2026, 9, 1), datetime.date(2026, 12, 20))
        enrolment = EnrolmentFactory(user=user, intake=intake)
        for n in range(size):
            session = SessionFactory(intake=intake, date=datetime.date(2026, 9, 1) + datetime.timedelta(days=n))
            AttendanceFactory(session=session, enrolment=enrolment)
            SessionMaterial.objects.create(session=session, title="Link", url="https://example.org/")
        with django_assert_num_queries(4):
            dashboard_context(user)


def test_material_files_open_only_for_the_intakes_students_and_staff(
    client, user, other_user, coordinator, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    intake = _intake(datetime.date(2026, 9, 1), datetime.date(2026, 12, 20))
    EnrolmentFactory(user=user, intake=intake)
    EnrolmentFactory(user=other_user)  # a student of another intake
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    material = SessionMaterial(session=SessionFactory(intake=intake), title="Handout")
    material.file.save("handout.pdf", ContentFile(b"%PDF-1.4 handout"), save=True)
    url = material.file.url
    assert "/files/" in url
    for person, status in ((user, 200), (coordinator, 200), (other_user, 404), (waiting.user, 404)):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 handout"
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# --- 4. Course feedback --------------------------------------------------------------------------


def test_the_survey_job_asks_students_of_ended_intakes_once(tasks):
    ended = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20))
    students = EnrolmentFactory.create_batch(2, intake=ended)
    EnrolmentFactory(intake=ended, status=S.DROPPED)
    EnrolmentFactory(intake=_intake(datetime.date(2025, 9, 1), datetime.date(2026, 3, 1)))  # not ended
    day = datetime.date(2025, 12, 21)
    CourseFeedback.objects.create(enrolment=students[1], content=5, instructor=5, pace=4)
    assert jobs.course_surveys(today=day) == 1
    assert jobs.course_surveys(today=day) == 0  # once
    tasks()
    assert [m.to for m in mail.outbox] == [[students[0].user.email]]


def test_a_student_answers_once_and_results_are_anonymous(client, user, coordinator, settings):
    settings.PROGRAMS_FEEDBACK_INSTRUCTOR_MIN_ANSWERS = 1  # the threshold has its own test below
    intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20), instructor=UserFactory())
    enrolment = EnrolmentFactory(user=user, intake=intake)
    url = reverse("programs:feedback", args=[enrolment.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404  # someone else's enrolment
    client.force_login(user)
    response = client.post(url, {"content": "6", "instructor": "5", "pace": "3"})
    assert response.status_code == 200 and CourseFeedback.objects.count() == 0
    client.post(url, {"content": "5", "instructor": "4", "pace": "3", "comment": "More robots please"})
    assert CourseFeedback.objects.get().comment == "More robots please"
    assert "already answered" in client.get(url_en("programs:feedback", enrolment.pk)).content.decode()
    client.force_login(intake.instructor)
    page = client.get(reverse("programs:feedback_intake", args=[intake.pk])).content.decode()
    assert "More robots please" in page and user.full_name not in page
    assert client.get(reverse("programs:feedback_results")).status_code == 404  # not a coordinator
    client.force_login(coordinator)
    page = client.get(url_en("programs:feedback_results")).content.decode()
    assert intake.course.direction.name in page and user.full_name not in page


def test_coordinators_see_the_averages_per_intake_and_per_direction(client, coordinator):
    from programs import selectors

    from .factories import DirectionFactory

    direction, other = DirectionFactory(name_en="Robotics"), DirectionFactory(name_en="Design")
    first = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20), course=CourseFactory(direction=direction))
    second = _intake(datetime.date(2025, 2, 1), datetime.date(2025, 5, 20), course=CourseFactory(direction=direction))
    third = _intake(datetime.date(2025, 2, 1), datetime.date(2025, 5, 20), course=CourseFactory(direction=other))
    for intake, ratings in ((first, [(5, 4, 3), (3, 4, 5)]), (second, [(2, 2, 2)]), (third, [(1, 1, 1)])):
        for content, instructor, pace in ratings:
            CourseFeedback.objects.create(
                enrolment=EnrolmentFactory(intake=intake), content=content, instructor=instructor, pace=pace
            )
    EnrolmentFactory(intake=first)  # a student who did not answer changes nothing
    rows = {i.pk: (i.answers, i.avg_content, i.avg_instructor, i.avg_pace) for i in selectors.feedback_by_intake()}
    assert rows == {first.pk: (2, 4.0, 4.0, 4.0), second.pk: (1, 2.0, 2.0, 2.0), third.pk: (1, 1.0, 1.0, 1.0)}
    by_direction = {d.pk: (d.answers, round(d.avg_content, 2)) for d in selectors.feedback_by_direction()}
    assert by_direction == {direction.pk: (3, 3.33), other.pk: (1, 1.0)}
    client.force_login(coordinator)
    page = client.get(url_en("programs:feedback_results")).content.decode()
    directions = page.split('data-testid="feedback-directions"')[1].split("</table>")[0]
    assert "<tr><td>Robotics</td><td>3</td><td>3.3</td><td>3.3</td><td>3.3</td></tr>" in directions


def test_the_instructor_sees_the_answers_only_from_three_on(client, coordinator):
    """With one or two answers an instructor could tell who wrote them: the figures and comments
    wait for the third answer (coordinators see them at once)."""
    intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20), instructor=UserFactory())
    url = url_en("programs:feedback_intake", intake.pk)
    for answers in (1, 2, 3):
        CourseFeedback.objects.create(
            enrolment=EnrolmentFactory(intake=intake), content=4, instructor=5, pace=3, comment=f"Comment {answers}"
        )
        client.force_login(intake.instructor)
        page = client.get(url).content.decode()
        if answers < 3:
            assert "once at least 3 students have answered" in page
            assert "Comment 1" not in page and 'data-testid="feedback-figures"' not in page
        else:
            assert 'data-testid="feedback-too-few"' not in page
            assert all(f"Comment {n}" in page for n in (1, 2, 3))
            assert 'data-testid="feedback-all"' not in page  # the results of others are not theirs
    CourseFeedback.objects.filter(comment="Comment 3").delete()
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Comment 1" in page and 'data-testid="feedback-all"' in page
    with translation.override("ru"):
        client.force_login(intake.instructor)
        page = client.get(reverse("programs:feedback_intake", args=[intake.pk])).content.decode()
    assert "Ответы показываются преподавателю, когда ответят не меньше 3 учащихся" in page


def test_coordinators_and_instructors_find_the_feedback_pages(client, coordinator):
    intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20), instructor=UserFactory())
    feedback_url = url_en("programs:feedback_intake", intake.pk)
    client.force_login(coordinator)
    admin_list = client.get("/en" + reverse("admin:programs_intake_changelist")).content.decode()
    assert f'href="{url_en("programs:feedback_results")}" data-testid="admin-feedback-results"' in admin_list
    assert f'href="{feedback_url}"' in admin_list
    client.force_login(intake.instructor)
    page = client.get(url_en("programs:intake_attendance", intake.pk)).content.decode()
    assert f'href="{feedback_url}" data-testid="feedback-link"' in page


def test_the_survey_is_refused_before_the_end():
    enrolment = EnrolmentFactory(intake=_intake(datetime.date(2026, 9, 1), datetime.date(2099, 1, 1)))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.feedback_submit(enrolment=enrolment, user=enrolment.user, content=5, instructor=5, pace=5)
    assert en(error) == ["The survey opens when the course ends."]


def test_the_course_page_shows_the_average_from_five_answers(client):
    pages = {}
    for answers in (4, 5):
        intake = _intake(datetime.date(2025, 9, 1), datetime.date(2025, 12, 20))
        for _n in range(answers):
            CourseFeedback.objects.create(enrolment=EnrolmentFactory(intake=intake), content=5, instructor=4, pace=3)
        pages[answers] = client.get(url_en("programs:course_detail", intake.course.slug)).content.decode()
    assert 'data-testid="course-rating"' not in pages[4]
    assert "4.0 of 5 (5 answers)" in pages[5]


# --- 5. Waitlist offers ----------------------------------------------------------------------------


def _full_intake_with_queue(capacity=1, waiting=2):
    intake = IntakeFactory(capacity=capacity)
    seated = EnrolmentFactory.create_batch(capacity, intake=intake)
    now = timezone.now()
    queue = [
        EnrolmentFactory(intake=intake, status=S.WAITLISTED, created_at=now + datetime.timedelta(seconds=n))
        for n in range(waiting)
    ]
    return intake, seated, queue


def test_declining_passes_the_offer_on(client):
    intake, seated, (first, second) = _full_intake_with_queue()
    services.enrolment_withdraw(enrolment=seated[0])
    client.force_login(first.user)
    client.post(reverse("programs:offer_decline", args=[first.pk]))
    assert dict(Enrolment.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "status")) == {
        first.pk: S.DROPPED,
        second.pk: S.OFFERED,
    }


def test_an_offer_that_lapses_passes_on_and_cannot_be_accepted(time_machine, tasks, settings):
    settings.PROGRAMS_OFFER_HOURS = 24
    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
    intake, seated, (first, second) = _full_intake_with_queue()
    services.enrolment_withdraw(enrolment=seated[0])
    first.refresh_from_db()
    assert first.offer_expires_at == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 59, tzinfo=datetime.UTC), tick=False)
    assert jobs.lapse_offers() == 0
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 1, tzinfo=datetime.UTC), tick=False)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.offer_accept(enrolment=first, user=first.user)
    assert en(error) == ["The offer has lapsed: its deadline has passed."]
    assert jobs.lapse_offers() == 1
    assert Enrolment.objects.get(pk=first.pk).status == S.DROPPED
    assert Enrolment.objects.get(pk=second.pk).status == S.OFFERED
    assert jobs.lapse_offers() == 0


def test_accepting_on_my_technopark_enrols(client):
    intake, seated, (first, _second) = _full_intake_with_queue()
    services.enrolment_withdraw(enrolment=seated[0])
    client.force_login(first.user)
    page = client.get(url_en("dashboard")).content.decode()
    assert "Held for you until" in page and 'data-testid="offer-accept"' in page
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("programs:offer_accept", args=[first.pk])).status_code == 404
    client.force_login(first.user)
    client.post(reverse("programs:offer_accept", args=[first.pk]))
    assert Enrolment.objects.get(pk=first.pk).status == S.ENROLLED
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_left == 0


def test_a_held_seat_is_not_given_to_a_newcomer(user):
    intake, seated, (first,) = _full_intake_with_queue(waiting=1)
    services.enrolment_withdraw(enrolment=seated[0])
    newcomer = services.enrolment_create(user=user, intake=intake)
    assert newcomer.status == S.WAITLISTED
