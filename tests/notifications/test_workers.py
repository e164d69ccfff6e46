"""Real worker processes (`manage.py db_worker`) against the test database and a real SMTP server:
two workers never send one message twice, and a worker killed mid-send loses nothing."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.management.commands.run_scheduler import LOCK_KEY
from notifications.models import Delivery
from notifications.worker import database_url
from tests.factories import UserFactory
from tests.notifications.messages import say_hello

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def worker(smtp_port: int, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "technopark.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SECRET_KEY": "worker-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "10",
        "REDIS_URL": "",
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen([*command, *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_two_workers_send_200_messages_once_each(smtp_server):
    from notifications.tasks import send_delivery

    people = UserFactory.create_batch(200)
    for person in people:
        # Each delivery gets a second task right behind its first (as the sweep adds one for a
        # delivery it thinks lost), so the two workers take the same delivery at the same moment:
        # only the delivery's row lock keeps it from going out twice.
        send_delivery.enqueue(say_hello(person).deliveries.get().pk)
    workers = [worker(smtp_server.port, "--batch"), worker(smtp_server.port, "--batch")]
    outputs = [w.communicate(timeout=240)[0].decode() for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    recipients = [m["To"] for m in smtp_server.messages]
    assert len(recipients) == 200
    assert len(set(recipients)) == 200  # no duplicates
    assert set(recipients) == {p.email for p in people}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 200


class StallingRecorder:
    """An SMTP handler that holds the first message until released, to kill a worker mid-send."""

    def __init__(self, messages):
        self.messages = messages
        self.entered = threading.Event()
        self.release = threading.Event()
        self.stalled = False

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        from email import policy

        if not self.stalled:
            self.stalled = True
            self.entered.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


def test_a_worker_killed_mid_send_loses_nothing(smtp_server):
    smtp_server.stop()
    smtp_server.recorder = StallingRecorder(smtp_server.messages)
    smtp_server.start()
    person = UserFactory()
    say_hello(person)

    doomed = worker(smtp_server.port)
    assert smtp_server.recorder.entered.wait(timeout=60), "the worker never reached the SMTP server"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)
    smtp_server.recorder.release.set()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING  # the killed send rolled back
    assert delivery.attempts == 0
    assert smtp_server.messages == []

    # The sweep finds the delivery whose task died with the worker, and a new worker sends it.
    assert services.sweep_outbox(now=timezone.now() + services.SWEEP_GRACE * 2) == 1
    rescuer = worker(smtp_server.port, "--batch")
    output = rescuer.communicate(timeout=120)[0].decode()
    assert rescuer.returncode == 0, output
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [m["To"] for m in smtp_server.messages] == [person.email]


def test_the_task_row_a_killed_worker_leaves_running_is_run_again(smtp_server):
    """What SIGKILL really leaves behind (a task row 'running' for ever) is what rescue_lost_tasks
    finds: the row goes back to 'ready' and another worker sends the message, once."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    smtp_server.stop()
    smtp_server.recorder = StallingRecorder(smtp_server.messages)
    smtp_server.start()
    person = UserFactory()
    say_hello(person)

    doomed = worker(smtp_server.port)
    assert smtp_server.recorder.entered.wait(timeout=60), "the worker never reached the SMTP server"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)
    smtp_server.recorder.release.set()
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.RUNNING and len(result.worker_ids) == 1

    assert services.rescue_lost_tasks() == 0  # it might still be running
    later = timezone.now() + services.LOST_TASK_AFTER + timezone.timedelta(minutes=1)
    assert services.rescue_lost_tasks(now=later) == 1
    rescuer = worker(smtp_server.port, "--batch")
    output = rescuer.communicate(timeout=120)[0].decode()
    assert rescuer.returncode == 0, output
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL and len(result.worker_ids) == 2
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert [m["To"] for m in smtp_server.messages] == [person.email]


def _wait_for(process, text: str, timeout: float = 60.0) -> list[str]:
    """Read the process's output line by line until ``text`` appears (warnings may come first); fail
    after ``timeout`` seconds instead of waiting for ever on a process that says nothing more."""
    if not hasattr(process, "lines"):
        process.lines = queue.Queue()

        def read():
            for line in process.stdout:
                process.lines.put(line)
            process.lines.put(None)

        threading.Thread(target=read, daemon=True).start()
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = process.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} never appeared in:\n{''.join(seen)}")


def test_only_one_scheduler_runs_however_many_start(settings):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SECRET_KEY": "scheduler-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
    }
    command = [sys.executable, "manage.py", "run_scheduler", "--wait", "0.5"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(first, "Scheduler running")
        second = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            waiting = _wait_for(second, "waiting")
            assert not any("Scheduler running" in line for line in waiting)  # it did not schedule too
            first.send_signal(signal.SIGTERM)
            first.wait(timeout=30)
            _wait_for(second, "Scheduler running")  # it took over when the first stopped
        finally:
            second.kill()
            second.wait()
    finally:
        first.kill()
        first.wait()


def test_a_scheduler_that_loses_its_lock_stops_scheduling_and_waits_for_it_again():
    """The advisory lock ends with its database connection (PostgreSQL restarted, the connection
    cut): the scheduler notices, stops scheduling, and takes the lock again before it schedules."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SECRET_KEY": "scheduler-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
    }
    command = [sys.executable, "manage.py", "run_scheduler", "--wait", "0.5", "--check", "0.2"]
    scheduler = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        _wait_for(scheduler, "Scheduler running")
        with connection.cursor() as cursor:  # this database's scheduler lock only (other databases have their own)
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND (classid::bigint << 32) + objid::bigint = %s",
                [LOCK_KEY],
            )
            assert [row[0] for row in cursor.fetchall()] == [True]
        lost = _wait_for(scheduler, "Lost the scheduler lock")
        assert not any("Scheduler running" in line for line in lost)
        _wait_for(scheduler, "Scheduler running")  # nobody else holds it: it takes it again
    finally:
        scheduler.kill()
        scheduler.wait()
