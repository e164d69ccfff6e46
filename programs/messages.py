"""What the programmes tell people: receipts of enrolments, the waitlist and certificates.

Called by ``programs.services`` inside the transaction of the change (a rolled-back change sends
nothing) and by ``programs.reminders``. Each message is rendered in the recipient's language from
``programs/templates/programs/messages/<name>.txt`` and goes by e-mail and/or Telegram as the
person chose for the topic "programs".
"""

from notifications.models import Notification
from notifications.services import notify

from .models import Certificate, Enrolment

TOPIC = "programs"
MY_TECHNOPARK = ("dashboard", {})


def _tell(
    enrolment: Enrolment,
    kind: str,
    template: str,
    link=MY_TECHNOPARK,
    dedupe_key: str = "",
    attachments=(),
    **context,
):
    return notify(
        enrolment.user,
        topic=TOPIC,
        kind=f"programs.{kind}",
        template=f"programs/messages/{template}",
        context={
            "person": enrolment.user,
            "enrolment": enrolment,
            "intake": enrolment.intake,
            "course": enrolment.intake.course,
            **context,
        },
        link=link,
        dedupe_key=dedupe_key,
        attachments=attachments,
    )


def enrolled(enrolment: Enrolment) -> None:
    """A seat (``enrolled``) or, in an intake that needs approval, an application (``applied``)."""
    _tell(enrolment, "applied" if enrolment.status == Enrolment.Status.APPLIED else "enrolled", "enrolled")


def approved(enrolment: Enrolment) -> None:
    _tell(enrolment, "approved", "enrolled")


def waitlisted(enrolment: Enrolment, position: int) -> None:
    _tell(enrolment, "waitlisted", "waitlisted", position=position)


def seat_offered(enrolment: Enrolment) -> None:
    """A freed seat is held for the first waitlisted person until ``offer_expires_at``."""
    _tell(enrolment, "seat_offered", "seat_offered", dedupe_key=f"programs:offer:{enrolment.pk}")


def offer_lapsed(enrolment: Enrolment) -> None:
    _tell(enrolment, "offer_lapsed", "offer_lapsed", link=enrolment.intake.course)


def feedback_request(enrolment: Enrolment) -> bool:
    """The course survey, once per enrolment when the intake has ended. True if it was queued."""
    return (
        _tell(
            enrolment,
            "feedback_request",
            "feedback_request",
            link=("programs:feedback", {"pk": enrolment.pk}),
            dedupe_key=f"programs:feedback:{enrolment.pk}",
        )
        is not None
    )


def withdrawn(enrolment: Enrolment, actor=None, reason: str = "") -> None:
    by_staff = actor is not None and actor.pk != enrolment.user_id
    _tell(enrolment, "withdrawn", "withdrawn", link=enrolment.intake.course, by_staff=by_staff, reason=reason)


def rejected(enrolment: Enrolment, reason: str = "") -> None:
    _tell(enrolment, "rejected", "rejected", link=enrolment.intake.course, reason=reason)


def certificate_issued_later(certificate: Certificate) -> None:
    """Queue the certificate notice: the worker renders the PDF (``tasks.send_certificate_notice``).
    The task row is written in the caller's transaction, so a rolled-back issue sends nothing."""
    from .tasks import send_certificate_notice

    send_certificate_notice.enqueue(certificate.pk)


def certificate_issued(certificate: Certificate) -> bool:
    """The notice with the certificate's PDF (in the holder's language) attached; once per
    certificate. True if it was queued."""
    from .pdf import certificate_pdf, pdf_filename

    if Notification.objects.filter(dedupe_key=f"programs:certificate:{certificate.pk}").exists():
        return False  # a retried task: the PDF is not rendered again
    return (
        _tell(
            certificate.enrolment,
            "certificate_issued",
            "certificate_issued",
            link=certificate,
            certificate=certificate,
            dedupe_key=f"programs:certificate:{certificate.pk}",
            attachments=[
                {
                    "filename": pdf_filename(certificate),
                    "content": certificate_pdf(certificate),
                    "mimetype": "application/pdf",
                }
            ],
        )
        is not None
    )


def intake_starting(enrolment: Enrolment) -> bool:
    """The reminder two days before the start; sent once per enrolment. True if it was queued."""
    return (
        _tell(
            enrolment,
            "intake_starting",
            "intake_starting",
            link=enrolment.intake.course,
            dedupe_key=f"programs:intake-starting:{enrolment.pk}",
        )
        is not None
    )
