import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from fablab import services
from fablab.models import Booking, Clearance, TimeBlock
from tests.factories import UserFactory

from .factories import BookingFactory, ClearanceFactory, EquipmentCategoryFactory, EquipmentFactory, slot


@pytest.mark.django_db
def test_booking_request_creates_requested_booking_and_blocks_time(machine, user):
    start, end = slot(hour=10, hours=2)
    booking = services.booking_request(equipment=machine, user=user, start=start, end=end, purpose="  Drone frame ")
    booking.refresh_from_db()
    assert (booking.status, booking.purpose, booking.start, booking.end) == ("requested", "Drone frame", start, end)
    assert booking.decided_by is None
    block = TimeBlock.objects.get()
    assert (block.kind, block.booking_id, block.start, block.end) == ("booking", booking.pk, start, end)


@pytest.mark.django_db
def test_booking_confirm_sets_decision_and_mails_in_the_persons_language(machine, manager, tasks):
    person = UserFactory(preferred_language="ru", email="aziz@example.uz")
    booking = BookingFactory(equipment=machine, user=person, start=slot(hour=10)[0])
    services.booking_confirm(booking=booking, by=manager)
    tasks()
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("confirmed", manager)
    assert booking.decided_at is not None
    assert len(mail.outbox) == 1
    day = timezone.localtime(booking.start).strftime("%d.%m.%Y")
    assert mail.outbox[0].to == ["aziz@example.uz"]
    assert mail.outbox[0].subject == f"Бронирование FabLab подтверждено: Prusa MK4, {day}"
    with pytest.raises(ValidationError, match="Only a requested booking can be confirmed."):
        services.booking_confirm(booking=booking, by=manager)


@pytest.mark.django_db
def test_booking_reject_frees_the_slot_and_mails(machine, manager, user, other_user, tasks):
    user.preferred_language = "en"
    user.save()
    start, end = slot(hour=11)
    booking = BookingFactory(equipment=machine, user=user, start=start, end=end)
    services.booking_reject(booking=booking, by=manager, note="The machine is reserved for a class.")
    tasks()
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by, booking.decision_note) == (
        "rejected",
        manager,
        "The machine is reserved for a class.",
    )
    assert TimeBlock.objects.count() == 0
    assert mail.outbox[0].subject.startswith("FabLab booking not confirmed: Prusa MK4")
    assert "The machine is reserved for a class." in mail.outbox[0].body
    again = services.booking_request(equipment=machine, user=other_user, start=start, end=end, purpose="x")
    assert again.status == "requested"


@pytest.mark.django_db
def test_booking_cancel_by_owner_before_start(machine, user, tasks):
    booking = BookingFactory(equipment=machine, user=user, status=Booking.Status.CONFIRMED)
    services.booking_cancel(booking=booking, by=user)
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("cancelled", None)
    assert TimeBlock.objects.count() == 0
    assert tasks() == 0  # the person's own cancellation is shown on the page, not mailed
    assert len(mail.outbox) == 0
    with pytest.raises(ValidationError, match="This booking is no longer active."):
        services.booking_cancel(booking=booking, by=user)


@pytest.mark.django_db
def test_booking_cancel_refused_after_start(machine, user):
    start = timezone.now() - datetime.timedelta(minutes=30)
    booking = BookingFactory(equipment=machine, user=user, start=start, status=Booking.Status.CONFIRMED)
    with pytest.raises(ValidationError, match="A booking can only be cancelled before it starts."):
        services.booking_cancel(booking=booking, by=user)
    assert Booking.objects.get().status == "confirmed"


@pytest.mark.django_db
def test_booking_complete(machine, user, manager):
    start = timezone.now() - datetime.timedelta(hours=3)
    booking = BookingFactory(equipment=machine, user=user, start=start, status=Booking.Status.CONFIRMED)
    services.booking_complete(booking=booking, by=manager)
    assert Booking.objects.get().status == "completed"
    assert TimeBlock.objects.get().booking_id == booking.pk
    future = BookingFactory(equipment=machine, user=user, status=Booking.Status.CONFIRMED)
    with pytest.raises(ValidationError, match="A booking cannot be completed before it starts."):
        services.booking_complete(booking=future, by=manager)


