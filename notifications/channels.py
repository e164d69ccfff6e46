"""The two ways a message leaves the portal: Django's e-mail backend and Telegram's Bot API."""

import base64
import json
import urllib.error
import urllib.request
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import translation
from django.utils.translation import gettext as _


class ChatBlocked(Exception):
    """Telegram says the person blocked the bot or the chat is gone: stop writing there."""


def sender(language: str) -> str:
    """The From header in the recipient's language: "Andijon yoshlar texnoparki <noreply@…>"."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    with translation.override(language):
        name = str(_("Andijan Youth Technopark")).replace('"', "")
    return f'"{name}" <{address}>' if any(c in name for c in ",;:") else f"{name} <{address}>"


def send_email(*, to: str, language: str, subject: str, text: str, html: str, attachments: list) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender(language),
        to=[to],
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments:
        content = base64.b64decode(item["content_base64"]) if "content_base64" in item else item["content"]
        message.attach(item["filename"], content, item.get("mimetype", "application/octet-stream"))
    message.send()


def telegram_call(method: str, payload: dict) -> dict:
    """POST one Bot API method; returns the decoded ``result`` or raises."""
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TELEGRAM_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read().decode() or "{}")
        except ValueError:
            answer = {}
        description = str(answer.get("description", error.reason))
        if error.code == 403 or (error.code == 400 and "chat not found" in description.lower()):
            raise ChatBlocked(description) from error
        raise RuntimeError(f"Telegram {error.code}: {description}") from error
    if not answer.get("ok"):
        raise RuntimeError(f"Telegram answered: {answer.get('description', answer)}")
    return answer.get("result") or {}


def send_telegram(*, chat_id: str, subject: str, text: str) -> None:
    if not settings.TELEGRAM_BOT_TOKEN:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set")
    body = f"{subject}\n\n{text}"
    telegram_call(
        "sendMessage",
        {"chat_id": chat_id, "text": body[:4096], "disable_web_page_preview": True},
    )
