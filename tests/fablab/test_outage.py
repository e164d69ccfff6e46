"""With the mail server down, a FabLab manager's decision is saved, answered without a 5xx, and the
person's message arrives once the server is back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fablab.models import Booking
from notifications.models import Delivery
from tests.fablab.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_confirming_a_booking_with_the_mail_server_down(
    client, user, machine, manager, smtp_server, tasks, time_machine
):
    booking = BookingFactory(equipment=machine, user=user)
    smtp_server.stop()
    client.force_login(manager)
    response = client.post(reverse("fablab:staff_decide", kwargs={"pk": booking.pk}), {"action": "confirm"})
    assert response.status_code == 302
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    tasks()
    delivery = Delivery.objects.get(notification__kind__startswith="fablab.")
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert smtp_server.messages == []

    smtp_server.start()
    time_machine.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
    tasks()
    [message] = smtp_server.messages
    assert message["To"] == user.email
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())
    assert tasks() == 0 and len(smtp_server.messages) == 1
    assert timezone.now() > delivery.next_attempt_at
