"""Check-in, check-out and no-shows, with a frozen clock (time_machine): a confirmed booking not
checked in 15 minutes after its start becomes a no-show and frees its time; three in 60 days
suspend self-booking for 30 days; staff lift it; hours used count checked-in time."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from fablab import selectors, services
from fablab.models import Booking, BookingSuspension, TimeBlock

from .factories import BookingFactory, EquipmentFactory

TZ = datetime.timezone(datetime.timedelta(hours=5))  # Asia/Tashkent
NOW = datetime.datetime(2026, 12, 14, 10, 0, tzinfo=TZ)  # a Monday


def confirmed(machine, user, start, hours=2):
    return BookingFactory(
        equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=hours), status="confirmed"
    )


@pytest.mark.django_db
def test_not_checked_in_after_15_minutes_is_a_no_show_and_frees_the_slot(machine, user, other_user):
    booking = confirmed(machine, user, NOW)
    came = confirmed(EquipmentFactory(), other_user, NOW - datetime.timedelta(hours=1))
    services.booking_check_in(booking=came, by=None, now=NOW - datetime.timedelta(minutes=50))
    assert services.mark_no_shows(now=NOW + datetime.timedelta(minutes=14)) == 0
    assert services.mark_no_shows(now=NOW + datetime.timedelta(minutes=15)) == 1
    booking.refresh_from_db()
    came.refresh_from_db()
    assert (booking.status, came.status) == ("no_show", "confirmed")
    assert not TimeBlock.objects.filter(booking=booking).exists()  # the rest of the slot is free again
    assert TimeBlock.objects.filter(booking=came).exists()
    assert services.mark_no_shows(now=NOW + datetime.timedelta(hours=1)) == 0  # once


@pytest.mark.django_db
def test_the_freed_time_can_be_booked_again(machine, user, other_user):
    start = timezone.make_aware(datetime.datetime(2026, 12, 14, 10))
    confirmed(machine, user, start, hours=4)
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        services.mark_no_shows()
        later = services.booking_request(
            equipment=machine,
            user=other_user,
            start=start + datetime.timedelta(hours=3),
            end=start + datetime.timedelta(hours=4),
            purpose="Took the free hour",
        )
    assert later.status == "requested"


@pytest.mark.django_db
def test_three_no_shows_in_60_days_suspend_self_booking_for_30_days(machine, user, settings):
    settings.FABLAB_MIN_LEAD_HOURS = 0
    user.preferred_language = "en"  # the reason is stored in the person's language
    user.save(update_fields=["preferred_language"])
    starts = [NOW - datetime.timedelta(days=d) for d in (59, 30)] + [NOW]
    for start in starts:
        confirmed(machine, user, start)
    old = confirmed(machine, user, NOW - datetime.timedelta(days=100))  # outside every window below
    services.mark_no_shows(now=old.start + datetime.timedelta(minutes=20))
    services.mark_no_shows(now=starts[0] + datetime.timedelta(minutes=20))
    services.mark_no_shows(now=starts[1] + datetime.timedelta(minutes=20))
    assert not BookingSuspension.objects.exists()  # 3 no-shows, but never 3 within 60 days
    services.mark_no_shows(now=NOW + datetime.timedelta(minutes=20))
    suspension = BookingSuspension.objects.get()
    assert suspension.user == user
    assert suspension.ends_at - suspension.starts_at == datetime.timedelta(days=30)
    assert suspension.reason == "3 missed bookings in 60 days."

    tomorrow = NOW + datetime.timedelta(days=1)
    with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
        with pytest.raises(ValidationError) as caught:
            services.booking_request(
                equipment=machine, user=user, start=tomorrow, end=tomorrow + datetime.timedelta(hours=1), purpose="x"
            )
        assert [e.code for e in caught.value.error_list] == ["suspended"]
        assert "suspended until 13.01.2027" in caught.value.messages[0]
        services.suspension_lift(suspension=suspension, by=None)
        booking = services.booking_request(
            equipment=machine, user=user, start=tomorrow, end=tomorrow + datetime.timedelta(hours=1), purpose="x"
        )
    assert booking.status == "requested"


@pytest.mark.django_db
def test_suspension_ends_by_itself(machine, user):
    BookingSuspension.objects.create(user=user, starts_at=NOW, ends_at=NOW + datetime.timedelta(days=30))
    day = NOW + datetime.timedelta(days=31)
    with time_machine.travel(NOW + datetime.timedelta(days=30, seconds=1), tick=False):
        booking = services.booking_request(
            equipment=machine, user=user, start=day, end=day + datetime.timedelta(hours=1), purpose="x"
        )
    assert booking.status == "requested"


@pytest.mark.django_db
def test_check_in_and_out_rules(machine, user, manager):
    booking = confirmed(machine, user, NOW)
    with pytest.raises(ValidationError, match="30 minutes before"):
        services.booking_check_in(booking=booking, by=manager, now=NOW - datetime.timedelta(minutes=31))
    with pytest.raises(ValidationError, match="Only a checked-in booking"):
        services.booking_check_out(booking=booking, by=manager, now=NOW)
    services.booking_check_in(booking=booking, by=manager, now=NOW + datetime.timedelta(minutes=10))
    with pytest.raises(ValidationError, match="already checked in"):
        services.booking_check_in(booking=booking, by=manager, now=NOW + datetime.timedelta(minutes=11))
    services.booking_check_out(booking=booking, by=manager, now=NOW + datetime.timedelta(minutes=70))
    booking.refresh_from_db()
    assert (booking.status, booking.checked_in_by) == ("completed", manager)
    assert booking.checked_out_at - booking.checked_in_at == datetime.timedelta(hours=1)
    requested = BookingFactory(equipment=machine, user=user, start=NOW + datetime.timedelta(hours=3))
    with pytest.raises(ValidationError, match="Only a confirmed booking"):
        services.booking_check_in(booking=requested, by=manager, now=NOW + datetime.timedelta(hours=3))


@pytest.mark.django_db
def test_hours_used_count_checked_in_time(machine, user, other_user):
    checked = confirmed(machine, user, NOW, hours=2)  # came 30 min late, left 30 min early: 1 h
    services.booking_check_in(booking=checked, by=None, now=NOW + datetime.timedelta(minutes=30))
    services.booking_check_out(booking=checked, by=None, now=NOW + datetime.timedelta(minutes=90))
    still_in = confirmed(machine, other_user, NOW + datetime.timedelta(hours=2), hours=2)  # early, never out: 2 h
    services.booking_check_in(booking=still_in, by=None, now=NOW + datetime.timedelta(hours=1, minutes=45))
    legacy = confirmed(machine, user, NOW - datetime.timedelta(days=1), hours=3)  # completed by hand: 3 h
    Booking.objects.filter(pk=legacy.pk).update(status="completed")
    confirmed(machine, other_user, NOW - datetime.timedelta(days=2), hours=2)  # never came: 0 h
    total = Booking.objects.aggregate(used=Sum(selectors.used_duration()))["used"]
    assert total == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_staff_check_in_and_out_from_the_day_view(client, manager, machine, user):
    start = timezone.now() - datetime.timedelta(minutes=5)
    booking = confirmed(machine, user, start)
    client.force_login(manager)
    day_url = reverse("fablab:staff_day") + f"?date={timezone.localtime(start).date()}"
    assert f'data-testid="check-in-{booking.pk}"' in client.get(day_url).content.decode()
    decide = reverse("fablab:staff_decide", kwargs={"pk": booking.pk})
    html = client.post(decide, {"action": "check_in"}, follow=True).content.decode()
    assert "Checked in." in html
    assert f'data-testid="check-out-{booking.pk}"' in html
    html = client.post(decide, {"action": "check_out"}, follow=True).content.decode()
    booking.refresh_from_db()
    assert booking.status == "completed" and booking.checked_out_at is not None
    assert f'data-testid="checked-in-{booking.pk}"' in html


@pytest.mark.django_db
def test_check_in_needs_the_confirm_permission(client, user, machine):
    booking = confirmed(machine, user, timezone.now())
    client.force_login(user)
    response = client.post(reverse("fablab:staff_decide", kwargs={"pk": booking.pk}), {"action": "check_in"})
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.checked_in_at is None


@pytest.mark.django_db
def test_staff_lift_a_suspension_in_the_admin(client, manager, user):
    suspension = BookingSuspension.objects.create(user=user, ends_at=timezone.now() + datetime.timedelta(days=30))
    client.force_login(manager)
    response = client.post(
        reverse("admin:fablab_bookingsuspension_changelist"),
        {"action": "lift", "_selected_action": [suspension.pk]},
        follow=True,
    )
    assert "1 suspension(s) lifted." in response.content.decode()
    suspension.refresh_from_db()
    assert suspension.lifted_by == manager
    assert not BookingSuspension.objects.active().exists()
