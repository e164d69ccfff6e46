"""What anonymous visitors get from the whole-page cache stays exact, and odd input never 500s."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fablab import services
from fablab.models import Booking
from fablab.tokens import ics_feed_path, ics_token
from tests.factories import UserFactory

from .factories import BookingFactory, EngineeringSolutionFactory, EquipmentFactory, slot


def _states(response, day):
    return [slot.state for row in response.context["rows"] for slot in row.slots if slot.day == day]


def _cell(page: str, day: datetime.date, hour: int) -> str:
    """The data-state of one calendar cell, read from the HTML (a cached response has no context)."""
    marker = f'data-day="{day.isoformat()}" data-hour="{hour}"'
    before = page[: page.index(marker)]
    return before[before.rindex('data-state="') + len('data-state="') :].split('"')[0]


@pytest.mark.django_db
def test_cached_calendar_changes_right_after_a_booking_and_a_confirm(
    client, machine, user, manager, django_capture_on_commit_callbacks
):
    # The page cache is refreshed after each commit: leaving a capture block is the commit.
    start, end = slot(days=3, hour=10, hours=2)
    day = timezone.localdate(start)
    url = reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={day}"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"  # anonymous visitors are served from the cache
    assert _cell(client.get(url).content.decode(), day, 10) == "free"

    # A booking made by the service (no POST to this page) is saved: the cache is thrown away.
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_request(equipment=machine, user=user, start=start, end=end, purpose="Drone frame")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert [_cell(response.content.decode(), day, h) for h in (10, 11, 12)] == ["requested", "requested", "free"]
    assert client.get(url)["X-Page-Cache"] == "hit"

    # The manager confirms on the staff day view (another browser): the next anonymous view shows it.
    staff = client.__class__()
    staff.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("fablab:staff_decide", kwargs={"pk": booking.pk}), {"action": "confirm"})
    assert Booking.objects.get().status == "confirmed"
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert [_cell(response.content.decode(), day, h) for h in (10, 11, 12)] == ["booked", "booked", "free"]

    # A cancellation frees the hours at once as well.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, by=manager)
    assert [_cell(client.get(url).content.decode(), day, h) for h in (10, 11)] == ["free", "free"]


@pytest.mark.django_db
def test_calendar_closes_hours_inside_the_lead_time(client, machine, settings):
    settings.FABLAB_MIN_LEAD_HOURS = 48
    today = timezone.localdate()
    response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={today}")
    bookable_from = timezone.now() + datetime.timedelta(hours=48)
    for row in response.context["rows"]:
        for cell in row.slots:
            assert cell.state == ("free" if cell.start >= bookable_from else "closed")
    assert 'data-state="closed"' in response.content.decode()


@pytest.mark.django_db
def test_a_confirmed_booking_outranks_a_request_in_the_same_hour(client, machine, user, other_user):
    start = slot(days=3, hour=10)[0]
    BookingFactory(equipment=machine, user=user, start=start, end=start + datetime.timedelta(minutes=30))
    BookingFactory(
        equipment=machine,
        user=other_user,
        start=start + datetime.timedelta(minutes=30),
        end=start + datetime.timedelta(minutes=60),
        status="confirmed",
    )
    day = timezone.localdate(start)
    response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={day}")
    assert _states(response, day)[1] == "booked"


# --- The secret .ics address -----------------------------------------------------------------------


@pytest.mark.django_db
def test_ics_feed_with_another_persons_token_or_an_inactive_person_answers_404(client, user, other_user, machine):
    BookingFactory(equipment=machine, user=other_user, status="confirmed")
    # The token of one person does not open another person's feed.
    stolen = reverse("fablab:ics_feed", kwargs={"user_id": other_user.pk, "token": ics_token(user)})
    assert client.get(stolen).status_code == 404
    assert client.get(ics_feed_path(other_user)).status_code == 200
    other_user.is_active = False
    other_user.save()
    assert client.get(ics_feed_path(other_user)).status_code == 404
    assert client.get(reverse("fablab:ics_feed", kwargs={"user_id": 987654, "token": "0" * 32})).status_code == 404


@pytest.mark.django_db
def test_ics_feed_old_address_stops_after_a_password_change_new_one_works(client, user, machine):
    BookingFactory(equipment=machine, user=user, status="confirmed")
    old = ics_feed_path(user)
    assert b"BEGIN:VEVENT" in client.get(old).content
    user.set_password("a-New-pass-2026")
    user.save()
    assert client.get(old).status_code == 404
    new = ics_feed_path(user)
    assert new != old
    assert client.get(new).content.count(b"BEGIN:VEVENT") == 1


# --- Odd input ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    # (a NUL byte answers 400 before any view: technopark.middleware.MalformedInputMiddleware)
    ["?week=9999-12-31", "?week=0001-01-01", "?week=2026-02-30", "?week=garbage", "?week=", "?day=garbage",
     "?day=9999-12-31", "?day=2026-02-30&week=garbage"],
)  # fmt: skip
def test_calendar_with_an_odd_week_shows_this_week(client, machine, query):
    response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + query)
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["week"] == today - datetime.timedelta(days=today.weekday())
    assert response.context["focus"] == today  # the phone's day view shows today


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["99999", "0", "-1", "abc", "2024"])
def test_gallery_ignores_a_year_without_solutions(client, year):
    EngineeringSolutionFactory(title="Valve", completed_on=datetime.date(2025, 2, 1))
    response = client.get(reverse("fablab:solution_list") + f"?year={year}&page=9999&equipment=%ZZ")
    assert response.status_code == 200
    assert [s.title for s in response.context["page_obj"]] == ["Valve"]
    assert response.context["current_year"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "query"),
    [("fablab:index", "?category=nope&page=99999"), ("fablab:funding_list", "?page=-5")],
)
def test_lists_with_odd_pages_answer_the_last_or_first_page(client, name, query):
    EquipmentFactory(name="Lathe", name_en="Lathe")
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.django_db
def test_staff_pages_with_odd_dates_fall_back_to_today(client, manager):
    client.force_login(manager)
    for query in ("?date=9999-12-31", "?date=0001-01-01", "?date=2026-13-01"):
        response = client.get(reverse("fablab:staff_day") + query)
        assert response.status_code == 200
        assert response.context["day"] == timezone.localdate()
    response = client.get(reverse("fablab:staff_usage") + "?year=99999999")
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.django_db
def test_booking_form_with_odd_input_explains_and_saves_nothing(client, user, machine):
    client.force_login(user)
    url = reverse("fablab:booking_create", kwargs={"slug": machine.slug})
    assert client.get(url + "?day=9999-12-31&hour=99").status_code == 200
    response = client.post(url, {"day": "0001-01-01", "start_time": "10:00", "end_time": "11:00", "purpose": "x"})
    assert "You cannot book time in the past." in response.content.decode()
    response = client.post(url, {"day": "tomorrow", "start_time": "25:00", "end_time": "", "purpose": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"day", "start_time", "end_time", "purpose"}
    assert Booking.objects.count() == 0
    assert client.get(reverse("fablab:booking_create", kwargs={"slug": "no-such-machine"})).status_code == 404
    assert client.post(reverse("fablab:booking_cancel", kwargs={"pk": 987654})).status_code == 404


@pytest.mark.django_db
def test_staff_decide_with_an_unknown_action_or_booking_answers_404(client, manager, machine):
    booking = BookingFactory(equipment=machine, user=UserFactory())
    client.force_login(manager)
    url = reverse("fablab:staff_decide", kwargs={"pk": booking.pk})
    assert client.post(url, {"action": "explode"}).status_code == 404
    assert client.post(reverse("fablab:staff_decide", kwargs={"pk": 987654}), {"action": "confirm"}).status_code == 404
    assert Booking.objects.get().status == "requested"
