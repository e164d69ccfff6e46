"""With the mail server down, withdrawing from a course is saved and answered without a 5xx; the
person's receipt and the next waitlisted person's message arrive once the server is back."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Delivery
from programs.models import Enrolment
from tests.factories import UserFactory
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_withdrawing_with_the_mail_server_down(client, intake, smtp_server, tasks, time_machine):
    intake.capacity = 1
    intake.save()
    leaving = EnrolmentFactory(intake=intake, user=UserFactory(preferred_language="ru"))
    waiting = EnrolmentFactory(intake=intake, status=Enrolment.Status.WAITLISTED)
    smtp_server.stop()
    client.force_login(leaving.user)
    response = client.post(reverse("programs:withdraw", kwargs={"pk": leaving.pk}))
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.status == Enrolment.Status.DROPPED
    tasks()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    assert {d.address for d in pending} == {leaving.user.email, waiting.user.email}
    assert smtp_server.messages == []

    smtp_server.start()
    time_machine.move_to(max(d.next_attempt_at for d in pending) + datetime.timedelta(seconds=1))
    tasks()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([leaving.user.email, waiting.user.email])
    assert tasks() == 0 and len(smtp_server.messages) == 2
