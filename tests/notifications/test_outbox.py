"""The outbox: a message commits with the change that causes it, is retried while a channel is down,
and is sent once."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import registry, services
from notifications.models import Delivery, Notification, TelegramLink
from tests.factories import UserFactory
from tests.notifications.messages import say_hello

pytestmark = pytest.mark.django_db


def test_a_rolled_back_change_sends_nothing(tasks):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        say_hello(person)
        raise RuntimeError("the change fails")
    assert Notification.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert tasks() == 0
    assert mail.outbox == []


def test_a_committed_message_goes_out_in_the_recipients_language_with_text_and_html(tasks):
    person = UserFactory(preferred_language="ru", full_name="Madina Qodirova")
    say_hello(person)
    assert mail.outbox == []  # nothing is sent inside the request
    assert tasks() == 1
    [message] = mail.outbox
    assert message.to == [person.email]
    assert message.from_email.startswith("Андижанский молодёжный технопарк")
    assert "Madina Qodirova" in message.body
    assert "http://127.0.0.1:8000/ru/my/messages/" in message.body  # the link carries the language
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and 'lang="ru"' in html
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)


def test_uzbek_is_the_default_and_has_no_prefix(tasks):
    person = UserFactory(preferred_language="uz")
    say_hello(person)
    tasks()
    assert "http://127.0.0.1:8000/my/messages/" in mail.outbox[0].body
    assert mail.outbox[0].from_email.startswith("Andijon yoshlar texnoparki")


def test_a_sent_once_key_sends_once(tasks):
    person = UserFactory()
    assert say_hello(person, dedupe_key="hello:1") is not None
    assert say_hello(person, dedupe_key="hello:1") is None
    tasks()
    assert len(mail.outbox) == 1


def test_smtp_down_is_retried_with_backoff_then_delivered(smtp_server, tasks, time_machine):
    person = UserFactory(preferred_language="en")
    smtp_server.stop()
    say_hello(person)
    tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    smtp_server.start()
    assert tasks() == 0  # the retry waits for its time
    time_machine.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
    assert tasks() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [m["To"] for m in smtp_server.messages] == [person.email]


def test_a_channel_that_keeps_failing_is_marked_failed_after_all_tries(smtp_server, tasks, time_machine):
    person = UserFactory()
    smtp_server.stop()
    say_hello(person)
    started = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        tasks()
        delivery = Delivery.objects.get()
        time_machine.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS >= 5
    assert timezone.now() - started >= datetime.timedelta(hours=1)


def test_the_sweep_requeues_a_delivery_whose_task_was_lost(tasks, time_machine):
    person = UserFactory()
    say_hello(person)
    DBTaskResult.objects.all().delete()  # a worker died after claiming it
    assert services.sweep_outbox() == 0  # too fresh to be lost
    time_machine.move_to(timezone.now() + services.SWEEP_GRACE + datetime.timedelta(seconds=5))
    assert services.sweep_outbox() == 1
    tasks()
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_a_delivery_whose_task_is_only_waiting_for_a_worker(tasks, time_machine):
    first, second = UserFactory(), UserFactory()
    say_hello(first)
    say_hello(second)
    DBTaskResult.objects.filter(args_kwargs__args__0=Delivery.objects.get(notification__recipient=second).pk).delete()
    time_machine.move_to(timezone.now() + services.SWEEP_GRACE + datetime.timedelta(seconds=5))
    # The workers are behind: the first delivery's task is still queued, the second one's is lost.
    assert services.sweep_outbox() == 1
    assert services.sweep_outbox() == 0  # and now both are queued
    assert DBTaskResult.objects.count() == 2
    assert tasks() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_two_kicks_for_one_delivery_send_it_once(tasks):
    person = UserFactory()
    say_hello(person)
    delivery = Delivery.objects.get()
    from notifications.tasks import send_delivery

    send_delivery.enqueue(delivery.pk)
    assert tasks() == 2
    assert len(mail.outbox) == 1


def test_telegram_as_well_as_email_when_linked(tasks, telegram):
    person = UserFactory(preferred_language="en")
    TelegramLink.objects.create(user=person, chat_id="5550001", linked_at=timezone.now())
    say_hello(person)
    tasks()
    assert len(mail.outbox) == 1
    [sent] = telegram.sent()
    assert sent["chat_id"] == "5550001"
    assert "Telegram is linked" in sent["text"]


def test_a_blocked_bot_unlinks_the_chat_and_falls_back_to_email(tasks, telegram):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id="5550002", linked_at=timezone.now())
    services.set_preferences(person, {"tests": {"email": False, "telegram": True}})
    telegram.block("5550002")
    say_hello(person)
    tasks()
    assert not TelegramLink.objects.get(user=person).is_linked
    assert [m.to for m in mail.outbox] == [[person.email]]
    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {"telegram": Delivery.Status.CANCELLED, "email": Delivery.Status.SENT}


def test_preferences_choose_the_channels(tasks, telegram):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id="5550003", linked_at=timezone.now())
    services.set_preferences(person, {"tests": {"email": False, "telegram": True}})
    say_hello(person)
    tasks()
    assert mail.outbox == []
    assert len(telegram.sent()) == 1


def test_required_topics_always_go_by_email(tasks, telegram):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id="5550004", linked_at=timezone.now())
    services.set_preferences(person, {"account": {"email": False, "telegram": False}})
    services.notify(
        person,
        topic="account",
        kind="tests.account",
        template="notifications/messages/telegram_linked",
        context={"person": person},
    )
    tasks()
    assert len(mail.outbox) == 1
    assert telegram.sent() == []


def test_finished_task_rows_are_pruned_after_two_weeks_and_messages_kept(tasks, time_machine):
    person = UserFactory()
    say_hello(person)
    tasks()
    assert services.prune_finished_tasks() == 0
    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))
    assert services.prune_finished_tasks() == 1
    assert DBTaskResult.objects.count() == 0
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_every_registered_job_names_a_function_that_exists():
    from django.utils.module_loading import import_string

    assert "notifications.sweep_outbox" in registry.JOBS
    for job in registry.JOBS.values():
        assert callable(import_string(job.func)), job.name