@pytest.mark.django_db
def test_maintenance_over_a_booking_is_refused_unless_cancelled(machine, user, tasks):
    start, end = slot(hour=10)
    booking = BookingFactory(equipment=machine, user=user, start=start, end=end)
    with pytest.raises(ValidationError, match="1 active booking"):
        services.maintenance_schedule(equipment=machine, start=start, end=end, reason="Belt")
    window = services.maintenance_schedule(
        equipment=machine, start=start, end=end, reason="Belt", cancel_conflicting=True
    )
    tasks()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert TimeBlock.objects.get().maintenance_id == window.pk
    assert len(mail.outbox) == 1


# --- Clearances -------------------------------------------------------------------------------


@pytest.fixture
def laser(db):
    return EquipmentFactory(name="Trotec Speedy 400", requires_clearance=True)


CLEARANCE_MESSAGE = "needs a valid safety clearance"


@pytest.mark.django_db
def test_machine_needing_clearance_refused_without_one(laser, user):
    start, end = slot(hour=10)
    with pytest.raises(ValidationError, match=CLEARANCE_MESSAGE):
        services.booking_request(equipment=laser, user=user, start=start, end=end, purpose="x")
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_valid_clearance_allows_booking(laser, user, manager):
    services.clearance_grant(
        user=user, category=laser.category, expires_on=timezone.localdate() + datetime.timedelta(days=30), by=manager
    )
    start, end = slot(hour=10)
    assert services.booking_request(equipment=laser, user=user, start=start, end=end, purpose="x").status == "requested"


@pytest.mark.django_db
def test_clearance_expiring_before_the_booking_day_is_not_enough(laser, user):
    ClearanceFactory(user=user, category=laser.category, expires_on=timezone.localdate() + datetime.timedelta(days=2))
    start, end = slot(days=3, hour=10)
    with pytest.raises(ValidationError, match=CLEARANCE_MESSAGE):
        services.booking_request(equipment=laser, user=user, start=start, end=end, purpose="x")


@pytest.mark.django_db
def test_revoked_or_other_category_clearance_is_not_enough(laser, user, manager):
    clearance = ClearanceFactory(user=user, category=laser.category)
    ClearanceFactory(user=user, category=EquipmentCategoryFactory())
    services.clearance_revoke(clearance=clearance, by=manager)
    start, end = slot(hour=10)
    with pytest.raises(ValidationError, match=CLEARANCE_MESSAGE):
        services.booking_request(equipment=laser, user=user, start=start, end=end, purpose="x")
    with pytest.raises(ValidationError, match="This clearance is already revoked."):
        services.clearance_revoke(clearance=clearance, by=manager)


@pytest.mark.django_db
def test_clearance_grant_extends_the_active_clearance(user, manager):
    category = EquipmentCategoryFactory()
    first = services.clearance_grant(user=user, category=category, expires_on=datetime.date(2027, 1, 31), by=manager)
    second = services.clearance_grant(user=user, category=category, expires_on=datetime.date(2027, 12, 31), by=manager)
    assert first.pk == second.pk
    assert list(Clearance.objects.values_list("expires_on", flat=True)) == [datetime.date(2027, 12, 31)]
    assert list(Clearance.objects.valid(on=datetime.date(2027, 12, 31))) == [second]
    assert list(Clearance.objects.valid(on=datetime.date(2028, 1, 1))) == []
    with pytest.raises(ValidationError, match="The expiry date cannot be in the past."):
        services.clearance_grant(user=user, category=category, expires_on=datetime.date(2020, 1, 1), by=manager)


# --- Rescheduling maintenance ------------------------------------------------------------------


def _window(machine, days=5, hour=9, hours=2, reason="Belt replacement"):
    start, end = slot(days=days, hour=hour, hours=hours)
    return services.maintenance_schedule(equipment=machine, start=start, end=end, reason=reason)


