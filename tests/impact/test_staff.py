import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from technopark.roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER, REVIEWER
from tests.conftest import make_staff
from tests.factories import UserFactory

from .conftest import grow

DASHBOARD = "/en/impact/staff/"
SEASON_REPORT = "/en/impact/staff/reports/innox/1/"
EQUIPMENT_REPORT = "/en/impact/staff/reports/equipment/ibrd/"


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, SEASON_REPORT, EQUIPMENT_REPORT])
def test_anonymous_is_sent_to_login(client, dataset, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, SEASON_REPORT, EQUIPMENT_REPORT, SEASON_REPORT + "?format=csv"])
def test_young_person_gets_404(client, dataset, url):
    client.force_login(dataset["people"]["a"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_without_the_role_sees_the_dashboard_but_not_the_reports(client, dataset):
    editor = make_staff(EDITOR)
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert reverse("impact:season_report", args=[1]) not in response.content.decode()
    assert client.get(SEASON_REPORT).status_code == 404
    assert client.get(EQUIPMENT_REPORT + "?format=csv").status_code == 404


@pytest.mark.django_db
def test_fablab_manager_gets_the_equipment_report_not_the_season_report(client, dataset):
    client.force_login(make_staff(FABLAB_MANAGER))
    assert client.get(SEASON_REPORT).status_code == 404
    response = client.get(EQUIPMENT_REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Machines delivered (3)" in html
    assert "Engineering solutions made with this equipment (3)" in html


@pytest.mark.django_db
def test_equipment_report_csv(client, dataset):
    client.force_login(make_staff(FABLAB_MANAGER))
    response = client.get(EQUIPMENT_REPORT, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="equipment-report-ibrd.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Equipment report", "Qishloq tadbirkorligi (en)", "IBRD (en)"]
    assert rows[1] == ["Machines delivered", "3"]
    machines = {r[0]: r for r in rows[3:6]}
    assert machines["Printer 0 (en)"][5] == "1"  # one confirmed booking; the requested one is not use
    assert machines["Printer 1 (en)"][5] == "0"
    solutions = rows[rows.index(["Engineering solution", "Completed on", "Equipment used"]) + 1 :]
    assert sorted(r[0] for r in solutions) == ["Solution 0 (en)", "Solution 1 (en)", "Solution 2 (en)"]


@pytest.mark.django_db
def test_incubator_manager_gets_the_season_report_and_csv(client, dataset):
    client.force_login(make_staff(INCUBATOR_MANAGER))
    assert client.get(EQUIPMENT_REPORT).status_code == 404
    response = client.get(SEASON_REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "InnoX season report: InnoX 1 (en)" in html
    assert "Participants (2)" in html
    assert "227.0 million UZS" in html
    rows = csv_rows(client.get(SEASON_REPORT, {"format": "csv"}))
    summary = dict(r for r in rows[1:7])
    assert summary == {
        "Applications": "2",
        "Accepted": "1",
        "Participants": "2",
        "Startups": "1",
        "Startups with investment": "1",
        "Total investment, UZS": "227000000.00",
    }
    investments = [r for r in rows if r and r[0].startswith("2025-")]
    assert [(r[1], r[4], r[5], r[6]) for r in investments] == [
        ("AgroSmart", "100000000.00", "UZS", "100000000.00"),
        ("AgroSmart", "10000.00", "USD", "127000000.00"),
    ]


@pytest.mark.django_db
def test_unknown_season_or_project_is_404_for_staff(client, dataset):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/en/impact/staff/reports/innox/9/").status_code == 404
    assert client.get("/en/impact/staff/reports/equipment/nothing/").status_code == 404


@pytest.mark.django_db
def test_admin_index_links_to_the_dashboard(client, dataset):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert reverse("impact:staff") in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_dashboard_breakdowns(client, dataset):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(DASHBOARD).content.decode()
    assert "Registered people who took part (5)" in html
    # Funnel: season 1 has 2 submitted applications, 1 accepted (50%).
    assert '<td>1 <span class="text-muted small">(50%)</span></td>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 4])
def test_staff_dashboard_query_count_does_not_grow(client, dataset, django_assert_num_queries, extra):
    grow(dataset, extra)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(staff)
    # session, user, user and group permissions (x2 for the two report links), the 5 dashboard
    # queries, the 3 of the path's breakdown by district and school (impact/path.py),
    # SAVEPOINT/RELEASE of ATOMIC_REQUESTS
    with django_assert_num_queries(15):
        response = client.get(DASHBOARD)
    assert f"Registered people who took part ({5 + extra})" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 4])
def test_season_report_query_count_does_not_grow(client, dataset, django_assert_num_queries, extra):
    grow(dataset, extra)
    client.force_login(make_staff(INCUBATOR_MANAGER))
    with django_assert_num_queries(12):
        response = client.get(SEASON_REPORT)
    assert f"Participants ({2 + extra})" in response.content.decode()


# --- Every breakdown of the dashboard on the hand-built data set -------------------------------


@pytest.fixture
def dashboard_data(dataset):
    """The data set plus reviews, attendance, FabLab use in the last months and birth dates
    relative to today (so that the age bands do not move as the calendar does)."""
    import datetime

    from django.utils import timezone

    from fablab.models import Booking
    from impact.selectors import _years_before, month_starts
    from incubator.models import Application, Review, ReviewAssignment
    from programs.models import Attendance, Enrolment, Session

    from .conftest import aware

    today = timezone.localdate()
    people = dataset["people"]
    for key, years in {"a": 13, "b": 16, "c": 20, "d": 31}.items():
        people[key].birth_date = _years_before(today, years)  # under 14, 14–17, 18–24, over 30
        people[key].save()
    reviewer = make_staff(REVIEWER)
    s1_apps = Application.objects.filter(season=dataset["seasons"][0]).exclude(status="draft")
    for application in s1_apps:  # a's and c's applications: 2 assignments, 1 review done
        ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    Review.objects.create(application=s1_apps.get(applicant=people["a"]), reviewer=reviewer)

    i1 = dataset["intakes"][0]
    a_enrolment = Enrolment.objects.get(user=people["a"], intake=i1)
    for day, present in [(1, True), (2, False), (3, True), (4, True)]:
        session = Session.objects.create(intake=i1, date=datetime.date(2025, 2, day))
        Attendance.objects.create(session=session, enrolment=a_enrolment, present=present)

    last_month = month_starts(6)[-2]
    machine = dataset["machines"][0]
    day = last_month.replace(day=10)
    Booking.objects.create(
        equipment=machine,
        user=people["b"],
        start=aware(day.year, day.month, day.day, 10),
        end=aware(day.year, day.month, day.day, 13),
        purpose="p",
        status=Booking.Status.COMPLETED,
    )
    Booking.objects.create(  # a booking in the future is a plan, not use
        equipment=machine,
        user=people["b"],
        start=timezone.now() + datetime.timedelta(days=3),
        end=timezone.now() + datetime.timedelta(days=3, hours=2),
        purpose="p",
        status=Booking.Status.CONFIRMED,
    )
    return dataset


@pytest.mark.django_db
def test_dashboard_figures_on_the_hand_built_data_set(dashboard_data):
    from impact.selectors import staff_dashboard

    d = staff_dashboard("en")
    funnel = {
        s["number"]: {
            k: s[k] for k in ("applications", "assignments", "reviews", "reviewed", "shortlisted", "accepted")
        }
        | {k: s[k] for k in ("participants", "startups", "funded")}
        for s in d["seasons"]
    }
    assert funnel == {
        1: {
            "applications": 2,
            "assignments": 2,
            "reviews": 1,
            "reviewed": 1,
            "shortlisted": 1,
            "accepted": 1,
            "participants": 2,
            "startups": 1,
            "funded": 1,
        },
        2: {
            "applications": 1,
            "assignments": 0,
            "reviews": 0,
            "reviewed": 0,
            "shortlisted": 0,
            "accepted": 0,
            "participants": 0,
            "startups": 1,
            "funded": 0,
        },
    }
    # Only running and enrolling intakes: i1 (a enrolled, c waitlisted, x rejected); i2 is finished.
    assert [
        (i["course"], i["status"], i["capacity"], i["enrolled"], i["applied"], i["waitlisted"])
        + (i["attendance_marks"], i["present"])
        for i in d["intakes"]
    ] == [("Veb asoslari (en)", "Running", 10, 1, 0, 1, 4, 3)]
    assert d["intakes_cut"] is False
    # Three hours last month on Printer 0; the confirmed booking in three days is not use yet.
    usage = {row["machine"]: row for row in d["utilisation"]}
    assert usage["Printer 0 (en)"]["hours"] == [0.0, 0.0, 0.0, 0.0, 3.0, 0.0]
    assert usage["Printer 0 (en)"]["total"] == 3.0
    assert set(usage) == {"Printer 0 (en)", "Printer 1 (en)", "Printer 2 (en)", "Old lathe (en)"}
    people = d["people"]
    assert people["total"] == 5
    assert [(r["label"], r["people"]) for r in people["districts"]] == [
        ("Asaka district", 2),
        ("Marhamat district", 2),
        ("", 1),
    ]
    assert [(r["label"], r["people"]) for r in people["genders"]] == [("Female", 2), ("Male", 2), ("", 1)]
    assert [(r["label"], r["people"]) for r in people["age_bands"]] == [
        ("under 14", 1),
        ("14–17", 1),
        ("18–24", 1),
        ("25–30", 0),
        ("over 30", 1),
        ("", 1),
    ]


@pytest.mark.django_db
def test_dashboard_page_shows_each_breakdown(client, dashboard_data):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(DASHBOARD).content.decode()
    assert "1 of 2" in html and '<span class="text-muted small">(50%)</span>' in html  # reviews done
    assert "<td>1</td><td>0</td><td>1</td><td>75%</td>" in html  # enrolled, applied, waitlist, attendance
    assert (
        '<th scope="row">Printer 0 (en)</th><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td><td>0</td><td>3</td>'
        in html
    )
    assert '<th scope="row">Not given</th><td>1</td><td class="text-muted small">20%</td>' in html
    assert '<th scope="row">over 30</th><td>1</td><td class="text-muted small">20%</td>' in html
    assert "Registered people who took part (5)" in html
