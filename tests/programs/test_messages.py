"""What the programmes tell people, in the recipient's language, by e-mail (text and HTML) and
Telegram: enrolled, application received, waitlisted (with the position), promoted, withdrawn,
rejected, certificate issued, and the reminder two days before an intake starts."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from notifications.models import Notification, TelegramLink
from notifications.tasks import run_job
from programs import jobs, reminders, services
from programs.models import Enrolment, Intake
from tests.factories import UserFactory

from .factories import EnrolmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db

S = Enrolment.Status
LANGUAGES = ["uz", "ru", "en"]
SITE = settings.SITE_URL.rstrip("/")
TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
CHAT = "555"


def _person(language):
    person = UserFactory(preferred_language=language, full_name="Dilnoza Karimova")
    TelegramLink.objects.create(user=person, chat_id=CHAT, linked_at=timezone.now())
    return person


def _date(day, language, fmt="j E Y"):
    with translation.override(language):
        return dateformat.format(day, fmt)


def _url(language, viewname, **kwargs):
    with translation.override(language):
        return SITE + reverse(viewname, kwargs=kwargs)


# --- One scenario per message: the action, and what the recipient must read ------------------


def enrolled(person):
    intake = IntakeFactory()
    services.enrolment_create(user=person, intake=intake)
    return intake, "dashboard", {}


def applied(person):
    intake = IntakeFactory(requires_approval=True)
    services.enrolment_create(user=person, intake=intake)
    return intake, "dashboard", {}


def waitlisted(person):
    intake = IntakeFactory(capacity=1)
    EnrolmentFactory(intake=intake)
    EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    services.enrolment_create(user=person, intake=intake)
    return intake, "dashboard", {}


def seat_offered(person):
    intake = IntakeFactory(capacity=1)
    seated = EnrolmentFactory(intake=intake)
    EnrolmentFactory(intake=intake, status=S.WAITLISTED, user=person)
    services.enrolment_withdraw(enrolment=seated, actor=seated.user)
    return intake, "dashboard", {}


def offer_lapsed(person):
    intake = IntakeFactory(capacity=1)
    EnrolmentFactory(
        intake=intake, status=S.OFFERED, user=person, offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.offers_lapse() == 1
    return intake, "programs:course_detail", {"slug": intake.course.slug}


def feedback_request(person):
    intake = IntakeFactory(start_date=datetime.date(2025, 1, 6), status=Intake.Status.FINISHED)
    enrolment = EnrolmentFactory(intake=intake, user=person)
    assert jobs.course_surveys(today=intake.end_date + datetime.timedelta(days=1)) == 1
    return intake, "programs:feedback", {"pk": enrolment.pk}


def withdrawn(person):
    enrolment = EnrolmentFactory(user=person)
    services.enrolment_withdraw(enrolment=enrolment, actor=person)
    return enrolment.intake, "programs:course_detail", {"slug": enrolment.intake.course.slug}


def rejected(person):
    enrolment = EnrolmentFactory(user=person, status=S.APPLIED, intake=IntakeFactory(requires_approval=True))
    services.enrolment_reject(enrolment=enrolment, actor=UserFactory(), reason="")
    return enrolment.intake, "programs:course_detail", {"slug": enrolment.intake.course.slug}


def certificate(person):
    enrolment = EnrolmentFactory(user=person, status=S.COMPLETED)
    issued = services.certificate_issue(enrolment=enrolment)
    return enrolment.intake, "certificates:verify", {"code": issued.code}


def intake_starting(person):
    intake = IntakeFactory(start_date=timezone.localdate() + datetime.timedelta(days=2))
    EnrolmentFactory(intake=intake, user=person)
    assert reminders.intake_starting() == 1
    return intake, "programs:course_detail", {"slug": intake.course.slug}


# subject (with {course} and {start} "j E"), a phrase of the body (with {start} "j E Y")
TEXTS = {
    enrolled: {
        "uz": ("Siz qabul qilindingiz: {course}", "sizga oʻrin ajratildi. Mashgʻulotlar {start} kuni boshlanadi."),
        "ru": ("Вы зачислены: {course}", "За вами место на курсе «{course}». Занятия начинаются {start}."),
        "en": ("You are enrolled: {course}", 'You have a seat in "{course}". The course starts on {start}.'),
    },
    applied: {
        "uz": ("Ariza qabul qilindi: {course}", "arizangizni oldik. Koordinator tez orada oʻrningizni tasdiqlaydi."),
        "ru": ("Заявка получена: {course}", "Мы получили вашу заявку на курс «{course}» (начало {start})."),
        "en": ("Application received: {course}", 'We have received your application for "{course}" (start {start}).'),
    },
    waitlisted: {
        "uz": ("Siz kutish roʻyxatidasiz: {course}", "Navbatdagi oʻrningiz: 2."),
        "ru": ("Вы в листе ожидания: {course}", "Ваше место в очереди: 2."),
        "en": ("You are on the waitlist: {course}", "Your place in the queue: 2."),
    },
    seat_offered: {
        "uz": ("Sizga oʻrin taklif qilindi: {course}", "biz uni siz uchun saqlab turibmiz."),
        "ru": ("Вам предложено место: {course}", "Примите или откажитесь от места в «Моём технопарке» до"),
        "en": ("A seat is offered to you: {course}", "and we are holding it for you."),
    },
    offer_lapsed: {
        "uz": ("Oʻrin taklifi muddati tugadi: {course}", "oʻz vaqtida qabul qilinmadi"),
        "ru": ("Предложение места истекло: {course}", "не было принято вовремя"),
        "en": ("The seat offer has lapsed: {course}", "was not accepted in time"),
    },
    feedback_request: {
        "uz": ("Kurs qanday oʻtdi? {course}", "lekin kim yozganini hech qachon koʻrmaydi."),
        "ru": ("Как прошёл курс? {course}", "но никогда не видит, кто их написал."),
        "en": ("How was the course? {course}", "never who wrote them."),
    },
    withdrawn: {
        "uz": ("Yozilish bekor qilindi: {course}", "Siz «{course}» kursidan (boshlanishi {start}) voz kechdingiz."),
        "ru": ("Запись отменена: {course}", "Вы отказались от курса «{course}» (начало {start})."),
        "en": ("Enrolment cancelled: {course}", 'You have withdrawn from "{course}" (start {start}).'),
    },
    rejected: {
        "uz": ("Ariza qabul qilinmadi: {course}", "Afsuski, «{course}» kursiga (boshlanishi {start}) arizangiz"),
        "ru": ("Заявка не принята: {course}", "К сожалению, ваша заявка на курс «{course}» (начало {start})"),
        "en": ("Enrolment not accepted: {course}", 'Unfortunately your application for "{course}" (start {start})'),
    },
    certificate: {
        "uz": ("Sertifikatingiz: {course}", "kursini tugatganingiz bilan tabriklaymiz! Sertifikatingiz berildi."),
        "ru": ("Ваш сертификат: {course}", "Поздравляем с окончанием курса «{course}»! Ваш сертификат выдан."),
        "en": ("Your certificate: {course}", 'Congratulations on completing "{course}"!'),
    },
    intake_starting: {
        "uz": ("{course}: {short} kuni boshlanadi", "Eslatma: siz qabul qilingan «{course}» kursi {start} kuni"),
        "ru": ("{course}: начало {short}", "Напоминаем: курс «{course}», на который вы зачислены, начинается {start}."),
        "en": ("{course} starts on {short}", 'A reminder: "{course}", in which you are enrolled, starts on {start}.'),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scenario", list(TEXTS), ids=lambda f: f.__name__)
def test_every_message_in_the_recipients_language_by_email_and_telegram(scenario, language, tasks, telegram):
    person = _person(language)
    intake, viewname, kwargs = scenario(person)
    assert mail.outbox == [] and telegram.sent() == []  # nothing is sent inside the action
    tasks()

    course = getattr(intake.course, f"title_{language}")
    values = {
        "course": course,
        "start": _date(intake.start_date, language),
        "short": _date(intake.start_date, language, "j E"),
    }
    subject, phrase = (text.format(**values) for text in TEXTS[scenario][language])
    link = _url(language, viewname, **kwargs)
    prefix = {"uz": SITE + "/", "ru": SITE + "/ru/", "en": SITE + "/en/"}[language]
    assert link.startswith(prefix) and not link.startswith((SITE + "/uz/", SITE + "/ru/ru/"))
    if language == "uz":
        assert not link.startswith((SITE + "/ru/", SITE + "/en/"))

    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert message.subject == subject
    assert phrase in message.body
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'lang="{language}"' in html and f'href="{link}"' in html

    [chat] = [m for m in telegram.sent() if str(m["chat_id"]) == CHAT]
    assert chat["text"].startswith(subject)
    assert phrase in chat["text"] and link in chat["text"]


def test_a_coordinator_dropping_a_student_says_so_with_the_reason(tasks):
    person = UserFactory(preferred_language="ru")
    enrolment = EnrolmentFactory(user=person)
    services.enrolment_withdraw(enrolment=enrolment, actor=UserFactory(), reason="Пропущено 5 занятий")
    tasks()
    [message] = mail.outbox
    assert "Координатор отменил вашу запись на курс" in message.body
    assert "Причина: Пропущено 5 занятий" in message.body


def test_an_approved_application_is_told_it_is_enrolled(tasks):
    person = UserFactory(preferred_language="en")
    intake = IntakeFactory(requires_approval=True)
    enrolment = EnrolmentFactory(user=person, intake=intake, status=S.APPLIED)
    services.enrolment_approve(enrolment=enrolment, actor=UserFactory())
    tasks()
    [message] = mail.outbox
    assert message.subject == f"You are enrolled: {intake.course.title_en}"
    assert Notification.objects.get().kind == "programs.approved"


def test_a_rolled_back_enrolment_sends_nothing(tasks):
    person = UserFactory()
    intake = IntakeFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrolment_create(user=person, intake=intake)
        raise RuntimeError("something after the enrolment failed")
    assert Enrolment.objects.count() == 0
    assert Notification.objects.count() == 0
    assert tasks() == 0
    assert mail.outbox == []


def test_a_refused_enrolment_sends_nothing(tasks):
    intake = IntakeFactory(status=Intake.Status.PLANNED)
    with pytest.raises(ValidationError):
        services.enrolment_create(user=UserFactory(), intake=intake)
    assert tasks() == 0
    assert Notification.objects.count() == 0


# --- The reminder two days before the start ----------------------------------------------------


def test_the_intake_reminder_goes_once_to_enrolled_students_only(tasks, time_machine):
    start = datetime.date(2027, 3, 10)
    time_machine.move_to(datetime.datetime(2027, 3, 1, 12, 0, tzinfo=TASHKENT), tick=False)
    intake = IntakeFactory(start_date=start, capacity=3)
    staying = EnrolmentFactory(intake=intake, user=UserFactory(preferred_language="en"))
    leaving = EnrolmentFactory(intake=intake)
    applying = EnrolmentFactory(intake=intake, status=S.APPLIED)
    promoted = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    other_intake = EnrolmentFactory(intake=IntakeFactory(start_date=start + datetime.timedelta(days=3)))

    def reminded():
        return set(Notification.objects.filter(kind="programs.intake_starting").values_list("recipient", flat=True))

    # Three days before: too early.
    time_machine.move_to(datetime.datetime(2027, 3, 7, 9, 0, tzinfo=TASHKENT), tick=False)
    assert reminders.intake_starting() == 0
    # The person who withdraws meanwhile is never reminded; the first in the queue is offered the seat and accepts.
    services.enrolment_withdraw(enrolment=leaving, actor=leaving.user)
    services.offer_accept(enrolment=promoted, user=promoted.user)
    # Two days before, from the scheduler's job (the task a worker runs).
    time_machine.move_to(datetime.datetime(2027, 3, 8, 9, 0, tzinfo=TASHKENT), tick=False)
    run_job.enqueue("programs.intake_starting")
    tasks()
    assert reminded() == {staying.user_id, promoted.user_id}
    # Run again the same day and the next day: nothing more.
    assert reminders.intake_starting() == 0
    time_machine.move_to(datetime.datetime(2027, 3, 9, 9, 0, tzinfo=TASHKENT), tick=False)
    assert reminders.intake_starting() == 0
    tasks()
    reminder_mails = [m for m in mail.outbox if m.subject.endswith(("starts on 10 March", "10 mart kuni boshlanadi"))]
    assert sorted(m.to[0] for m in reminder_mails) == sorted([staying.user.email, promoted.user.email])
    assert f"{intake.course.title_en} starts on 10 March" in [m.subject for m in reminder_mails]
    assert not {waiting.user_id, applying.user_id, leaving.user_id, other_intake.user_id} & reminded()
