"""The outbox: what a person was told (Notification) and each channel's attempt to tell them (Delivery).

A Notification and its Deliveries are written in the transaction of the change that causes them, and
so is the task that sends each Delivery (the task queue is a table in the same database). A rolled-back
change therefore leaves no message, and a committed one always has a Delivery that a worker, or the
scheduler's sweep, will send until it succeeds or has used up its tries.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")


class Notification(models.Model):
    """One thing a person was told, as it appears in their notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("For people without an account."))
    topic = models.CharField(_("topic"), max_length=40)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=250)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    dedupe_key = models.CharField(_("sent-once key"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_address"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return self.subject


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now or timezone.now())


class Delivery(models.Model):
    """One channel's attempt to tell a person; retried with backoff until sent or failed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    notification = models.ForeignKey(
        Notification, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, help_text=_("E-mail address or Telegram chat."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next try at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_pending_due"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class Preference(models.Model):
    """A person's choice of channels for one topic. No row means: every channel they have."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences")
    topic = models.CharField(_("topic"), max_length=40)
    email = models.BooleanField(_("e-mail"), default=True)
    telegram = models.BooleanField(_("Telegram"), default=True)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="preference_once_per_topic")]

    def __str__(self):
        return f"{self.user}: {self.topic}"


def _new_link_token() -> str:
    return secrets.token_urlsafe(24)


class TelegramLink(models.Model):
    """A person's Telegram chat with the technopark's bot. ``chat_id`` is empty until the person
    has sent ``/start <token>`` to the bot through the deep link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="telegram"
    )
    token = models.CharField(_("link token"), max_length=64, unique=True, default=_new_link_token)
    token_created_at = models.DateTimeField(_("token created at"), default=timezone.now)
    chat_id = models.CharField(_("chat"), max_length=40, blank=True)
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram link")
        verbose_name_plural = _("Telegram links")
        constraints = [
            models.UniqueConstraint(fields=["chat_id"], condition=~Q(chat_id=""), name="telegram_chat_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.chat_id or '—'})"

    @property
    def is_linked(self) -> bool:
        return bool(self.chat_id)
