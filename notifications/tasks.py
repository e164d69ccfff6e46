"""Tasks run by ``manage.py db_worker`` (django-tasks; in Django 6 the import becomes django.tasks)."""

from django.utils.module_loading import import_string
from django_tasks import task

from . import registry, services


@task()
def send_delivery(delivery_id: int) -> str:
    return services.deliver(delivery_id)


@task()
def run_job(name: str):
    """One periodic job from the registry, enqueued by the scheduler."""
    job = registry.JOBS[name]
    return import_string(job.func)()
