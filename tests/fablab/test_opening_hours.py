"""Opening hours as data: the weekly schedule and its exceptions (holidays, closed days, special
hours) decide what the calendar offers, what the service accepts and what the database accepts;
changing them lists the bookings they no longer cover instead of breaking them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from fablab import hours, selectors, services
from fablab.models import Booking, OpeningException, TimeBlock, WeeklyHours
from tests.factories import UserFactory

from .conftest import set_week_hours

MON_SAT = {d: (9, 18) for d in range(6)}  # the demo week: Sunday closed


def next_weekday(weekday: int, at_least: int = 3) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=at_least)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def holiday(day, name="Navruz", **extra):
    return OpeningException.objects.create(date=day, kind="holiday", name=name, name_en=name, **extra)


def request_booking(machine, user, start, end):
    return services.booking_request(equipment=machine, user=user, start=start, end=end, purpose="A bracket")


# --- Reading the hours ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_exception_outranks_the_weekday_and_a_missing_row_is_closed():
    set_week_hours(MON_SAT)
    tuesday, wednesday, sunday = next_weekday(1), next_weekday(2), next_weekday(6)
    holiday(tuesday)
    OpeningException.objects.create(
        date=wednesday, kind="hours", name="Short day", opens=datetime.time(9), closes=datetime.time(14)
    )
    WeeklyHours.objects.filter(weekday=3).delete()
    thursday = next_weekday(3)
    table = hours.hours_for([tuesday, wednesday, sunday, thursday, next_weekday(4)])
    assert (table[tuesday].is_open, table[tuesday].note) == (False, "Navruz")
    assert (table[wednesday].span, table[wednesday].note) == ("9:00–14:00", "Short day")
    assert not table[sunday].is_open
    assert not table[thursday].is_open
    assert table[next_weekday(4)].span == "9:00–18:00"


@pytest.mark.django_db
def test_weekly_summary_groups_days_with_the_same_hours():
    set_week_hours({**MON_SAT, 5: (10, 15)})
    assert hours.weekly_summary() == [
        {"days": "Monday–Friday", "span": "9:00–18:00"},
        {"days": "Saturday", "span": "10:00–15:00"},
        {"days": "Sunday", "span": ""},
    ]


# --- The service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_service_refuses_a_closed_day_a_holiday_and_after_a_shortened_close(machine, user):
    set_week_hours(MON_SAT)
    sunday, tuesday, wednesday = next_weekday(6), next_weekday(1), next_weekday(2)
    holiday(tuesday, name="Independence Day")
    OpeningException.objects.create(
        date=wednesday, kind="hours", name="Short day", opens=datetime.time(9), closes=datetime.time(14)
    )
    cases = [
        (at(sunday, 10), at(sunday, 11), "closed on", "(Sunday)"),
        (at(tuesday, 10), at(tuesday, 11), "closed on", "(Independence Day)"),
        (at(wednesday, 13), at(wednesday, 15), "open from 9:00 to 14:00", ""),
    ]
    for start, end, words, reason in cases:
        with pytest.raises(ValidationError) as caught:
            request_booking(machine, user, start, end)
        assert [e.code for e in caught.value.error_list] == ["hours"]
        assert words in caught.value.messages[0] and reason in caught.value.messages[0]
    assert request_booking(machine, user, at(wednesday, 12), at(wednesday, 14)).status == "requested"
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_refusal_is_in_the_persons_language(machine, user):
    set_week_hours(MON_SAT)
    sunday = next_weekday(6)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        request_booking(machine, user, at(sunday, 10), at(sunday, 11))
    assert "FabLab закрыт" in caught.value.messages[0]
    assert "воскресенье" in caught.value.messages[0].lower()
    with translation.override("uz"), pytest.raises(ValidationError) as caught:
        request_booking(machine, user, at(sunday, 10), at(sunday, 11))
    assert "yopiq" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_race_with_a_change_of_hours_ends_in_the_databases_refusal_with_a_message(machine, user, monkeypatch):
    """The courtesy check passed (the hours were still open); the trigger decides."""
    set_week_hours(MON_SAT)
    sunday = next_weekday(6)
    monkeypatch.setattr(services, "booking_rule_errors", lambda **kwargs: [])
    with pytest.raises(ValidationError) as caught:
        request_booking(machine, user, at(sunday, 10), at(sunday, 11))
    assert caught.value.error_list[0].code == "hours"
    assert "closed on" in caught.value.messages[0]
    assert Booking.objects.count() == TimeBlock.objects.count() == 0


@pytest.mark.django_db
def test_confirming_a_request_the_hours_no_longer_cover_is_refused(machine, user, manager):
    saturday = next_weekday(5)
    booking = request_booking(machine, user, at(saturday, 10), at(saturday, 11))
    set_week_hours({d: (9, 18) for d in range(5)})  # Saturdays closed from now on
    with pytest.raises(ValidationError) as caught:
        services.booking_confirm(booking=booking, by=manager)
    assert "outside the opening hours now" in caught.value.messages[0]
    services.booking_reject(booking=booking, by=manager)  # rejecting it still works
    booking.refresh_from_db()
    assert booking.status == "rejected"


# --- The database --------------------------------------------------------------------------------


def _insert(machine, user, start, end, status="requested"):
    with transaction.atomic():
        return Booking.objects.create(equipment=machine, user=user, start=start, end=end, purpose="x", status=status)


@pytest.mark.django_db
def test_database_refuses_a_new_request_outside_the_hours(machine, user):
    set_week_hours(MON_SAT)
    sunday, monday = next_weekday(6), next_weekday(0)
    holiday(monday)
    tuesday = next_weekday(1)
    for start, end in [
        (at(sunday, 10), at(sunday, 11)),  # closed weekday
        (at(monday, 10), at(monday, 11)),  # holiday
        (at(tuesday, 8), at(tuesday, 10)),  # before opening
        (at(tuesday, 17), at(tuesday, 19)),  # after closing
        (at(tuesday, 17), at(tuesday + datetime.timedelta(days=1), 10)),  # over two days
    ]:
        with pytest.raises(IntegrityError, match="fablab_booking_within_opening_hours|outside the opening hours"):
            _insert(machine, user, start, end)
    assert _insert(machine, user, at(tuesday, 9), at(tuesday, 18)).pk
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_database_lets_existing_bookings_live_when_the_hours_change(machine, user, manager):
    """Changing the hours breaks nothing: status changes pass, only moving a booking is checked."""
    saturday = next_weekday(5)
    booking = request_booking(machine, user, at(saturday, 10), at(saturday, 11))
    other = request_booking(machine, user, at(saturday, 12), at(saturday, 13))
    set_week_hours({d: (9, 18) for d in range(5)})
    Booking.objects.filter(pk=booking.pk).update(status="confirmed")  # a plain UPDATE of the status
    services.booking_cancel_by_staff(booking=other, by=manager)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(start=at(saturday, 11), end=at(saturday, 12))
    with pytest.raises(IntegrityError), transaction.atomic():  # re-activating it is a new claim
        Booking.objects.filter(pk=other.pk).update(status="requested")


@pytest.mark.django_db
def test_database_does_not_check_the_past_or_history(machine, user):
    """Completed or cancelled rows (history, the seed) and time already over are not checked."""
    set_week_hours(MON_SAT)
    last_sunday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 1)
    _insert(machine, user, at(last_sunday, 10), at(last_sunday, 11), status="completed")
    _insert(machine, user, at(last_sunday, 12), at(last_sunday, 13), status="requested")
    sunday = next_weekday(6)
    _insert(machine, user, at(sunday, 10), at(sunday, 11), status="cancelled")
    assert Booking.objects.count() == 3


@pytest.mark.django_db
def test_database_checks_the_times_of_an_exception():
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(date=datetime.date(2027, 3, 21), kind="holiday", name="x", opens="09:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningException.objects.create(
            date=datetime.date(2027, 3, 22), kind="hours", name="x", opens="14:00", closes="09:00"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.filter(weekday=0).update(opens=datetime.time(10), closes=None)


# --- The calendar and the form ---------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_closes_sundays_holidays_and_hours_after_a_shortened_close(client, machine):
    set_week_hours({**MON_SAT, 5: (10, 19)})
    monday = selectors.week_start(timezone.localdate()) + datetime.timedelta(days=7)
    holiday(monday + datetime.timedelta(days=1), name="Teachers' Day")
    OpeningException.objects.create(
        date=monday + datetime.timedelta(days=2),
        kind="hours",
        name="Short day",
        opens=datetime.time(9),
        closes=datetime.time(13, 30),
    )
    response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={monday}")
    rows = response.context["rows"]
    assert [row.hour for row in rows] == list(range(9, 19))  # 9:00 (weekdays) to 19:00 (Saturday)

    def free_hours(offset):
        return [s.hour for row in rows for s in row.slots if s.day == monday + datetime.timedelta(days=offset)
                and s.state == "free"]  # fmt: skip

    assert free_hours(0) == list(range(9, 18))
    assert free_hours(1) == []  # the holiday
    assert free_hours(2) == [9, 10, 11, 12]  # 13:00–14:00 would pass 13:30
    assert free_hours(5) == list(range(10, 19))
    assert free_hours(6) == []  # Sunday
    html = response.content.decode()
    assert html.count('data-testid="closed-day"') == 2
    assert 'title="Teachers&#x27; Day"' in html


@pytest.mark.django_db
def test_calendar_of_a_closed_week_says_so(client, machine):
    set_week_hours({})
    response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}))
    assert response.context["rows"] == []
    assert 'data-testid="week-closed"' in response.content.decode()


@pytest.mark.django_db
def test_booking_form_shows_the_hours_and_coming_holidays(client, user, machine):
    set_week_hours(MON_SAT)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    OpeningException.objects.create(
        date=soon, kind="holiday", name="Navroʻz", name_uz="Navroʻz", name_ru="Навруз", name_en="Navruz"
    )
    client.force_login(user)
    html = client.get(reverse("fablab:booking_create", kwargs={"slug": machine.slug})).content.decode()
    assert "Monday–Saturday: 9:00–18:00" in html
    assert "Sunday: closed" in html
    assert f"{soon:%d.%m.%Y}" in html and "Navruz: closed" in html
    with translation.override("ru"):
        url = reverse("fablab:booking_create", kwargs={"slug": machine.slug})
    html = client.get(url).content.decode()
    assert "Понедельник–Суббота: 9:00–18:00" in html
    assert "Навруз: закрыто" in html


@pytest.mark.django_db
def test_about_page_shows_the_hours_from_the_data(client, django_capture_on_commit_callbacks):
    """Also for anonymous visitors served from the page cache: the page depends on fablab's data."""
    set_week_hours(MON_SAT)
    assert "Monday–Saturday: 9:00–18:00" in client.get("/en/about/").content.decode()
    assert client.get("/en/about/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # as the admin saves it
        set_week_hours({d: (10, 17) for d in range(5)})
    html = client.get("/en/about/").content.decode()
    assert "Monday–Friday: 10:00–17:00" in html
    assert "Saturday–Sunday: closed" in html


# --- Staff: bookings the hours no longer cover ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_staff_page_lists_the_bookings_outside_the_new_hours(
    client, manager, machine, count, django_assert_num_queries
):
    saturday, friday = next_weekday(5), next_weekday(4)
    outside = [
        request_booking(
            machine, UserFactory(full_name=f"Person {i}"), at(saturday, 9 + 2 * i), at(saturday, 10 + 2 * i)
        )
        for i in range(count)
    ]
    inside = request_booking(machine, UserFactory(full_name="Friday person"), at(friday, 10), at(friday, 11))
    client.force_login(manager)
    url = reverse("fablab:staff_outside_hours")
    assert 'data-testid="none-outside"' in client.get(url).content.decode()
    set_week_hours({d: (9, 18) for d in range(5)})  # Saturday closed from now on
    # session, user, permissions (2), bookings (joined), weekly hours, exceptions, SAVEPOINT/RELEASE
    # (+1: the personal-data access record, security.audit, on the request's connection)
    with django_assert_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert [row["booking"].pk for row in response.context["rows"]] == [b.pk for b in outside]
    assert html.count('data-testid="outside-booking"') == count
    assert "Person 0" in html and "Friday person" not in html
    assert inside.status == "requested"  # nothing was cancelled by itself
    assert Booking.objects.filter(status="requested").count() == count + 1