@pytest.mark.django_db
def test_maintenance_reschedule_moves_the_window_and_its_block(machine, manager):
    window = _window(machine)
    start, end = slot(days=6, hour=13, hours=3)
    services.maintenance_reschedule(window=window, start=start, end=end, reason="Belt and pulleys", by=manager)
    window.refresh_from_db()
    assert (window.start, window.end, window.reason) == (start, end, "Belt and pulleys")
    block = TimeBlock.objects.get()
    assert (block.maintenance_id, block.start, block.end) == (window.pk, start, end)
    # The old time is free again: a booking there is accepted.
    old_start, old_end = slot(days=5, hour=9, hours=2)
    services.booking_request(equipment=machine, user=manager, start=old_start, end=old_end, purpose="Test print")
    # Lengthening over its own old time is no clash with itself.
    services.maintenance_reschedule(window=window, start=start - datetime.timedelta(hours=1), end=end, by=manager)
    assert TimeBlock.objects.get(maintenance=window).start == start - datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_maintenance_reschedule_explains_a_clash_and_changes_nothing(machine, manager, user):
    window = _window(machine)
    other = _window(machine, days=6, hour=9, hours=3, reason="Calibration")
    done_start, done_end = slot(days=-3, hour=14, hours=2)
    BookingFactory(equipment=machine, user=user, start=done_start, end=done_end, status="completed")
    local = timezone.localtime

    with pytest.raises(ValidationError) as excinfo:
        services.maintenance_reschedule(window=window, start=other.start + datetime.timedelta(hours=1), end=other.end)
    assert excinfo.value.messages == [
        "This window overlaps time already taken on this machine: maintenance "
        f"{local(other.start):%d.%m.%Y} 09:00–12:00. Choose another time."
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.maintenance_reschedule(window=window, start=done_start, end=done_end)
    assert excinfo.value.messages == [
        "This window overlaps time already taken on this machine: a completed booking "
        f"{local(done_start):%d.%m.%Y} 14:00–16:00. Choose another time."
    ]
    with pytest.raises(ValidationError, match="The end must be after the start."):
        services.maintenance_reschedule(window=window, start=window.end, end=window.start)
    window.refresh_from_db()
    assert (window.start, window.end) == slot(days=5, hour=9, hours=2)
    assert sorted(TimeBlock.objects.values_list("start", flat=True)) == sorted([window.start, other.start, done_start])


@pytest.mark.django_db
def test_maintenance_reschedule_over_an_active_booking_needs_consent(machine, manager, user, tasks):
    window = _window(machine)
    start, end = slot(days=7, hour=10, hours=2)
    booking = BookingFactory(equipment=machine, user=user, start=start, end=end, status="confirmed")
    with pytest.raises(ValidationError) as excinfo:
        services.maintenance_reschedule(window=window, start=start, end=end + datetime.timedelta(hours=1), by=manager)
    assert excinfo.value.messages[0].startswith(
        f"1 active booking(s) overlap this window ({timezone.localtime(start):%d.%m.%Y} 10:00–12:00); cancel them"
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    services.maintenance_reschedule(
        window=window, start=start, end=end + datetime.timedelta(hours=1), by=manager, cancel_conflicting=True
    )
    tasks()
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("cancelled", manager)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert TimeBlock.objects.get().maintenance_id == window.pk


# --- Completing bookings -----------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_complete_past_marks_only_ended_confirmed_bookings(machine, user):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    ended = BookingFactory(equipment=machine, user=user, start=now - 3 * hour, end=now - hour, status="confirmed")
    running = BookingFactory(equipment=machine, user=user, start=now - hour / 2, end=now + hour, status="confirmed")
    future = BookingFactory(equipment=machine, user=user, start=now + 5 * hour, end=now + 6 * hour, status="confirmed")
    unanswered = BookingFactory(
        equipment=machine, user=user, start=now - 6 * hour, end=now - 5 * hour, status="requested"
    )
    assert services.booking_complete_past() == 1
    assert dict(Booking.objects.values_list("pk", "status")) == {
        ended.pk: "completed",
        running.pk: "confirmed",
        future.pk: "confirmed",
        unanswered.pk: "requested",
    }
    assert TimeBlock.objects.filter(booking=ended).exists()  # its time was used: it stays blocked
    assert services.booking_complete_past() == 0
    # Later the running booking has ended too.
    assert services.booking_complete_past(now=now + 2 * hour) == 1
    assert Booking.objects.get(pk=running.pk).status == "completed"


@pytest.mark.django_db
def test_complete_bookings_command(machine, user):
    from io import StringIO

    from django.core.management import call_command

    now = timezone.now()
    for days in (1, 2):
        BookingFactory(
            equipment=machine,
            user=user,
            start=now - datetime.timedelta(days=days, hours=2),
            end=now - datetime.timedelta(days=days),
            status="confirmed",
        )
    out = StringIO()
    call_command("fablab_complete_bookings", stdout=out)
    assert out.getvalue().strip() == "fablab: 2 booking(s) marked completed"
    assert list(Booking.objects.values_list("status", flat=True)) == ["completed", "completed"]
