"""InnoX reminders, run by the scheduler (registered in ``IncubatorConfig.ready``).

Each reminder has a ``dedupe_key``, so running a job again (hourly, or twice by accident) sends it
once; and each looks only at people who have not acted yet (a draft still a draft, a review still
unwritten) at the moment it runs.
"""

import datetime
import math

from django.db.models import Exists, OuterRef
from django.utils import timezone

from notifications.services import notify

from .models import Application, Review, ReviewAssignment, Season

DRAFT_REMINDER_DAYS = (3, 1)
REVIEW_REMINDER_DAYS = 3
REVIEWABLE = (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW, Application.Status.SHORTLISTED)


def draft_reminders(now: datetime.datetime | None = None) -> int:
    """Drafts of open seasons closing within 3 days get the 3-day reminder; within 1 day, the 1-day one.

    A draft first seen with less than a day left gets only the 1-day reminder. Submitted applications
    (and withdrawn ones, which were submitted) are not drafts, so they are never reminded.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=max(DRAFT_REMINDER_DAYS))
    drafts = (
        Application.objects.filter(
            status=Application.Status.DRAFT,
            season__application_opens__lte=now,
            season__application_closes__gt=now,
            season__application_closes__lte=horizon,
        )
        .select_related("season", "applicant")
        .order_by("pk")
    )
    sent = 0
    for application in drafts.iterator(chunk_size=200):
        left = application.season.application_closes - now
        window = 1 if left <= datetime.timedelta(days=1) else max(DRAFT_REMINDER_DAYS)
        days = max(1, math.ceil(left / datetime.timedelta(days=1)))
        notification = notify(
            application.applicant,
            topic="incubator",
            kind="incubator.draft_reminder",
            template="incubator/messages/draft_reminder",
            context={
                "application": application,
                "applicant": application.applicant,
                "season": application.season,
                "days": days,
            },
            link=("incubator:apply", {}),
            dedupe_key=f"incubator:draft-reminder:{window}d:{application.pk}",
        )
        sent += notification is not None
    return sent


def review_reminders(now: datetime.datetime | None = None) -> int:
    """Reviewers with assigned applications they have not reviewed, 3 days before the season's review
    deadline: one message per reviewer and season, listing what is left, sent once."""
    now = now or timezone.now()
    seasons = Season.objects.filter(
        review_deadline__gt=now, review_deadline__lte=now + datetime.timedelta(days=REVIEW_REMINDER_DAYS)
    )
    pending = (
        ReviewAssignment.objects.filter(application__season__in=seasons, application__status__in=REVIEWABLE)
        .annotate(
            done=Exists(Review.objects.filter(application=OuterRef("application_id"), reviewer=OuterRef("reviewer_id")))
        )
        .filter(done=False)
        .select_related("reviewer", "application__season")
        .order_by("application__season_id", "reviewer_id", "application_id")
    )
    by_reviewer: dict[tuple[int, int], list[ReviewAssignment]] = {}
    for assignment in pending:
        by_reviewer.setdefault((assignment.application.season_id, assignment.reviewer_id), []).append(assignment)
    sent = 0
    for (season_id, reviewer_id), assignments in by_reviewer.items():
        reviewer = assignments[0].reviewer
        season = assignments[0].application.season
        notification = notify(
            reviewer,
            topic="reviews",
            kind="incubator.review_reminder",
            template="incubator/messages/review_reminder",
            context={"reviewer": reviewer, "season": season, "applications": [a.application for a in assignments]},
            link=("incubator:review_assignments", {}),
            dedupe_key=f"incubator:review-reminder:{season_id}:{reviewer_id}",
        )
        sent += notification is not None
    return sent


#: Founders report a month by this day of the next month; from then on they are reminded.
REPORT_DUE_DAY = 10


def report_reminders(today: datetime.date | None = None) -> int:
    """After the 10th, each founder (with an account) of an active startup that has not reported last
    month is reminded once for that month. Startups created after the month began are left out."""
    from .models import MonthlyReport, Startup

    today = today or timezone.localdate()
    if today.day < REPORT_DUE_DAY:
        return 0
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    late = (
        Startup.objects.filter(closed_on__isnull=True, season__programme_start__lt=today.replace(day=1))
        .exclude(Exists(MonthlyReport.objects.filter(startup=OuterRef("pk"), month=month)))
        .prefetch_related("founders__user")
        .order_by("pk")
    )
    sent = 0
    for startup in late:
        for founder in startup.founders.all():
            if founder.user is None or not founder.user.is_active:
                continue
            notification = notify(
                founder.user,
                topic="incubator",
                kind="incubator.report_reminder",
                template="incubator/messages/report_reminder",
                context={"startup": startup, "month": month, "founder": founder.user},
                link=("incubator:monthly_report", {"slug": startup.slug}),
                dedupe_key=f"incubator:report-late:{startup.pk}:{month.isoformat()}:{founder.user_id}",
            )
            sent += notification is not None
    return sent
