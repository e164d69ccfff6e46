"""Password reset goes through the outbox like every other message: no mail inside the request (a mail
server that is down costs no 500 and no lost link), in the account holder's language, by e-mail only."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Delivery, Notification, TelegramLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Namangan-Orchard-2026"
SITE = "http://127.0.0.1:8000"
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}
TEXTS = {
    "uz": (
        "Andijon yoshlar texnoparkida parolni tiklash",
        "Siz Andijon yoshlar texnoparkidagi hisobingiz (",
        "Andijon yoshlar texnoparki <",
    ),
    "ru": (
        "Восстановление пароля в Андижанском молодёжном технопарке",
        "Вы запросили восстановление пароля своего аккаунта",
        "Андижанский молодёжный технопарк <",
    ),
    "en": (
        "Password reset at the Andijan Youth Technopark",
        "You asked to reset the password of your Andijan Youth Technopark account (",
        "Andijan Youth Technopark <",
    ),
}


def reset_link(body: str, language: str) -> str:
    found = re.search(rf"{re.escape(SITE)}({PREFIX[language]}/account/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert found, body
    return found.group(1)


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_reset_message_is_in_the_holders_language_and_its_link_sets_a_new_password(
    client, tasks, telegram, language
):
    person = UserFactory(preferred_language=language, full_name="Sardor Yusupov")
    TelegramLink.objects.create(user=person, chat_id="880001", linked_at=timezone.now())
    response = client.post("/en/account/password/reset/", {"email": person.email})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent inside the request
    assert tasks() == 1

    subject, phrase, sender = TEXTS[language]
    [message] = mail.outbox
    assert (message.to, message.subject) == ([person.email], subject)
    assert message.from_email.startswith(sender)
    assert phrase in message.body and "Sardor Yusupov" in message.body
    link = reset_link(message.body, language)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'lang="{language}"' in html and f'href="{SITE}{link}"' in html
    assert telegram.sent() == []  # a reset link goes by e-mail only

    response = client.get(link, follow=True)
    set_password_url = response.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_with_the_mail_server_down_the_request_answers_and_the_link_arrives_later(
    client, smtp_server, tasks, time_machine
):
    person = UserFactory(preferred_language="ru")
    smtp_server.stop()
    with translation.override("uz"):
        url = reverse("password_reset")
    response = client.post(url, {"email": person.email})
    assert response.status_code == 302  # Django's own form would have raised ConnectionRefusedError here
    tasks()
    delivery = Delivery.objects.get(notification__kind="account.password_reset")
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert smtp_server.messages == []

    smtp_server.start()
    time_machine.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
    tasks()
    [message] = smtp_server.messages
    assert message["To"] == person.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = reset_link(body, "ru")
    assert client.get(link, follow=True).context["validlink"] is True
    assert tasks() == 0 and len(smtp_server.messages) == 1


def test_an_unknown_or_inactive_address_writes_nothing(client, tasks):
    UserFactory(email="gone@example.uz", is_active=False)
    for email in ["nobody@example.uz", "gone@example.uz"]:
        assert client.post("/en/account/password/reset/", {"email": email}).status_code == 302
    assert Notification.objects.count() == 0
    assert tasks() == 0