@pytest.mark.django_db
def test_staff_cancel_a_confirmed_booking_outside_the_hours(
    client, manager, machine, user, django_capture_on_commit_callbacks
):
    saturday = next_weekday(5)
    booking = request_booking(machine, user, at(saturday, 10), at(saturday, 11))
    services.booking_confirm(booking=booking, by=manager)
    set_week_hours({d: (9, 18) for d in range(5)})
    client.force_login(manager)
    url = reverse("fablab:staff_outside_hours")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("fablab:staff_decide", kwargs={"pk": booking.pk}), {"action": "cancel", "next": url}, follow=True
        )
    assert response.redirect_chain[-1][0] == url
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert 'data-testid="none-outside"' in response.content.decode()


@pytest.mark.django_db
def test_staff_page_needs_the_permission(client, user):
    client.force_login(user)
    assert client.get(reverse("fablab:staff_outside_hours")).status_code == 403


@pytest.mark.django_db
def test_admin_change_of_hours_warns_about_the_bookings_it_leaves_out(client, manager, machine, user):
    saturday = next_weekday(5)
    request_booking(machine, user, at(saturday, 10), at(saturday, 11))
    saturday_row = WeeklyHours.objects.get(weekday=5)
    client.force_login(manager)
    response = client.post(
        reverse("admin:fablab_weeklyhours_change", args=[saturday_row.pk]),
        {"opens": "", "closes": ""},
        follow=True,
    )
    saturday_row.refresh_from_db()
    assert saturday_row.opens is None
    html = response.content.decode()
    assert "1 requested or confirmed booking is now outside the opening hours." in html
    assert reverse("fablab:staff_outside_hours") in html
    assert Booking.objects.get().status == "requested"


