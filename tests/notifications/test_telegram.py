"""The bot: a one-time deep link, a webhook that only Telegram can call, unlinking a blocked chat."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from notifications import services
from notifications.models import Notification, TelegramLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WEBHOOK = "/telegram/webhook/"


def post_update(client, update, secret="webhook-secret-for-tests"):
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret} if secret is not None else {}
    body = update if isinstance(update, (bytes, str)) else json.dumps(update)
    return client.post(WEBHOOK, body, content_type="application/json", **headers)


def start_update(token, chat_id=777001):
    return {
        "update_id": 1,
        "message": {"message_id": 5, "chat": {"id": chat_id, "type": "private"}, "text": f"/start {token}"},
    }


def test_the_deep_link_links_the_chat_and_the_bot_says_so_in_the_persons_language(client, telegram, tasks):
    person = UserFactory(preferred_language="ru")
    client.force_login(person)
    with translation.override("ru"):
        response = client.post(reverse("notifications:telegram_link"))
    link = response.context["deep_link"]
    assert link.startswith("https://t.me/andijan_technopark_bot?start=")
    token = link.rsplit("=", 1)[1]

    assert post_update(client, start_update(token)).content == b"linked"
    assert TelegramLink.objects.get(user=person).chat_id == "777001"
    tasks()
    [sent] = telegram.sent()
    assert sent["chat_id"] == "777001"
    assert sent["text"].startswith("Telegram привязан")
    assert "/ru/my/messages/settings/" in sent["text"] or "/ru/my/messages/" in sent["text"]

    # The token is used up: a second /start with it links nothing.
    assert post_update(client, start_update(token, chat_id=999)).content == b"ignored"
    assert TelegramLink.objects.get(user=person).chat_id == "777001"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_a_wrong_or_missing_secret_gets_403_and_changes_nothing(client, telegram, secret):
    person = UserFactory()
    token = services.telegram_deep_link(person).rsplit("=", 1)[1]
    response = post_update(client, start_update(token), secret=secret)
    assert response.status_code == 403
    assert not TelegramLink.objects.get(user=person).is_linked
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"\xff\xfe\x00",
        "[]",
        "{}",
        {"update_id": 2, "message": {"chat": {"id": 1}}},
        {"update_id": 3, "message": {"chat": {"id": 1}, "text": "/start"}},
        {"update_id": 4, "message": {"chat": {"id": 1}, "text": "/start no-such-token"}},
        {"update_id": 5, "message": {"chat": {"id": 1}, "text": "hello"}},
        {"update_id": 6, "edited_message": {"text": "x"}},
        {"update_id": 7, "message": "string instead of an object"},
    ],
)
def test_malformed_or_unknown_updates_are_ignored_with_200(client, telegram, body):
    response = post_update(client, body)
    assert response.status_code == 200
    assert TelegramLink.objects.filter(chat_id__gt="").count() == 0


def test_an_expired_token_links_nothing(client, telegram, time_machine):
    person = UserFactory()
    token = services.telegram_deep_link(person).rsplit("=", 1)[1]
    time_machine.move_to(timezone.now() + services.LINK_TOKEN_LIFETIME + timezone.timedelta(minutes=1))
    assert post_update(client, start_update(token)).content == b"ignored"
    assert not TelegramLink.objects.get(user=person).is_linked


def test_a_chat_that_blocks_the_bot_is_unlinked(client, telegram):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id="777002", linked_at=timezone.now())
    update = {
        "update_id": 9,
        "my_chat_member": {"chat": {"id": 777002}, "new_chat_member": {"status": "kicked", "user": {"id": 1}}},
    }
    assert post_update(client, update).content == b"unlinked"
    assert not TelegramLink.objects.get(user=person).is_linked


def test_unlinking_from_the_settings_page(client, telegram):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id="777003", linked_at=timezone.now())
    client.force_login(person)
    client.post(reverse("notifications:telegram_unlink"))
    assert not TelegramLink.objects.filter(user=person).exists()


def test_the_webhook_command_registers_the_url_and_secret(telegram, settings):
    from django.core.management import call_command

    telegram.server.expect_request("/bot123:test-token/setWebhook", method="POST").respond_with_json(
        {"ok": True, "result": True}
    )
    settings.SITE_URL = "https://technopark.example.uz"
    call_command("telegram_set_webhook")
    [request] = [r for r, _ in telegram.server.log if r.path.endswith("/setWebhook")]
    payload = json.loads(request.data)
    assert payload["url"] == "https://technopark.example.uz/telegram/webhook/"
    assert payload["secret_token"] == "webhook-secret-for-tests"
