"""FabLab "hours used" on the staff impact dashboard and in the funder's equipment report (issue 11,
item 4): checked-in time, not booked time. A confirmed booking nobody checked in counts 0 (the
no-show job has not run yet), a no-show 0, a checked-in booking from check-in to check-out, a
completed booking without a check-in (made before check-in existed) in full."""

import datetime

import pytest

from fablab.models import Booking, Equipment, EquipmentCategory, FundingProject
from impact.selectors import month_starts
from technopark.roles import FABLAB_MANAGER
from tests.conftest import make_staff
from tests.factories import UserFactory

from .conftest import TZ, tr
from .test_staff import csv_rows


@pytest.fixture
def lab(db):
    """Last month, on the 10th, one machine of one funding project: 9 hours booked, 4 used."""
    project = FundingProject.objects.create(slug="hours", funder="IBRD", **tr(name="Hours project"))
    category = EquipmentCategory.objects.create(slug="cnc", **tr(name="CNC"))
    machine = Equipment.objects.create(slug="router", category=category, funding_project=project, **tr(name="Router"))
    day = month_starts(6)[-2].replace(day=10)
    person = UserFactory()

    def at(hour, minute=0):
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)

    def booking(start, end, status, checked_in=None, checked_out=None):
        return Booking.objects.create(
            equipment=machine,
            user=person,
            start=at(*start),
            end=at(*end),
            purpose="p",
            status=status,
            checked_in_at=at(*checked_in) if checked_in else None,
            checked_out_at=at(*checked_out) if checked_out else None,
        )

    booking((9,), (12,), "completed", checked_in=(9, 30), checked_out=(11,))  # 1.5 h of 3
    booking((12,), (14,), "confirmed")  # began, nobody came, not marked yet: 0 of 2
    booking((14,), (15,), "no_show")  # 0 of 1
    booking((15,), (17,), "completed")  # completed by hand, no check-in: 2 of 2
    booking((17,), (18,), "confirmed", checked_in=(17, 30))  # still in, never checked out: 0.5 of 1
    return {"machine": machine, "month": day.replace(day=1)}


@pytest.mark.django_db
def test_staff_dashboard_counts_checked_in_time(client, lab):
    client.force_login(make_staff(FABLAB_MANAGER))
    response = client.get("/en/impact/staff/")
    assert response.status_code == 200
    dashboard = response.context["d"]
    [row] = [r for r in dashboard["utilisation"] if r["machine"] == "Router (en)"]
    index = dashboard["months"].index(lab["month"])
    assert row["hours"][index] == 4.0  # 1.5 + 2 + 0.5; booked: 9
    assert row["total"] == 4.0
    assert "(time from check-in to check-out)" in response.content.decode()
    assert "(kelgani qayd etilgandan ketguncha boʻlgan vaqt)" in client.get("/impact/staff/").content.decode()


@pytest.mark.django_db
def test_funder_equipment_report_and_its_csv_count_checked_in_time(client, lab):
    client.force_login(make_staff(FABLAB_MANAGER))
    url = "/en/impact/staff/reports/equipment/hours/"
    report = client.get(url).context["r"]
    [row] = report["usage"]
    index = report["months"].index(lab["month"])
    assert (row["hours"][index], row["total"], report["total_hours"]) == (4.0, 4.0, 4.0)
    rows = csv_rows(client.get(url, {"format": "csv"}))
    [hours_row] = [r for r in rows if r and r[0] == "Router (en)" and len(r) == len(report["months"]) + 2]
    assert hours_row[1 + index] == "4.0" and hours_row[-1] == "4.0"
    html = client.get("/ru/impact/staff/reports/equipment/hours/").content.decode()
    assert "Бронирование без отметки прихода считается как 0" in html
