"""What the domain apps tell the messages app, from their AppConfig.ready().

* Topics: the kinds of message a person can choose channels for ("Enrolments", "FabLab bookings"…).
  A topic with ``required_email`` always goes by e-mail (address confirmation, password reset).
* Jobs: periodic work the scheduler enqueues (reminders, clean-ups, rate loading), each with a cron
  expression. The scheduler (``manage.py run_scheduler``) reads this registry; no app is named here.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    required_email: bool = False


@dataclass(frozen=True)
class Job:
    name: str
    func: str  # dotted path of a function taking no arguments
    cron: dict = field(default_factory=dict)


TOPICS: dict[str, Topic] = {}
JOBS: dict[str, Job] = {}


def register_topic(code: str, label, *, required_email: bool = False) -> None:
    TOPICS[code] = Topic(code=code, label=label, required_email=required_email)


def register_job(name: str, func: str, **cron) -> None:
    """Run ``func`` on the scheduler's cron ``cron`` (APScheduler CronTrigger fields: minute, hour…)."""
    JOBS[name] = Job(name=name, func=func, cron=cron)


def topic(code: str) -> Topic:
    try:
        return TOPICS[code]
    except KeyError:
        raise LookupError(f"Unknown message topic {code!r}: register it in the app's ready()") from None
