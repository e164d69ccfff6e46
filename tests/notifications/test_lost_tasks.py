"""A task whose worker died in the middle of it is run again (django-tasks has no retry of its own):
a bulk decision half done when its worker was killed finishes, and every applicant is told once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from incubator import services as incubator
from incubator.models import Application
from notifications import services
from notifications.models import Notification
from technopark.roles import INCUBATOR_MANAGER
from tests.conftest import make_staff
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, SeasonFactory
from tests.notifications.messages import say_hello

pytestmark = pytest.mark.django_db

LATER = services.LOST_TASK_AFTER + datetime.timedelta(minutes=1)


def test_a_bulk_decision_whose_worker_died_halfway_is_finished_and_each_applicant_told_once(tasks, time_machine):
    season = SeasonFactory()
    manager = make_staff(INCUBATOR_MANAGER)
    applications = ApplicationFactory.create_batch(
        6, season=season, status=Application.Status.UNDER_REVIEW, pitch_deck=""
    )
    incubator.bulk_action_enqueue(
        season=season, actor=manager, action="rejected", application_ids=[a.pk for a in applications]
    )
    # A worker takes the task, decides the first three (each in its own transaction), and is killed.
    result = DBTaskResult.objects.get()
    result.claim("worker-that-died")
    for application in applications[:3]:
        incubator.application_decide(application=application, actor=manager, decision="rejected")
    assert tasks() == 3  # the three messages go out; the bulk task stays "running", nobody runs it
    assert Application.objects.filter(status=Application.Status.UNDER_REVIEW).count() == 3

    assert services.rescue_lost_tasks() == 0  # a task this fresh may still be running
    time_machine.move_to(timezone.now() + LATER)
    assert services.rescue_lost_tasks() == 1
    tasks()

    assert Application.objects.filter(status=Application.Status.REJECTED).count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.applicant.email for a in applications)
    assert Notification.objects.filter(kind="incubator.decision").count() == 6
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["worker-that-died", "in-process"]
    assert result.return_value == {"done": 3, "failed": 3}  # the rerun refused the three already decided
    assert manager.notifications.get(kind="incubator.bulk_done")


def test_a_task_interrupted_by_stopping_its_worker_runs_again(tasks):
    person = UserFactory()
    say_hello(person)
    result = DBTaskResult.objects.get()
    result.claim("stopped-worker")
    result.set_failed(SystemExit(1))  # what db_worker records when Ctrl-C/SIGTERM comes twice mid-task
    assert result.exception_class_path == "builtins.SystemExit"
    assert services.rescue_lost_tasks() == 1
    assert tasks() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert services.rescue_lost_tasks() == 0


def test_a_task_lost_three_times_or_a_day_ago_is_failed_for_good_not_run(tasks, time_machine):
    often, old = UserFactory(), UserFactory()
    say_hello(often)
    first = DBTaskResult.objects.get()
    for worker in ("a", "b", "c"):
        first.claim(worker)
    say_hello(old)
    second = DBTaskResult.objects.exclude(pk=first.pk).get()
    second.claim("d")
    DBTaskResult.objects.filter(pk=second.pk).update(started_at=timezone.now() - datetime.timedelta(days=2))

    time_machine.move_to(timezone.now() + LATER)
    assert services.rescue_lost_tasks() == 0
    for result in (first, second):
        result.refresh_from_db()
        assert result.status == TaskResultStatus.FAILED
        assert result.exception_class_path == "notifications.services.TaskLost"
    assert tasks() == 0 and mail.outbox == []
    assert services.rescue_lost_tasks() == 0  # failed for good stays failed


def test_the_rescue_is_a_scheduled_job():
    from notifications import registry

    job = registry.JOBS["notifications.rescue_lost_tasks"]
    assert job.func == "notifications.services.rescue_lost_tasks" and job.cron == {"minute": "*/5"}
