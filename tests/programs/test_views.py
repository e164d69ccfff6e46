import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import Attendance, Course, Enrolment, Intake, PartnerSchool, Session
from programs.views import mask_name
from tests.factories import UserFactory

from .factories import (
    AttendanceFactory,
    CertificateFactory,
    CourseFactory,
    DirectionFactory,
    EnrolmentFactory,
    IntakeFactory,
    MasterclassAttendanceFactory,
    MasterclassFactory,
    PartnerSchoolFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
S = Enrolment.Status

# Each request under ATOMIC_REQUESTS adds SAVEPOINT + RELEASE.
INDEX_QUERIES = 5  # savepoint, directions with counts, count, page of courses, release
COURSE_QUERIES = 5  # savepoint, course + direction, intakes with seats, students' rating, release
FUTURE_QUERIES = 8  # savepoint, upcoming, count, past page, 3 totals aggregates, release
SCHOOLS_QUERIES = 4  # savepoint, count, page, release


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def url(path_or_obj, lang="uz", *args) -> str:
    """Reverse a URL name (or an object's get_absolute_url) under a language."""
    with translation.override(lang):
        if hasattr(path_or_obj, "get_absolute_url"):
            return path_or_obj.get_absolute_url()
        return reverse(path_or_obj, args=args)


def login(client, user):
    client.force_login(user)
    return client


# --- Programme list ----------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4])
def test_programme_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        course = CourseFactory()
        IntakeFactory.create_batch(2, course=course)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("programs:index"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == count
    assert _text(response).count('data-testid="course-card"') == count


def test_programme_list_shows_courses_by_direction_with_facts(client):
    direction = DirectionFactory(name_uz="Robototexnika", name_en="Robotics")
    CourseFactory(direction=direction, title_uz="Arduino va elektronika", min_age=13, max_age=25, hours=72)
    page = _text(client.get(reverse("programs:index")))
    assert "Arduino va elektronika" in page
    assert "Robototexnika" in page
    assert "13–25" in page
    assert "72 soat" in page


def test_programme_list_filters(client):
    web = DirectionFactory(slug="web")
    robots = DirectionFactory(slug="robots")
    kids = CourseFactory(direction=robots, title_uz="LEGO", min_age=10, max_age=14, language=Course.Language.UZ)
    CourseFactory(direction=web, title_uz="Django", min_age=16, max_age=30, language=Course.Language.RU)
    open_course = CourseFactory(direction=web, title_uz="HTML", min_age=12, max_age=25, language=Course.Language.UZ)
    IntakeFactory(course=open_course, status=Intake.Status.ENROLLING)
    IntakeFactory(course=kids, status=Intake.Status.RUNNING)
    CourseFactory(direction=web, title_uz="Hidden", is_active=False)

    def titles(**params):
        response = client.get(reverse("programs:index"), params)
        return [course.title for course in response.context["page_obj"]]

    assert sorted(titles()) == ["Django", "HTML", "LEGO"]
    assert sorted(titles(direction="web")) == ["Django", "HTML"]
    assert titles(language="ru") == ["Django"]
    assert sorted(titles(age=13)) == ["HTML", "LEGO"]
    assert titles(open="on") == ["HTML"]
    assert titles(direction="web", age=20, language="uz") == ["HTML"]
    # Garbage in one field: that field shows an error, the others still filter.
    assert sorted(titles(direction="web", age="abc")) == ["Django", "HTML"]
    assert sorted(titles(direction="nope", language="ru")) == ["Django"]
    assert sorted(titles(age="-1", open="on")) == ["HTML"]
    response = client.get(url("programs:index", "en"), {"age": "abc", "direction": "web"})
    assert "Enter a whole number." in _text(response)


def test_programme_list_is_paginated(client):
    CourseFactory.create_batch(13)
    response = client.get(reverse("programs:index"), {"page": 2})
    assert len(response.context["page_obj"]) == 1
    assert "Page 2 of 2" in _text(response) or "2 / 2" in _text(response) or "2-sahifa" in _text(response)


def test_anonymous_programme_page_carries_no_csrf_token(client):
    CourseFactory()
    assert "csrfmiddlewaretoken" not in client.get(reverse("programs:index")).content.decode()


def test_direction_page_lists_its_courses_only(client):
    direction = DirectionFactory(name_uz="SMM")
    CourseFactory(direction=direction, title_uz="SMM asoslari")
    CourseFactory(title_uz="Boshqa kurs")
    page = _text(client.get(reverse("programs:direction_detail", args=[direction.slug])))
    assert "SMM asoslari" in page
    assert "Boshqa kurs" not in page


def test_unknown_direction_is_404(client):
    assert client.get(reverse("programs:direction_detail", args=["nope"])).status_code == 404


# --- Course page -------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4])
def test_course_page_query_count_is_fixed(client, django_assert_num_queries, count):
    course = CourseFactory()
    for _ in range(count):
        intake = IntakeFactory(course=course)
        EnrolmentFactory.create_batch(2, intake=intake)
    with django_assert_num_queries(COURSE_QUERIES):
        response = client.get(course.get_absolute_url())
    assert len(response.context["intakes"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_course_page_query_count_for_a_logged_in_person(client, user, django_assert_num_queries, count):
    course = CourseFactory()
    for _ in range(count):
        intake = IntakeFactory(course=course)
        EnrolmentFactory(intake=intake, user=user)
    login(client, user)
    # + session, user, the person's enrolments
    with django_assert_num_queries(COURSE_QUERIES + 3):
        response = client.get(course.get_absolute_url())
    assert len(response.context["intakes"]) == count


def test_course_page_shows_facts_intakes_and_seats(client):
    course = CourseFactory(title_uz="Frontend asoslari", hours=96, min_age=14, max_age=25, fee=0)
    intake = IntakeFactory(
        course=course,
        capacity=20,
        instructor_name="Otabek Nazarov",
        start_date=datetime.date(2026, 12, 7),
        end_date=datetime.date(2027, 3, 1),
    )
    EnrolmentFactory.create_batch(3, intake=intake)
    EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    EnrolmentFactory(intake=intake, status=S.DROPPED)
    IntakeFactory(course=course, status=Intake.Status.FINISHED, instructor_name="Old Teacher")
    response = client.get(course.get_absolute_url())
    page = _text(response)
    assert "Frontend asoslari" in page
    assert "Otabek Nazarov" in page
    assert "Old Teacher" not in page
    assert "07.12.2026 – 01.03.2027" in page
    assert "Du, Chor, Ju 15:00–17:00" in page
    assert response.context["intakes"][0].seats_left == 17
    assert response.context["intakes"][0].waitlist_count == 1
    assert '<span data-testid="seats-left">17 / 20</span>' in page


def test_course_page_in_english_and_russian(client):
    course = CourseFactory(title_uz="Kurs", title_en="Frontend basics", title_ru="Основы фронтенда")
    IntakeFactory(course=course)
    assert "Frontend basics" in _text(client.get(url(course, "en")))
    assert "Основы фронтенда" in _text(client.get(url(course, "ru")))
    assert "Mon, Wed, Fri 15:00–17:00" in _text(client.get(url(course, "en")))


def test_inactive_course_is_404(client):
    course = CourseFactory(is_active=False)
    assert client.get(course.get_absolute_url()).status_code == 404


def test_cached_anonymous_course_page_shows_seats_left_after_an_enrolment(
    client, user, intake, django_capture_on_commit_callbacks
):
    """Anonymous pages are served whole from the cache; an enrolment must not leave them stale
    (the page cache is refreshed after the commit: leaving the capture block is the commit)."""
    first = client.get(intake.course.get_absolute_url())
    assert '<span data-testid="seats-left">5 / 5</span>' in _text(first)
    again = client.get(intake.course.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        login(Client(), user).post(reverse("programs:enrol", args=[intake.pk]))
    assert Enrolment.objects.get(user=user).status == S.ENROLLED
    fresh = client.get(intake.course.get_absolute_url())
    assert fresh.get("X-Page-Cache") != "hit"
    assert '<span data-testid="seats-left">4 / 5</span>' in _text(fresh)


def test_anonymous_sees_login_link_instead_of_enrol_form(client, intake):
    page = client.get(intake.course.get_absolute_url()).content.decode()
    assert reverse("login") + "?next=" in page
    assert reverse("programs:enrol", args=[intake.pk]) not in page


# --- Enrol and withdraw -----------------------------------------------------------


def test_enrol_anonymous_is_redirected_to_login(client, intake):
    response = client.post(reverse("programs:enrol", args=[intake.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Enrolment.objects.count() == 0


def test_enrol_get_is_not_allowed(client, user, intake):
    login(client, user)
    assert client.get(reverse("programs:enrol", args=[intake.pk])).status_code == 405


def test_enrol_then_see_status_on_course_page_and_dashboard(client, user, intake):
    login(client, user)
    response = client.post(reverse("programs:enrol", args=[intake.pk]), follow=True)
    enrolment = Enrolment.objects.get(user=user, intake=intake)
    assert enrolment.status == S.ENROLLED
    page = _text(response)
    assert "Siz qabul qilindingiz. Darslarda koʻrishguncha!" in page
    assert response.context["intakes"][0].my_enrolment.pk == enrolment.pk
    dashboard = _text(client.get(url("dashboard", "en")))
    assert f'data-testid="enrolment-{enrolment.pk}"' in dashboard
    assert intake.course.title_en in dashboard
    assert "Mon, Wed, Fri 15:00–17:00" in dashboard


def test_enrol_into_full_intake_shows_waitlist_position(client, user, intake):
    EnrolmentFactory.create_batch(5, intake=intake)
    login(client, user)
    response = client.post(url("programs:enrol", "en", intake.pk), follow=True)
    assert "The intake is full: you are number 1 on the waitlist." in _text(response)
    assert Enrolment.objects.get(user=user).status == S.WAITLISTED
    assert "No. 1" in _text(client.get(url(intake.course, "en")))


def test_enrol_refusal_is_shown_and_nothing_saved(client, intake):
    young = UserFactory(birth_date=datetime.date(2018, 1, 1))
    login(client, young)
    response = client.post(url("programs:enrol", "en", intake.pk), follow=True)
    assert "This course is for ages 12 to 30" in _text(response)
    assert Enrolment.objects.count() == 0


def test_withdraw_ladder_and_offer(client, user, other_user, intake, tasks):
    mine = EnrolmentFactory(intake=intake, user=user)
    EnrolmentFactory.create_batch(4, intake=intake)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED, created_at=timezone.now())
    url = reverse("programs:withdraw", args=[mine.pk])
    # anonymous → login
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # another person → 404
    login(client, other_user)
    assert client.post(url).status_code == 404
    assert Enrolment.objects.get(pk=mine.pk).status == S.ENROLLED
    # the owner
    login(client, user)
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert Enrolment.objects.get(pk=mine.pk).status == S.DROPPED
    assert Enrolment.objects.get(pk=waiting.pk).status == S.OFFERED  # held for them, not given silently
    assert mail.outbox == []  # nothing is sent inside the request
    tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, waiting.user.email])


# --- Dashboard --------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4])
def test_dashboard_part_query_count_is_fixed(count, user, django_assert_num_queries):
    from programs.selectors import dashboard_context

    for _ in range(count):
        intake = IntakeFactory(status=Intake.Status.RUNNING)
        enrolment = EnrolmentFactory(intake=intake, user=user)
        AttendanceFactory(session=SessionFactory(intake=intake), enrolment=enrolment)
        CertificateFactory(enrolment=EnrolmentFactory(user=user, status=S.COMPLETED))
    # enrolments; their sessions, the sessions' materials and the attendance marks (prefetched)
    with django_assert_num_queries(4):
        rows = dashboard_context(user)["programs_enrolments"]
    assert len(rows) == 2 * count


def test_dashboard_shows_attendance_waitlist_and_certificate(client, user):
    running = IntakeFactory(status=Intake.Status.RUNNING)
    enrolment = EnrolmentFactory(intake=running, user=user)
    for n in range(4):
        AttendanceFactory(session=SessionFactory(intake=running), enrolment=enrolment, present=n != 0)
    full = IntakeFactory(capacity=1)
    EnrolmentFactory(intake=full)
    EnrolmentFactory(intake=full, status=S.WAITLISTED, created_at=timezone.now() - datetime.timedelta(hours=1))
    waiting = EnrolmentFactory(intake=full, user=user, status=S.WAITLISTED, created_at=timezone.now())
    certificate = CertificateFactory(enrolment=EnrolmentFactory(user=user, status=S.COMPLETED))
    EnrolmentFactory(status=S.ENROLLED)  # someone else's
    page = _text(login(client, user).get(url("dashboard", "en")))

    def row(enrolment):
        return page.split(f'data-testid="enrolment-{enrolment.pk}"')[1].split("</li>")[0]

    assert "3 of 4 sessions" in row(enrolment)
    assert '<span class="small" data-testid="waitlist-position">No. 2 on the waitlist</span>' in row(waiting)
    assert "Waitlisted" in row(waiting)
    assert certificate.code in row(certificate.enrolment)
    assert page.count('data-testid="enrolment-') == 3


# --- Professions of the Future ----------------------------------------------------


@pytest.mark.parametrize("count", [1, 4])
def test_masterclass_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        past = MasterclassFactory(date=datetime.date(2025, 3, 1) + datetime.timedelta(days=n))
        MasterclassAttendanceFactory.create_batch(2, masterclass=past)
        MasterclassFactory(date=timezone.localdate() + datetime.timedelta(days=n + 1), host_school=None, venue="Hall")
    with django_assert_num_queries(FUTURE_QUERIES):
        response = client.get(reverse("programs:future"))
    assert len(response.context["page_obj"]) == count
    assert len(response.context["upcoming"]) == count


def test_future_page_shows_masterclasses_and_totals(client):
    school = PartnerSchoolFactory(name_uz="5-son maktab")
    vocational = PartnerSchoolFactory(kind=PartnerSchool.Kind.VOCATIONAL)
    masterclass = MasterclassFactory(
        title_uz="Logotip yaratish", date=datetime.date(2025, 4, 10), host_school=school, instructor="Kamola"
    )
    MasterclassAttendanceFactory(masterclass=masterclass, school=school, headcount=30)
    MasterclassAttendanceFactory(masterclass=masterclass, school=vocational, headcount=12)
    MasterclassFactory(title_uz="Kelgusi dars", date=timezone.localdate() + datetime.timedelta(days=5))
    response = client.get(reverse("programs:future"))
    page = _text(response)
    assert response.context["totals"] == {"masterclass_count": 1, "students": 42, "vocational": 1, "general": 2}
    assert "Logotip yaratish" in page and "10.04.2025" in page and "5-son maktab" in page
    assert '<td class="text-end">42</td>' in page
    upcoming = response.content.decode().split('data-testid="upcoming"')[1].split("</table>")[0]
    assert "Kelgusi dars" in upcoming
    # Nobody has attended a masterclass that has not happened: no "Students: 0" column.
    assert "text-end" not in upcoming


@pytest.mark.parametrize("count", [1, 4])
def test_partner_schools_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        MasterclassAttendanceFactory(headcount=10)
    with django_assert_num_queries(SCHOOLS_QUERIES):
        response = client.get(reverse("programs:future_schools"))
    # every attendance creates a host school and an attending school
    assert len(response.context["page_obj"]) == 2 * count


def test_partner_schools_show_district_and_students(client, districts):
    school = PartnerSchoolFactory(name_uz="Asaka kasb-hunar maktabi", district=districts[3])
    MasterclassAttendanceFactory(school=school, headcount=25)
    MasterclassAttendanceFactory(school=school, headcount=17)
    response = client.get(reverse("programs:future_schools"))
    row = next(s for s in response.context["page_obj"] if s.pk == school.pk)
    assert (row.students, row.masterclass_count) == (42, 2)
    assert "Asaka tumani" in _text(response)


# --- Staff attendance -------------------------------------------------------------


@pytest.fixture
def running_intake(db):
    intake = IntakeFactory(
        status=Intake.Status.RUNNING,
        start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    EnrolmentFactory(intake=intake, user=UserFactory(full_name="Aziz Karimov"))
    EnrolmentFactory(intake=intake, user=UserFactory(full_name="Laylo Yusupova"))
    return intake


def test_attendance_page_ladder(client, user, other_staff, coordinator, running_intake):
    url = reverse("programs:intake_attendance", args=[running_intake.pk])
    en_url = "/en" + url
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(client, user).get(url).status_code == 403
    assert login(client, other_staff).get(url).status_code == 403
    response = login(client, coordinator).get(url)
    assert response.status_code == 200
    assert "2 students" in _text(client.get(en_url))


def test_instructor_account_may_mark_attendance_of_their_intake_only(client, running_intake):
    teacher = UserFactory(full_name="Otabek Nazarov")
    running_intake.instructor = teacher
    running_intake.save()
    other_intake = IntakeFactory(status=Intake.Status.RUNNING, instructor=UserFactory())
    other_session = SessionFactory(intake=other_intake)
    login(client, teacher)
    # Not their intake: 403 on both pages, nothing recorded.
    assert client.get(reverse("programs:intake_attendance", args=[other_intake.pk])).status_code == 403
    assert client.post(reverse("programs:session_attendance", args=[other_session.pk]), {}).status_code == 403
    assert (
        client.post(reverse("programs:intake_attendance", args=[other_intake.pk]), {"date": "2026-11-02"}).status_code
        == 403
    )
    assert Attendance.objects.count() == 0
    assert Session.objects.filter(intake=other_intake).count() == 1
    # Their intake: the page, a new session, a row per student on one form.
    page = _text(client.get(url("programs:intake_attendance", "en", running_intake.pk)))
    assert "2 students" in page
    response = client.post(reverse("programs:intake_attendance", args=[running_intake.pk]), {"date": "2026-11-04"})
    session = Session.objects.get(intake=running_intake)
    assert response.url == reverse("programs:session_attendance", args=[session.pk])
    laylo = running_intake.enrolments.get(user__full_name="Laylo Yusupova")
    response = client.post(
        url("programs:session_attendance", "en", session.pk), {"present": [str(laylo.pk)]}, follow=True
    )
    assert "Attendance saved: 1 of 2 present." in _text(response)
    assert sorted(Attendance.objects.values_list("enrolment__user__full_name", "present")) == [
        ("Aziz Karimov", False),
        ("Laylo Yusupova", True),
    ]
    assert "1 / 2" in _text(client.get(reverse("programs:intake_attendance", args=[running_intake.pk])))


def test_attendance_pages_of_unknown_intakes_and_sessions_are_404(client, coordinator):
    login(client, coordinator)
    assert client.get(reverse("programs:intake_attendance", args=[999999])).status_code == 404
    assert client.get(reverse("programs:session_attendance", args=[999999])).status_code == 404
    assert client.get("/programmes/staff/sessions/99999999999999999999/").status_code == 404


def test_session_form_refuses_a_date_outside_the_intake(client, coordinator, running_intake):
    login(client, coordinator)
    response = client.post(url("programs:intake_attendance", "en", running_intake.pk), {"date": "2027-05-01"})
    assert response.status_code == 200
    assert "The session date must be within the intake&#x27;s dates." in _text(response)
    assert Session.objects.count() == 0


def test_attendance_form_refuses_people_outside_the_intake(client, coordinator, running_intake):
    session = SessionFactory(intake=running_intake)
    stranger = EnrolmentFactory()
    login(client, coordinator)
    response = client.post(reverse("programs:session_attendance", args=[session.pk]), {"present": [str(stranger.pk)]})
    assert response.status_code == 200
    assert Attendance.objects.count() == 0


def test_coordinator_adds_a_session_and_marks_attendance_on_one_page(client, coordinator, running_intake):
    login(client, coordinator)
    response = client.post(
        reverse("programs:intake_attendance", args=[running_intake.pk]), {"date": "2026-11-02", "topic": "Flexbox"}
    )
    session = Session.objects.get(intake=running_intake)
    assert response.url == reverse("programs:session_attendance", args=[session.pk])
    page = _text(client.get(response.url))
    assert "Aziz Karimov" in page and "Laylo Yusupova" in page
    aziz = running_intake.enrolments.get(user__full_name="Aziz Karimov")
    response = client.post(reverse("programs:session_attendance", args=[session.pk]), {"present": [str(aziz.pk)]})
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("enrolment__user__full_name", "present")) == [
        ("Aziz Karimov", True),
        ("Laylo Yusupova", False),
    ]


def test_session_page_ladder(client, user, other_staff, coordinator, running_intake):
    session = SessionFactory(intake=running_intake)
    url = reverse("programs:session_attendance", args=[session.pk])
    assert client.get(url).status_code == 302
    assert login(client, user).get(url).status_code == 403
    assert login(client, other_staff).post(url, {"present": []}).status_code == 403
    assert Attendance.objects.count() == 0
    assert login(client, coordinator).get(url).status_code == 200


# --- Certificates -----------------------------------------------------------------


def test_mask_name():
    assert mask_name("Aziza Abdullayeva") == "Aziza A*********a"
    assert mask_name("Bo Li") == "Bo L*"
    assert mask_name("Temur") == "Temur"


def test_certificate_verification_is_public_and_shows_the_facts(client):
    holder = UserFactory(full_name="Aziza Abdullayeva")
    course = CourseFactory(title_uz="Grafik dizayn", hours=72)
    intake = IntakeFactory(
        course=course,
        status=Intake.Status.FINISHED,
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 12, 1),
    )
    certificate = CertificateFactory(enrolment=EnrolmentFactory(user=holder, intake=intake, status=S.COMPLETED))
    assert url(certificate, "en") == f"/en/certificates/{certificate.code}/"
    assert url(certificate) == f"/certificates/{certificate.code}/"
    page = _text(client.get(f"/en/certificates/{certificate.code}/"))
    assert f"Certificate {certificate.code} is valid." in page
    assert "Aziza A*********a" in page
    assert "Abdullayeva" not in page
    assert "Grafik dizayn" in page or course.title_en in page
    assert '<dd class="col-sm-9">72</dd>' in page
    assert "15.09.2025 – 01.12.2025" in page


def test_revoked_certificate_says_so(client):
    certificate = CertificateFactory(
        revoked_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 12)), revoke_reason="Issued by mistake"
    )
    page = _text(client.get(f"/en/certificates/{certificate.code}/"))
    assert f"Certificate {certificate.code} was revoked on 20.01.2026." in page


def test_cached_verification_page_shows_a_revocation_at_once(client, django_capture_on_commit_callbacks):
    from programs import services

    certificate = CertificateFactory()
    path = f"/en/certificates/{certificate.code}/"
    assert f"Certificate {certificate.code} is valid." in _text(client.get(path))
    assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is refreshed after the commit
        services.certificate_revoke(certificate=certificate, reason="Issued by mistake")
    page = _text(client.get(path))
    assert f"Certificate {certificate.code} was revoked on {timezone.localdate():%d.%m.%Y}." in page


def test_unknown_certificate_is_404_with_a_message(client):
    response = client.get("/en/certificates/AYT-NOPE/")
    assert response.status_code == 404
    assert "No certificate with the code AYT-NOPE exists." in _text(response)


def test_certificate_print_ladder_and_qr(client, user, other_user, coordinator):
    certificate = CertificateFactory(enrolment=EnrolmentFactory(user=user, status=S.COMPLETED))
    url = reverse("programs:certificate_print", args=[certificate.code])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(client, other_user).get(url).status_code == 404
    assert login(client, coordinator).get(url).status_code == 404
    response = login(client, user).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert user.full_name in page
    assert certificate.code in page
    assert '<div class="programs-qr" data-testid="qr"><svg' in page
    assert "style=" not in page.split('data-testid="qr"')[1].split("</svg>")[0]
    # the QR code and the address point at SITE_URL, never at the host the request named
    assert f"{settings.SITE_URL}/certificates/{certificate.code}/" in page


def test_certificate_code_is_case_insensitive_and_garbage_is_404(client):
    certificate = CertificateFactory()
    lower = certificate.code.lower()
    assert f"Certificate {certificate.code} is valid." in _text(client.get(f"/en/certificates/{lower}/"))
    assert client.get(reverse("certificates:qr", args=[lower]))["Content-Type"] == "image/svg+xml"
    # A NUL byte never reaches the view: technopark's MalformedInputMiddleware answers 400 with
    # the error page in the visitor's language (PostgreSQL refuses NUL in text).
    for code in ("%00", "AYT-%00"):
        response = client.get(f"/en/certificates/{code}/")
        assert response.status_code == 400, code
        assert "The request could not be understood." in _text(response)
        assert client.get(f"/en/certificates/{code}/qr.svg").status_code == 400
    # Plain garbage reaches the view and is simply not found.
    for code in ("A" * 5000, "<script>", "%20"):
        response = client.get(f"/en/certificates/{code}/")
        assert response.status_code == 404, code
        assert "No certificate with the code" in _text(response)
        assert client.get(f"/en/certificates/{code}/qr.svg").status_code == 404
    assert "&lt;script&gt;" in _text(client.get("/en/certificates/<script>/"))


def test_certificate_qr_image(client):
    certificate = CertificateFactory()
    response = client.get(reverse("certificates:qr", args=[certificate.code]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
