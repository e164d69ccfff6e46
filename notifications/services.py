"""Telling people what happened: ``notify`` writes the message into the outbox inside the caller's
transaction; ``deliver`` (run by a worker) sends one channel's copy, retrying with backoff."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from technopark import page_cache

from . import channels, registry
from .models import Channel, Delivery, Notification, Preference, TelegramLink

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … failed try: eight tries over more than four hours.
BACKOFF_MINUTES = (1, 5, 15, 30, 60, 60, 90)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A pending delivery this long past its time has lost its task (a worker died): the sweep re-queues it.
SWEEP_GRACE = timedelta(minutes=2)


def language_of(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in codes else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _resolve_link(link) -> str:
    """A link given as a path, a model with get_absolute_url, or (viewname, kwargs), resolved
    in the active language (so it carries that language's prefix)."""
    if not link:
        return ""
    if isinstance(link, tuple):
        viewname, kwargs = link
        return reverse(viewname, kwargs=kwargs)
    if hasattr(link, "get_absolute_url"):
        return link.get_absolute_url()
    return str(link)


def render_message(template: str, context: dict, language: str, link=None) -> dict:
    """Render ``<template>.txt`` (first line: the subject) and its HTML part in ``language``."""
    with translation.override(language):
        path = _resolve_link(link)
        context = {
            **context,
            "site_url": settings.SITE_URL.rstrip("/"),
            "link_url": absolute_url(path) if path else "",
            "language": language,
        }
        rendered = render_to_string(f"{template}.txt", context).strip()
        subject, _sep, text = rendered.partition("\n")
        text = text.strip()
        context.update({"subject": subject.strip(), "text": text})
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = render_to_string("notifications/email/base.html", context)
    subject = subject.strip()
    if language == "uz-cyrl":
        # Ўзбекча: the catalogues gave the interface in Cyrillic; the content (titles, names) is
        # in Uzbek Latin and is written in Cyrillic here, as on the site's pages.
        from technopark.transliteration import transliterate, transliterate_html

        subject, text, html = transliterate(subject), transliterate(text), transliterate_html(html)
    return {"subject": subject[:250], "text": text, "html": html, "url": path}


def _channels_for(recipient, topic: registry.Topic) -> list[tuple[str, str]]:
    if topic.required_email:
        return [(Channel.EMAIL, recipient.email)] if recipient.email else []
    preference = Preference.objects.filter(user=recipient, topic=topic.code).first()
    wants_email = preference.email if preference else True
    wants_telegram = preference.telegram if preference else True
    link = TelegramLink.objects.filter(user=recipient).exclude(chat_id="").first()
    chosen = []
    if wants_telegram and link:
        chosen.append((Channel.TELEGRAM, link.chat_id))
    if (wants_email or not chosen) and recipient.email and (wants_email or wants_telegram):
        # Telegram chosen but not linked: the message still reaches the person by e-mail.
        chosen.append((Channel.EMAIL, recipient.email))
    return chosen


def _stored_attachment(item: dict) -> dict:
    """JSON-safe: text as it is, bytes as text when they are UTF-8, otherwise base64 (a PDF)."""
    content = item["content"]
    stored = {"filename": item["filename"], "mimetype": item.get("mimetype", "application/octet-stream")}
    if isinstance(content, bytes):
        try:
            stored["content"] = content.decode()
        except UnicodeDecodeError:
            stored["content_base64"] = base64.b64encode(content).decode("ascii")
    else:
        stored["content"] = content
    return stored


def notify(
    recipient=None,
    *,
    topic: str,
    kind: str,
    template: str,
    context: dict | None = None,
    email: str = "",
    language: str | None = None,
    link=None,
    attachments: list | tuple = (),
    dedupe_key: str = "",
    channels_override: list[str] | None = None,
) -> Notification | None:
    """Put a message for ``recipient`` (or for the bare address ``email``) into the outbox.

    Call it inside the transaction of the change it reports: the message, its deliveries and their
    tasks commit or roll back with the change. With ``dedupe_key`` it is sent once: a second call with
    the same key does nothing and returns None. ``attachments`` are dicts of filename, content (text or
    bytes) and mimetype; they go by e-mail only.
    """
    the_topic = registry.topic(topic)
    language = language or (language_of(recipient) if recipient else settings.LANGUAGE_CODE)
    message = render_message(template, context or {}, language, link)
    stored_attachments = [_stored_attachment(item) for item in attachments]
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    email="" if recipient else email,
                    topic=topic,
                    kind=kind,
                    language=language,
                    subject=message["subject"],
                    text=message["text"],
                    html=message["html"],
                    url=message["url"],
                    attachments=stored_attachments,
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:
            if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
        if recipient is None:
            targets = [(Channel.EMAIL, email)]
        elif channels_override is not None:
            targets = [target for target in _channels_for_all(recipient) if target[0] in channels_override]
        else:
            targets = _channels_for(recipient, the_topic)
        for channel, address in targets:
            _queue(Delivery.objects.create(notification=notification, channel=channel, address=address))
    return notification


def _channels_for_all(recipient) -> list[tuple[str, str]]:
    targets = [(Channel.EMAIL, recipient.email)] if recipient.email else []
    link = TelegramLink.objects.filter(user=recipient).exclude(chat_id="").first()
    if link:
        targets.append((Channel.TELEGRAM, link.chat_id))
    return targets


def _queue(delivery: Delivery, run_after=None) -> None:
    from .tasks import send_delivery

    task = send_delivery.using(run_after=run_after) if run_after else send_delivery
    task.enqueue(delivery.pk)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        channels.send_email(
            to=delivery.address,
            language=notification.language,
            subject=notification.subject,
            text=notification.text,
            html=notification.html,
            attachments=notification.attachments,
        )
    else:
        channels.send_telegram(chat_id=delivery.address, subject=notification.subject, text=notification.text)


def deliver(delivery_id: int, now=None) -> str:
    """Send one delivery if it is due and nobody else is sending it. Never raises for a channel's fault:
    a failure is recorded and retried later, the last one marks the delivery failed for staff to see."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return "skipped"
        try:
            _send(delivery)
        except channels.ChatBlocked as error:
            delivery.status = Delivery.Status.CANCELLED
            delivery.last_error = str(error)[:2000]
            _chat_blocked(delivery)
        except Exception as error:  # any channel fault (SMTP down, Telegram unreachable) is retried
            delivery.attempts += 1
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                logger.error("Message delivery %s failed for good: %s", delivery.pk, delivery.last_error)
            else:
                delivery.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
                _queue(delivery, run_after=delivery.next_attempt_at)
        else:
            delivery.attempts += 1
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
        return delivery.status


def _chat_blocked(delivery: Delivery) -> None:
    """The person blocked the bot: unlink their chat and send this message by e-mail instead."""
    TelegramLink.objects.filter(chat_id=delivery.address).update(chat_id="", linked_at=None)
    notification = delivery.notification
    address = notification.recipient.email if notification.recipient_id else notification.email
    if address and not notification.deliveries.filter(channel=Channel.EMAIL).exists():
        _queue(Delivery.objects.create(notification=notification, channel=Channel.EMAIL, address=address))


def resend(delivery: Delivery) -> Delivery:
    """Staff's resend: a new try of a failed (or sent) delivery, as a fresh pending copy."""
    with transaction.atomic():
        copy = Delivery.objects.create(
            notification=delivery.notification, channel=delivery.channel, address=delivery.address
        )
        _queue(copy)
    return copy


def sweep_outbox(now=None, limit: int = 500) -> int:
    """Re-queue deliveries whose task was lost (a worker killed mid-send, a crash between commits).
    A delivery whose task is still queued is only waiting for a worker (a backlog): it gets no second
    task, so a long backlog does not grow by a copy of itself every minute."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_delivery

    now = now or timezone.now()
    due = list(Delivery.objects.due(now - SWEEP_GRACE).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    queued = set(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=send_delivery.module_path, args_kwargs__args__0__in=due
        ).values_list("args_kwargs__args__0", flat=True)
    )
    lost = [pk for pk in due if pk not in queued]
    for pk in lost:
        send_delivery.enqueue(pk)
    return len(lost)


# A task still "running" this long after a worker took it belongs to a worker that died (SIGKILL, a lost
# machine): the longest task, a bulk decision on 150 applications, takes seconds.
LOST_TASK_AFTER = timedelta(minutes=30)
# Lost tasks older than this are not run again (the world has moved on); staff see them failed.
LOST_TASK_WINDOW = timedelta(days=1)
# A task whose worker died this many times is failed for good (it may be what kills the worker).
LOST_TASK_MAX_RUNS = 3
# How the worker records a task it was stopped in the middle of (Ctrl-C or SIGTERM twice).
INTERRUPTED = ["builtins.SystemExit", "builtins.KeyboardInterrupt"]


class TaskLost(Exception):
    """The task's worker died while running it, too often or too long ago to run it again."""


def rescue_lost_tasks(now=None) -> int:
    """Run again the tasks whose worker died in the middle of them: a killed worker leaves its task row
    'running' for ever, a worker stopped twice leaves it 'failed' with SystemExit, and django-tasks has
    no retry of its own. Every task here is safe to run again: a delivery is sent once (row lock and
    status), the scheduler's jobs are idempotent (sent-once keys), a bulk decision refuses what is
    already decided. The row goes back to 'ready' (its worker_ids keep every try); returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    again = 0
    with transaction.atomic():
        lost = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            Q(status=TaskResultStatus.RUNNING, started_at__lt=now - LOST_TASK_AFTER)
            | Q(status=TaskResultStatus.FAILED, exception_class_path__in=INTERRUPTED)
        )
        for result in lost:
            if len(result.worker_ids) >= LOST_TASK_MAX_RUNS or result.started_at < now - LOST_TASK_WINDOW:
                result.set_failed(
                    TaskLost(f"Its worker stopped during {len(result.worker_ids)} run(s); not run again.")
                )
                logger.error(
                    "Task %s (%s) lost for good: its worker died while running it", result.pk, result.task_path
                )
                continue
            result.status = TaskResultStatus.READY
            result.started_at = result.finished_at = None
            result.exception_class_path = result.traceback = ""
            result.save(update_fields=["status", "started_at", "finished_at", "exception_class_path", "traceback"])
            logger.warning("Task %s (%s) run again: its worker died while running it", result.pk, result.task_path)
            again += 1
    return again


def prune_finished_tasks(days: int = 14) -> int:
    """Delete finished task rows older than ``days`` (the outbox itself keeps every message)."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - timedelta(days=days))
    deleted, _rows = finished.delete()
    return deleted


# --- The notification centre ----------------------------------------------------------------


def mark_all_read(user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:  # update() sends no signal: "My technopark" shows the unread count
        page_cache.bump_people_on_commit([user.pk])
    return marked


def set_preferences(user, choices: dict[str, dict[str, bool]]) -> None:
    with transaction.atomic():
        for code, chosen in choices.items():
            Preference.objects.update_or_create(
                user=user, topic=code, defaults={"email": chosen["email"], "telegram": chosen["telegram"]}
            )


# --- Telegram ------------------------------------------------------------------------------------

LINK_TOKEN_LIFETIME = timedelta(hours=1)


def telegram_deep_link(user) -> str:
    """A one-time ``t.me`` link; opening it sends ``/start <token>`` to the bot, which links the chat."""
    link, created = TelegramLink.objects.get_or_create(user=user)
    if not created and (link.is_linked or timezone.now() - link.token_created_at > LINK_TOKEN_LIFETIME):
        link.token = TelegramLink._meta.get_field("token").default()
        link.token_created_at = timezone.now()
        link.save(update_fields=["token", "token_created_at"])
    return f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?start={link.token}"


def telegram_unlink(user) -> None:
    TelegramLink.objects.filter(user=user).delete()


def telegram_handle_update(update) -> str:
    """Act on one update the bot's webhook received. Unknown or malformed updates are ignored."""
    if not isinstance(update, dict):
        return "ignored"
    member = update.get("my_chat_member")
    if isinstance(member, dict):
        chat_id = str((member.get("chat") or {}).get("id", ""))
        status = ((member.get("new_chat_member") or {}).get("status")) or ""
        if chat_id and status in {"kicked", "left"}:
            TelegramLink.objects.filter(chat_id=chat_id).update(chat_id="", linked_at=None)
            return "unlinked"
        return "ignored"
    message = update.get("message")
    if not isinstance(message, dict):
        return "ignored"
    text = message.get("text")
    chat = message.get("chat")
    if not isinstance(text, str) or not isinstance(chat, dict) or "id" not in chat:
        return "ignored"
    parts = text.strip().split()
    if len(parts) != 2 or parts[0] != "/start":
        return "ignored"
    chat_id = str(chat["id"])
    with transaction.atomic():
        link = (
            TelegramLink.objects.select_for_update()
            .select_related("user")
            .filter(token=parts[1], token_created_at__gte=timezone.now() - LINK_TOKEN_LIFETIME)
            .first()
        )
        if link is None or link.is_linked:
            return "ignored"
        TelegramLink.objects.filter(chat_id=chat_id).exclude(pk=link.pk).update(chat_id="", linked_at=None)
        link.chat_id = chat_id
        link.linked_at = timezone.now()
        link.token = TelegramLink._meta.get_field("token").default()  # the link in the e-mail is used up
        link.save(update_fields=["chat_id", "linked_at", "token"])
        notify(
            link.user,
            topic="account",
            kind="telegram.linked",
            template="notifications/messages/telegram_linked",
            context={"person": link.user},
            link=("notifications:centre", {}),
            channels_override=[Channel.TELEGRAM],
        )
    return "linked"
