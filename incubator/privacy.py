"""What InnoX does when a person asks for deletion (technopark.privacy runs it)."""

from .models import Application
from .services import application_withdraw


def erase(user) -> None:
    """Drafts are deleted with their files; applications still waiting for a decision are withdrawn.
    Decided applications, participants, startups and investments stay, without the person's name."""
    for draft in Application.objects.filter(applicant=user, status=Application.Status.DRAFT):
        for field in ("pitch_deck", "logo"):
            file = getattr(draft, field, None)
            if file:
                file.delete(save=False)
        draft.delete()
    for application in Application.objects.filter(applicant=user, status__in=Application.UNDECIDED):
        application_withdraw(application=application, actor=user)
