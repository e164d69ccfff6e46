"""The calendar on a phone: under 576 px the week table gives way to a server-rendered day view
(a tab per weekday, one row per hour, each free hour a large link). CSS only shows one of the two;
no script and no inline style (CSP)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fablab import selectors

from .conftest import set_week_hours
from .factories import BookingFactory


def page(client, machine, query=""):
    return client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + query)


@pytest.mark.django_db
def test_day_view_shows_the_chosen_day_hour_by_hour(client, machine, user):
    monday = selectors.week_start(timezone.localdate()) + datetime.timedelta(days=7)
    wednesday = monday + datetime.timedelta(days=2)
    start = timezone.make_aware(datetime.datetime.combine(wednesday, datetime.time(11)))
    BookingFactory(equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=2))
    response = page(client, machine, f"?day={wednesday}")
    html = response.content.decode()
    assert response.context["week"] == monday
    assert response.context["focus"] == wednesday
    slots = re.findall(r'data-testid="day-slot" data-state="(\w+)" data-day="([\d-]+)" data-hour="(\d+)"', html)
    assert [(int(h), state) for state, day, h in slots] == [
        (9, "free"),
        (10, "free"),
        (11, "requested"),
        (12, "requested"),
        *((h, "free") for h in range(13, 18)),
    ]
    assert {day for _state, day, _h in slots} == {wednesday.isoformat()}
    book = reverse("fablab:booking_create", kwargs={"slug": machine.slug})
    assert f'href="{book}?day={wednesday}&amp;hour=9"' in html
    tabs = re.findall(r'href="\?day=([\d-]+)#calendar" rel="nofollow" data-testid="day-tab"', html)
    assert tabs == [(monday + datetime.timedelta(days=i)).isoformat() for i in range(7)]
    assert html.count('aria-current="date"') == 1
    assert f'data-day="{wednesday}" aria-current="date"' in html
    assert "Previous day" in html and "Next day" in html


@pytest.mark.django_db
def test_day_view_of_a_closed_day_says_so(client, machine):
    set_week_hours({d: (9, 18) for d in range(6)})
    sunday = selectors.week_start(timezone.localdate()) + datetime.timedelta(days=13)
    html = page(client, machine, f"?day={sunday}").content.decode()
    assert 'data-testid="day-closed"' in html
    assert 'data-testid="day-slot"' not in html


@pytest.mark.django_db
def test_day_view_defaults_to_today_and_the_week_table_stays(client, machine):
    response = page(client, machine)
    html = response.content.decode()
    assert response.context["focus"] == timezone.localdate()
    # Both views are in the page; Bootstrap's display classes show the table from 576 px, the day view below.
    assert 'class="table-responsive d-none d-sm-block fablab-week"' in html
    assert 'class="d-sm-none fablab-dayview" data-testid="day-view"' in html


@pytest.mark.django_db
def test_calendar_page_has_no_inline_script_or_style(client, machine):
    html = page(client, machine).content.decode()
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
