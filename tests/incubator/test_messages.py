"""InnoX messages through the outbox: receipts, notices and reminders in the recipient's language
(Uzbek, Russian, English), by e-mail (text and HTML) and Telegram, each sent once and only to
people who have not acted yet; a bulk decision with the mail server down loses nothing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from incubator import reminders, services
from incubator.models import Application, Review, ReviewAssignment
from notifications.models import Delivery, Notification, TelegramLink
from tests.factories import UserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = Application.Status
SITE = "http://127.0.0.1:8000"
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}
LANGUAGES = list(PREFIX)


def person(language, chat_id="", **kwargs):
    """A person who reads in ``language``; with ``chat_id`` their Telegram is linked too."""
    someone = UserFactory(preferred_language=language, **kwargs)
    if chat_id:
        TelegramLink.objects.create(user=someone, chat_id=chat_id, linked_at=timezone.now())
    return someone


def received(to, telegram, chat_id):
    """The one e-mail to ``to`` and the one Telegram message to ``chat_id``."""
    [email] = [m for m in mail.outbox if m.to == [to]]
    [sent] = [m for m in telegram.sent() if m["chat_id"] == chat_id]
    return email, sent["text"]


def assert_both(email, text, *, subject, phrases, url):
    assert email.subject == subject
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    for phrase in phrases:
        assert phrase in email.body, phrase
        assert phrase in text, phrase
    assert f"{url}\n" in email.body + "\n"
    assert url in text and f'href="{url}"' in html
    assert text.startswith(subject + "\n")


def season_title(season, language):
    return getattr(season, f"title_{language}")


# --- Application received ------------------------------------------------------------------------

SUBMITTED = {
    "uz": (
        "{season}: arizangiz qabul qilindi",
        ["Siz yuborgan maʼlumotlar:", "Jamoa: Tokcha", "Fayllar: Taqdimot (PDF)"],
    ),
    "ru": ("{season}: ваша заявка получена", ["Вот что вы отправили:", "Команда: Tokcha", "Файлы: Презентация (PDF)"]),
    "en": (
        "{season}: your application has been received",
        ["This is what you sent:", "Team: Tokcha", "Files: Pitch deck (PDF)"],
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_application_received_with_a_summary(season, tasks, telegram, language):
    applicant = person(language, chat_id="7001", full_name="Kamola Yusupova")
    application = ApplicationFactory(
        season=season,
        applicant=applicant,
        team_name="Tokcha",
        project_title="Smart irrigation",
        members=["madina@example.uz"],
    )
    services.application_submit(application=application, actor=applicant)
    assert mail.outbox == [] and telegram.sent() == []  # nothing is sent inside the request
    tasks()
    email, text = received(applicant.email, telegram, "7001")
    subject, phrases = SUBMITTED[language]
    assert_both(
        email,
        text,
        subject=subject.format(season=season_title(season, language)),
        phrases=[*phrases, "Smart irrigation", "Kamola Yusupova (Lead), Member 0 (Dev)"],
        url=f"{SITE}{PREFIX[language]}/innox/my/{application.pk}/",
    )
    assert Notification.objects.get(kind="incubator.application_submitted").recipient == applicant


def test_no_receipt_when_the_submission_is_refused(season, tasks):
    application = ApplicationFactory(season=season, pitch_deck="")
    with pytest.raises(services.ValidationError):
        services.application_submit(application=application, actor=application.applicant)
    assert tasks() == 0 and mail.outbox == []


# --- Review assigned -------------------------------------------------------------------------------

ASSIGNED = {
    "uz": ("Sizga baholash uchun: “{project}”", "arizasini baholash soʻraldi", "arizasini oldingiz"),
    "ru": ("Вам на оценку: «{project}»", "Вас просят оценить", "Вы взяли из общего списка"),
    "en": ("A review for you: “{project}”", "You have been asked to review", "You took"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_review_assigned_by_staff_and_taken_from_the_pool(season, manager, reviewer, tasks, telegram, language):
    season.review_deadline = season.application_closes + datetime.timedelta(days=14)
    season.save()
    reviewer.preferred_language = language
    reviewer.save()
    TelegramLink.objects.create(user=reviewer, chat_id="7002", linked_at=timezone.now())
    assigned = ApplicationFactory(season=season, status=S.SUBMITTED, project_title="Tokcha")
    picked = ApplicationFactory(season=season, status=S.SUBMITTED, project_title="Ustoz AI")
    services.reviewer_assign(application=assigned, reviewer=reviewer, assigned_by=manager)
    services.reviewer_assign(application=picked, reviewer=reviewer, assigned_by=reviewer)
    tasks()
    subject, by_staff, by_pick = ASSIGNED[language]
    emails = {m.subject: m for m in mail.outbox if m.to == [reviewer.email]}
    texts = {t["text"].split("\n")[0]: t["text"] for t in telegram.sent()}
    for application, phrase in ((assigned, by_staff), (picked, by_pick)):
        title = subject.format(project=application.project_title)
        assert_both(
            emails[title],
            texts[title],
            subject=title,
            phrases=[phrase],
            url=f"{SITE}{PREFIX[language]}/innox/review/{application.pk}/",
        )
    deadline = {"uz": "Baholash muddati —", "ru": "Срок оценок —", "en": "Reviews are due by"}[language]
    assert deadline in emails[subject.format(project="Tokcha")].body


# --- Decision ------------------------------------------------------------------------------------

DECIDED = {
    "uz": ("{season}: arizangiz holati — Qabul qilingan", "Tabriklaymiz!"),
    "ru": ("{season}: статус вашей заявки — Принята", "Поздравляем!"),
    "en": ("{season}: your application is Accepted", "Congratulations!"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_decision_by_email_and_telegram(season, manager, tasks, telegram, language):
    applicant = person(language, chat_id="7003")
    application = ApplicationFactory(season=season, applicant=applicant, status=S.UNDER_REVIEW)
    services.application_decide(application=application, actor=manager, decision=S.ACCEPTED, message="Xush kelibsiz")
    tasks()
    email, text = received(applicant.email, telegram, "7003")
    subject, phrase = DECIDED[language]
    assert_both(
        email,
        text,
        subject=subject.format(season=season_title(season, language)),
        phrases=[phrase, "Xush kelibsiz"],
        url=f"{SITE}{PREFIX[language]}/innox/my/{application.pk}/",
    )


@pytest.mark.parametrize("decision", [S.ACCEPTED, S.REJECTED])
def test_bulk_decision_on_150_with_the_mail_server_down_loses_nothing(
    client, season, manager, tasks, smtp_server, time_machine, decision
):
    applications = ApplicationFactory.create_batch(150, season=season, status=S.UNDER_REVIEW, pitch_deck="")
    smtp_server.stop()
    client.force_login(manager)
    url = f"/en/innox/manage/seasons/{season.number}/ranking/"
    response = client.post(url, {"action": decision, "applications": [a.pk for a in applications]})
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    tasks()  # the worker decides each application, then tries to send: the server is down
    assert Application.objects.filter(status=decision).count() == 150
    assert smtp_server.messages == []
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.PENDING, 1)}
    smtp_server.start()
    latest = max(Delivery.objects.values_list("next_attempt_at", flat=True))
    time_machine.move_to(latest + datetime.timedelta(seconds=1))
    tasks()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(a.applicant.email for a in applications)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 2)}
    assert tasks() == 0 and len(smtp_server.messages) == 150  # nothing twice


# --- Reminders -----------------------------------------------------------------------------------

DRAFT = {
    "uz": ("{season}: arizangiz yuborilmagan, {days} kun qoldi", "hali qoralama"),
    "ru": ("{season}: ваша заявка не отправлена, {left}", "всё ещё черновик"),
    "en": ("{season}: your application is not submitted, {days} days left", "is still a draft"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_draft_reminder_in_each_language(season, tasks, telegram, time_machine, language):
    applicant = person(language, chat_id="7004")
    ApplicationFactory(season=season, applicant=applicant)
    time_machine.move_to(season.application_closes - datetime.timedelta(days=3) + datetime.timedelta(minutes=30))
    assert reminders.draft_reminders() == 1
    tasks()
    email, text = received(applicant.email, telegram, "7004")
    subject, phrase = DRAFT[language]
    assert_both(
        email,
        text,
        subject=subject.format(season=season_title(season, language), days=3, left="осталось 3 дня"),
        phrases=[phrase],
        url=f"{SITE}{PREFIX[language]}/innox/apply/",
    )


def test_draft_reminders_3_and_1_day_before_once_each_never_to_who_submitted_or_withdrew(season, time_machine):
    draft = ApplicationFactory(season=season)
    submitted_late = ApplicationFactory(season=season)
    ApplicationFactory(season=season, status=S.SUBMITTED)
    ApplicationFactory(season=season, status=S.WITHDRAWN)
    closes = season.application_closes
    time_machine.move_to(closes - datetime.timedelta(days=4))
    assert reminders.draft_reminders() == 0  # too early
    time_machine.move_to(closes - datetime.timedelta(days=3) + datetime.timedelta(minutes=10))
    assert reminders.draft_reminders() == 2
    assert reminders.draft_reminders() == 0  # the next hourly run sends nothing again
    time_machine.move_to(closes - datetime.timedelta(days=2))
    assert reminders.draft_reminders() == 0
    services.application_submit(application=submitted_late, actor=submitted_late.applicant)
    time_machine.move_to(closes - datetime.timedelta(hours=23))
    assert reminders.draft_reminders() == 1
    assert reminders.draft_reminders() == 0
    time_machine.move_to(closes + datetime.timedelta(minutes=1))
    assert reminders.draft_reminders() == 0  # closed
    sent = Notification.objects.filter(kind="incubator.draft_reminder")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(
        [draft.applicant_id, draft.applicant_id, submitted_late.applicant_id]
    )


def test_a_draft_first_seen_within_a_day_gets_only_the_last_reminder(season, time_machine):
    ApplicationFactory(season=season)
    time_machine.move_to(season.application_closes - datetime.timedelta(hours=20))
    assert reminders.draft_reminders() == 1
    assert reminders.draft_reminders() == 0
    assert Notification.objects.get().dedupe_key.startswith("incubator:draft-reminder:1d:")


REVIEW_DUE = {
    "uz": ("{season}: baholash muddatiga 3 kun qoldi", "hali bahoingizni kutmoqda"),
    "ru": ("{season}: срок оценок — через 3 дня", "ещё ждут вашей оценки"),
    "en": ("{season}: reviews due in 3 days", "still wait for your review"),
}


def _assign(application, reviewer):
    return ReviewAssignment.objects.create(application=application, reviewer=reviewer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_review_reminder_in_each_language(season, reviewer, tasks, telegram, time_machine, language):
    season.review_deadline = season.application_closes + datetime.timedelta(days=10)
    season.save()
    reviewer.preferred_language = language
    reviewer.save()
    TelegramLink.objects.create(user=reviewer, chat_id="7005", linked_at=timezone.now())
    first = ApplicationFactory(season=season, status=S.UNDER_REVIEW, project_title="Tokcha")
    second = ApplicationFactory(season=season, status=S.UNDER_REVIEW, project_title="Ustoz AI")
    _assign(first, reviewer)
    _assign(second, reviewer)
    time_machine.move_to(season.review_deadline - datetime.timedelta(days=3) + datetime.timedelta(minutes=20))
    assert reminders.review_reminders() == 1
    tasks()
    email, text = received(reviewer.email, telegram, "7005")
    subject, phrase = REVIEW_DUE[language]
    assert_both(
        email,
        text,
        subject=subject.format(season=season_title(season, language)),
        phrases=[phrase, "Tokcha", "Ustoz AI", f"{SITE}{PREFIX[language]}/innox/review/{second.pk}/"],
        url=f"{SITE}{PREFIX[language]}/innox/review/",
    )


def test_review_reminder_once_and_only_to_reviewers_with_reviews_left(season, reviewer, reviewer2, time_machine):
    season.review_deadline = season.application_closes + datetime.timedelta(days=10)
    season.save()
    done_by_both = ApplicationFactory(season=season, status=S.UNDER_REVIEW)
    left_to_first = ApplicationFactory(season=season, status=S.UNDER_REVIEW)
    decided = ApplicationFactory(season=season, status=S.REJECTED)
    for application in (done_by_both, left_to_first, decided):
        _assign(application, reviewer)
    _assign(done_by_both, reviewer2)
    Review.objects.create(application=done_by_both, reviewer=reviewer)
    Review.objects.create(application=done_by_both, reviewer=reviewer2)
    time_machine.move_to(season.review_deadline - datetime.timedelta(days=4))
    assert reminders.review_reminders() == 0  # too early
    time_machine.move_to(season.review_deadline - datetime.timedelta(days=3) + datetime.timedelta(minutes=20))
    assert reminders.review_reminders() == 1
    assert reminders.review_reminders() == 0  # once
    [reminder] = Notification.objects.filter(kind="incubator.review_reminder")
    assert reminder.recipient == reviewer
    assert reminder.text.count("/innox/review/") == 2  # the one application left, and the list
    assert f"/innox/review/{left_to_first.pk}/" in reminder.text
    time_machine.move_to(season.review_deadline + datetime.timedelta(minutes=1))
    assert reminders.review_reminders() == 0  # past the deadline


def test_no_review_reminder_without_a_review_deadline(season, reviewer, time_machine):
    _assign(ApplicationFactory(season=season, status=S.UNDER_REVIEW), reviewer)
    time_machine.move_to(season.application_closes + datetime.timedelta(days=1))
    assert reminders.review_reminders() == 0


def test_the_jobs_are_registered_for_the_scheduler():
    from notifications import registry

    assert registry.JOBS["incubator.draft_reminders"].func == "incubator.reminders.draft_reminders"
    assert registry.JOBS["incubator.review_reminders"].func == "incubator.reminders.review_reminders"
    assert registry.JOBS["incubator.load_exchange_rates"].func == "incubator.jobs.load_exchange_rates"
    assert {"incubator", "reviews"} <= set(registry.TOPICS)


@pytest.mark.parametrize("count", [10, 150])
def test_a_bulk_decision_request_costs_the_same_queries_for_10_and_150(
    client, season, manager, tasks, django_assert_num_queries, count
):
    applications = ApplicationFactory.create_batch(count, season=season, status=S.UNDER_REVIEW, pitch_deck="")
    client.force_login(manager)
    url = f"/en/innox/manage/seasons/{season.number}/ranking/"
    client.get(url)
    # (+1: the personal-data access record, security.audit, on the request's connection)
    with django_assert_num_queries(11):
        response = client.post(url, {"action": "rejected", "applications": [a.pk for a in applications]})
    assert response.status_code == 302
    assert Application.objects.filter(status=S.REJECTED).count() == 0  # decided by the worker
    tasks()
    assert Application.objects.filter(status=S.REJECTED).count() == count
    note = manager.notifications.get(kind="incubator.bulk_done")
    assert note.deliveries.count() == 0  # shown in the manager's messages, not e-mailed
