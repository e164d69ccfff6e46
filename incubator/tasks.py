"""Work the incubator does outside the request (run by `manage.py db_worker`)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from notifications.services import notify

from . import services
from .models import Application, Season


@task()
def apply_bulk_action(
    *,
    season_id: int,
    action: str,
    application_ids: list[int],
    actor_id: int,
    reviewer_id: int | None = None,
    message: str = "",
    share_feedback: bool = False,
) -> dict:
    """Apply a ranking-page bulk action, one application per transaction through the same services
    as a single decision, then tell the staff member what was done and what was refused."""
    User = get_user_model()
    season = Season.objects.get(pk=season_id)
    actor = User.objects.get(pk=actor_id)
    reviewer = User.objects.filter(pk=reviewer_id).first() if reviewer_id else None
    done, failed = 0, []
    for application in Application.objects.filter(pk__in=application_ids, season_id=season_id).order_by("id"):
        try:
            if action == "assign":
                services.reviewer_assign(application=application, reviewer=reviewer, assigned_by=actor)
            else:
                services.application_decide(
                    application=application,
                    actor=actor,
                    decision=action,
                    message=message,
                    share_feedback=share_feedback,
                )
            done += 1
        except ValidationError as error:
            failed.append({"team": application.team_name, "reason": " ".join(error.messages)})
    notify(
        actor,
        topic="incubator",
        kind="incubator.bulk_done",
        template="incubator/messages/bulk_done",
        context={"done": done, "failed": failed},
        link=("incubator:ranking", {"number": season.number}),
        channels_override=[],  # in the person's notification centre only, no e-mail about their own action
    )
    return {"done": done, "failed": len(failed)}
