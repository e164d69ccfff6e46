import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from technopark.roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER
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
    # queries, SAVEPOINT/RELEASE of ATOMIC_REQUESTS
    with django_assert_num_queries(12):
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