@pytest.mark.django_db
def test_admin_explains_bad_times(client, manager):
    client.force_login(manager)
    row = WeeklyHours.objects.get(weekday=0)
    response = client.post(
        reverse("admin:fablab_weeklyhours_change", args=[row.pk]), {"opens": "18:00", "closes": "9:00"}
    )
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    response = client.post(
        reverse("admin:fablab_openingexception_add"),
        {
            "date": "21.03.2027",
            "kind": "hours",
            "name_uz": "Navroʻz",
            "name_ru": "",
            "name_en": "",
            "opens": "",
            "closes": "",
        },
    )
    assert "Give the opening and the closing time of this day." in response.content.decode()
    assert OpeningException.objects.count() == 0


# --- Demo data -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_week_and_holidays():
    from fablab import seed

    WeeklyHours.objects.all().delete()
    assert seed.seed_opening_hours() == 11
    assert seed.seed_opening_hours() == 0  # idempotent
    assert hours.weekly_summary() == [
        {"days": "Monday–Saturday", "span": "9:00–18:00"},
        {"days": "Sunday", "span": ""},
    ]
    navruz = OpeningException.objects.get(date=datetime.date(2027, 3, 21))
    assert (navruz.kind, navruz.name_uz, navruz.name_ru, navruz.name_en) == (
        "holiday",
        "Navroʻz bayrami",
        "Праздник Навруз",
        "Navruz",
    )
    assert {e.date for e in OpeningException.objects.filter(kind="holiday")} >= {
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 8),
        datetime.date(2027, 3, 10),
        datetime.date(2027, 5, 9),
        datetime.date(2027, 5, 17),
        datetime.date(2027, 9, 1),
        datetime.date(2027, 10, 1),
        datetime.date(2027, 12, 8),
        datetime.date(2026, 12, 8),
    }
