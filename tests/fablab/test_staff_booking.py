"""A FabLab manager books for a person (issue 11, item 4: no-shows suspend *self*-booking, so the
suspension message's "the staff can still book for you" must be true): found by exact e-mail,
confirmed at once, the person told once; the hours, clearance and overlap rules still apply, the
lead time and the suspension do not; only FabLab managers may."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fablab import services
from fablab.models import Booking, BookingSuspension, TimeBlock
from technopark.roles import EDITOR
from tests.conftest import make_staff
from tests.factories import UserFactory

from .conftest import set_week_hours
from .factories import ClearanceFactory, EquipmentFactory, weekday_days_ahead

URL = "fablab:staff_book"


def _day():
    return timezone.localdate() + datetime.timedelta(days=weekday_days_ahead())


def _data(machine, person, day, start="10:00", end="12:00", purpose="A gearbox housing"):
    return {
        "email": person.email.upper(),  # the address as typed: case does not matter
        "equipment": machine.pk,
        "day": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "purpose": purpose,
    }


@pytest.fixture
def suspended(db):
    person = UserFactory(full_name="Jasur Tursunov", preferred_language="en")
    BookingSuspension.objects.create(user=person, ends_at=timezone.now() + datetime.timedelta(days=30))
    return person


@pytest.mark.django_db
def test_a_manager_books_for_a_suspended_person_who_is_told_once(client, manager, machine, suspended, tasks):
    day = _day()
    with pytest.raises(ValidationError) as caught:  # the person cannot book themselves
        services.booking_request(equipment=machine, user=suspended, start=_at(day, 10), end=_at(day, 12), purpose="x")
    assert [e.code for e in caught.value.error_list] == ["suspended"]

    client.force_login(manager)
    page = client.get(reverse(URL) + f"?date={day}").content.decode()
    assert f'value="{day.isoformat()}"' in page and 'data-testid="submit-staff-booking"' in page
    response = client.post(reverse(URL), _data(machine, suspended, day), follow=True)
    html = response.content.decode()
    assert f"Prusa MK4 is booked for Jasur Tursunov on {day:%d.%m.%Y} at 10:00 and confirmed" in html
    assert response.redirect_chain[-1][0] == reverse("fablab:staff_day") + f"?date={day.isoformat()}"
    booking = Booking.objects.get()
    assert (booking.user, booking.status, booking.decided_by) == (suspended, "confirmed", manager)
    assert (booking.start, booking.end) == (_at(day, 10), _at(day, 12))
    assert TimeBlock.objects.filter(booking=booking).exists()
    history = list(booking.history.order_by("at", "pk").values_list("from_status", "to_status", "actor", "reason"))
    assert history == [
        ("", "requested", manager.pk, "Booked by the FabLab staff."),
        ("requested", "confirmed", manager.pk, ""),
    ]
    tasks()
    [message] = [m for m in mail.outbox if m.to == [suspended.email]]  # confirmed, not "requested"
    assert message.subject == f"FabLab booking confirmed: Prusa MK4, {day:%d.%m.%Y}"
    assert [a[0] for a in message.attachments] == [f"fablab-booking-{booking.pk}.ics"]


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.django_db
def test_the_rules_still_apply_and_bad_input_saves_nothing(client, manager, machine, suspended):
    client.force_login(manager)
    day = _day()
    set_week_hours({d: (9, 18) for d in range(6)})  # Sunday closed
    sunday = day + datetime.timedelta(days=(6 - day.weekday()))
    laser = EquipmentFactory(slug="laser", requires_clearance=True)
    cases = [
        (_data(machine, suspended, sunday), "The FabLab is closed on"),
        (_data(machine, suspended, day, "17:00", "19:00"), "the FabLab is open from 9:00 to 18:00"),
        (_data(laser, suspended, day), "needs a valid safety clearance"),
        (_data(machine, suspended, day, purpose="   "), "This field is required."),
        ({**_data(machine, suspended, day), "email": "nobody@example.com"}, "No one has signed up with this e-mail"),
        ({**_data(machine, suspended, day), "equipment": "99999"}, "Select a valid choice"),
        ({**_data(machine, suspended, day), "day": "03.12.2026x"}, "Enter a valid date."),
    ]
    for data, message in cases:
        response = client.post(reverse(URL), data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert Booking.objects.count() == 0
    # The machine's time is taken: the overlap rule.
    services.booking_for_person(
        equipment=machine, user=UserFactory(), start=_at(day, 10), end=_at(day, 11), purpose="x", by=manager
    )
    response = client.post(reverse(URL), _data(machine, suspended, day))
    assert "overlaps another booking" in response.content.decode()
    ClearanceFactory(user=suspended, category=laser.category)
    client.post(reverse(URL), _data(laser, suspended, day))
    assert Booking.objects.filter(user=suspended, equipment=laser, status="confirmed").count() == 1


@pytest.mark.django_db
def test_the_lead_time_is_the_persons_not_the_desks(machine, user, manager):
    monday_ten = timezone.make_aware(datetime.datetime(2026, 12, 14, 10))
    with time_machine.travel(monday_ten, tick=False):
        start = monday_ten + datetime.timedelta(minutes=30)
        with pytest.raises(ValidationError, match="at least 2 hours ahead"):
            services.booking_request(
                equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=1), purpose="x"
            )
        booking = services.booking_for_person(
            equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=1), purpose="x", by=manager
        )
        assert booking.status == "confirmed"
        with pytest.raises(ValidationError, match="in the past"):
            past = monday_ten - datetime.timedelta(hours=1)
            services.booking_for_person(
                equipment=machine, user=user, start=past, end=monday_ten, purpose="x", by=manager
            )


@pytest.mark.django_db
def test_only_fablab_managers_book_for_others(client, machine, user, other_user):
    day = _day()
    with pytest.raises(ValidationError, match="Only a FabLab manager"):
        services.booking_for_person(
            equipment=machine, user=other_user, start=_at(day, 10), end=_at(day, 11), purpose="x", by=user
        )
    for person in (user, make_staff(EDITOR)):
        client.force_login(person)
        assert client.get(reverse(URL)).status_code == 403
        assert client.post(reverse(URL), _data(machine, other_user, day)).status_code == 403
        assert 'data-testid="staff-book-link"' not in client.get(reverse("fablab:index")).content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_the_day_view_and_the_nav_link_to_it(client, manager):
    client.force_login(manager)
    day = _day()
    html = client.get(reverse("fablab:staff_day") + f"?date={day}").content.decode()
    assert f'href="{reverse(URL)}?date={day.isoformat()}" data-testid="staff-book"' in html
    assert 'data-testid="staff-book-link"' in html
    assert "Odam uchun bron qilish" in client.get("/fablab/staff/book/").content.decode()
    assert "Забронировать и подтвердить" in client.get("/ru/fablab/staff/book/").content.decode()
