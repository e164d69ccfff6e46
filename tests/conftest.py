import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# database access from it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def districts(db):
    from technopark.seed import seed_districts

    seed_districts()
    from technopark.models import District

    return list(District.objects.order_by("order"))


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory()


def make_staff(role):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=role))
    return staff


@pytest.fixture(autouse=True)
def _staff_roles(request):
    """Transactional and browser tests empty the database when they end, including the
    staff groups that migrations create: give every database test those roles again."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        from technopark.roles import ensure_roles

        ensure_roles()
        # The FabLab's usual week is migration data too (fablab 0005): without it the opening-hours
        # guard refuses every booking a test outside tests/fablab creates after a transactional test.
        import importlib

        from django.apps import apps as django_apps

        importlib.import_module("fablab.migrations.0005_opening_hours_guard").usual_week(django_apps, None)
    yield


# --- Work outside the request: the task queue, a real SMTP server, a local Telegram Bot API --------


def run_tasks() -> int:
    """Run every due task in this process, as `manage.py db_worker --batch` does, and fail the test
    if a task raised. Returns how many tasks ran."""
    from notifications.worker import run_pending

    try:
        return run_pending()
    except RuntimeError as error:
        raise AssertionError(str(error)) from None


@pytest.fixture
def tasks(db):
    """``tasks()`` runs the queued tasks (messages, reminders) like a worker would."""
    return run_tasks


class _SMTPRecorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server (aiosmtpd) on a fixed port that a test can stop and start again."""

    def __init__(self, port):
        self.port = port
        self.recorder = _SMTPRecorder()
        self.messages = self.recorder.messages
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server in the test process; ``smtp_server.stop()`` / ``.start()`` take it down and
    bring it back on the same port; ``smtp_server.messages`` holds what it received."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SMTPServer(port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def telegram(httpserver, settings):
    """A local HTTP server speaking the Bot API's sendMessage; ``telegram.sent()`` lists the
    messages the portal sent (chat id, text)."""
    import json

    settings.TELEGRAM_BOT_TOKEN = "123:test-token"
    settings.TELEGRAM_BOT_USERNAME = "andijan_technopark_bot"
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret-for-tests"
    settings.TELEGRAM_API_BASE = httpserver.url_for("/").rstrip("/")
    blocked: set[str] = set()

    def handler(request):
        from werkzeug.wrappers import Response

        payload = json.loads(request.data or b"{}")
        if str(payload.get("chat_id")) in blocked:
            body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            return Response(json.dumps(body), status=403, content_type="application/json")
        body = {
            "ok": True,
            "result": {"message_id": 1, "chat": {"id": payload.get("chat_id")}, "text": payload.get("text")},
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/bot123:test-token/sendMessage", method="POST").respond_with_handler(handler)

    class Telegram:
        server = httpserver

        @staticmethod
        def sent():
            return [
                json.loads(request.data)
                for request, _response in httpserver.log
                if request.path.endswith("/sendMessage")
            ]

        @staticmethod
        def block(chat_id):
            blocked.add(str(chat_id))

    return Telegram
