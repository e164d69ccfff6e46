"""Work the programmes do outside the request (run by ``manage.py db_worker``)."""

from django.db import transaction
from django_tasks import task

from . import messages
from .models import Certificate


@task()
def send_certificate_notice(certificate_id: int) -> bool:
    """Render the certificate's PDF (WeasyPrint, about half a second each) and put the notice with
    it attached into the outbox. Queued by ``services.certificate_issue`` in the issuing
    transaction, so issuing a whole intake in the admin does not render its PDFs in the request.
    Once per certificate (dedupe key); nothing for a certificate revoked before the worker came."""
    certificate = (
        Certificate.objects.select_related("enrolment__user", "enrolment__intake__course__direction")
        .filter(pk=certificate_id, revoked_at__isnull=True)
        .first()
    )
    if certificate is None:
        return False
    with transaction.atomic():
        return messages.certificate_issued(certificate)
