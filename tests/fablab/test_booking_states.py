"""The booking state machine: every allowed move, every refused one, the history rows."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fablab import services
from fablab.models import Booking, BookingStatusChange

from .factories import BookingFactory

S = Booking.Status
pytestmark = pytest.mark.django_db

ALLOWED = {
    (S.REQUESTED, S.CONFIRMED),
    (S.REQUESTED, S.REJECTED),
    (S.REQUESTED, S.CANCELLED),
    (S.CONFIRMED, S.COMPLETED),
    (S.CONFIRMED, S.REJECTED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CONFIRMED, S.NO_SHOW),
}


def test_the_table_lists_every_status_and_these_moves():
    assert services.BOOKING_WORKFLOW.missing() == set()
    table = {(a, b) for a, targets in services.BOOKING_WORKFLOW.transitions.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_move_is_saved_and_logged(from_status, to_status, manager):
    booking = BookingFactory(status=from_status)
    services.booking_transition(booking, to_status, manager, reason="checked")
    booking.refresh_from_db()
    assert booking.status == to_status
    assert list(booking.history.values_list("from_status", "to_status", "actor", "reason")) == [
        (from_status, to_status, manager.pk, "checked")
    ]


@pytest.mark.parametrize(
    ("from_status", "to_status"), sorted((a, b) for a in S.values for b in S.values if (a, b) not in ALLOWED)
)
def test_every_other_move_is_refused_in_words(from_status, to_status, manager):
    booking = BookingFactory(status=from_status)
    with pytest.raises(ValidationError) as error:
        services.booking_transition(booking, to_status, manager)
    with translation.override("en"):
        assert error.value.messages == [f"A booking cannot go from “{S(from_status).label}” to “{S(to_status).label}”."]
    booking.refresh_from_db()
    assert booking.status == from_status
    assert BookingStatusChange.objects.count() == 0


def test_a_booking_keeps_its_story(user, manager, machine):
    booking = BookingFactory(equipment=machine, user=user)
    services.booking_confirm(booking=booking, by=manager)
    services.booking_cancel(booking=booking, by=manager, note="Machine needed for a demo")
    rows = list(booking.history.order_by("at", "id").values_list("from_status", "to_status", "actor", "reason"))
    assert rows == [
        (S.REQUESTED, S.CONFIRMED, manager.pk, ""),
        (S.CONFIRMED, S.CANCELLED, manager.pk, "Machine needed for a demo"),
    ]


def test_the_admin_shows_the_history_read_only(client, manager):
    booking = BookingFactory(status=S.REQUESTED)
    services.booking_transition(booking, S.REJECTED, manager, reason="Not safe")
    client.force_login(manager)
    page = client.get(f"/en/admin/fablab/booking/{booking.pk}/change/").content.decode()
    assert "Booking status changes" in page and "Not safe" in page
    assert 'name="status"' not in page
