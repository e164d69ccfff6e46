import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import translation

from fablab import services
from fablab.models import Booking, TimeBlock
from tests.factories import UserFactory

from .factories import BookingFactory, EquipmentFactory, slot


@pytest.mark.django_db
def test_overlapping_active_booking_is_refused_by_the_database(machine, user, other_user):
    start, end = slot(hour=10, hours=2)
    Booking.objects.create(equipment=machine, user=user, start=start, end=end, purpose="a")
    with pytest.raises(IntegrityError, match="fablab_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            equipment=machine, user=other_user, start=start + datetime.timedelta(hours=1), end=end, purpose="b"
        )
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_back_to_back_bookings_are_allowed(machine, user, other_user):
    start, end = slot(hour=10)
    Booking.objects.create(equipment=machine, user=user, start=start, end=end, purpose="a")
    Booking.objects.create(
        equipment=machine, user=other_user, start=end, end=end + datetime.timedelta(hours=1), purpose="b"
    )
    assert Booking.objects.filter(equipment=machine).count() == 2


@pytest.mark.django_db
def test_cancelled_booking_frees_the_slot_and_other_machines_are_independent(machine, user, other_user):
    start, end = slot(hour=10)
    Booking.objects.create(
        equipment=machine, user=user, start=start, end=end, purpose="a", status=Booking.Status.CANCELLED
    )
    Booking.objects.create(equipment=machine, user=other_user, start=start, end=end, purpose="b")
    Booking.objects.create(equipment=EquipmentFactory(), user=user, start=start, end=end, purpose="c")
    assert Booking.objects.count() == 3


@pytest.mark.django_db
def test_end_before_start_is_refused_by_the_database(machine, user):
    start, end = slot(hour=10)
    with pytest.raises(IntegrityError, match="fablab_booking_end_after_start"), transaction.atomic():
        Booking.objects.create(equipment=machine, user=user, start=end, end=start, purpose="a")


@pytest.mark.django_db
def test_booking_overlapping_maintenance_is_refused_by_the_database(machine, user):
    start, end = slot(hour=9, hours=4)
    services.maintenance_schedule(equipment=machine, start=start, end=end, reason="Nozzle replacement")
    booking = Booking.objects.create(
        equipment=machine, user=user, start=end - datetime.timedelta(hours=1), end=end, purpose="a"
    )
    with pytest.raises(IntegrityError, match="fablab_block_no_overlap"), transaction.atomic():
        TimeBlock.objects.create(
            equipment=machine, start=booking.start, end=booking.end, kind=TimeBlock.Kind.BOOKING, booking=booking
        )
    # Right after the window is fine: half-open ranges.
    later = BookingFactory(equipment=machine, start=end, end=end + datetime.timedelta(hours=1))
    assert later.block.kind == "booking"


@pytest.mark.django_db
def test_service_refuses_booking_over_maintenance_with_message(machine, user):
    start, end = slot(hour=9, hours=4)
    services.maintenance_schedule(equipment=machine, start=start, end=end, reason="Calibration")
    with pytest.raises(ValidationError) as info:
        services.booking_request(
            equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=1), purpose="x"
        )
    assert info.value.messages == [
        "This time overlaps another booking or maintenance of this machine. Choose another time."
    ]
    assert Booking.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_threads_booking_the_same_slot_leave_exactly_one_booking():
    machine = EquipmentFactory()
    people = UserFactory.create_batch(20)
    start, end = slot(days=4, hour=14, hours=2)
    barrier = threading.Barrier(len(people))
    outcomes = []
    refused_by = {"database": 0, "check": 0}
    lock = threading.Lock()

    def book(person):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                services.booking_request(equipment=machine, user=person, start=start, end=end, purpose="race")
            result = "booked"
        except ValidationError as exc:
            result = exc.messages[0]
            # Refused by the database (the race slipped past the courtesy check) or by the check.
            with lock:
                refused_by["database" if isinstance(exc.__cause__, IntegrityError) else "check"] += 1
        except Exception as exc:  # recorded so that the assertion below shows it
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 20
    assert sorted(set(outcomes)) == [
        "This time overlaps another booking or maintenance of this machine. Choose another time.",
        "booked",
    ]
    assert outcomes.count("booked") == 1
    assert (
        outcomes.count("This time overlaps another booking or maintenance of this machine. Choose another time.") == 19
    )
    assert Booking.objects.filter(equipment=machine).count() == 1
    assert TimeBlock.objects.filter(equipment=machine).count() == 1
    assert refused_by["database"] + refused_by["check"] == 19
    print(
        f"concurrency: 1 booked, refused by the database {refused_by['database']}, by the check {refused_by['check']}"
    )
