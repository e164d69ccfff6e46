"""Formula injection: a cell beginning with =, +, -, @, tab or carriage return is written with a
quote in front, in every CSV and XLSX export (admin exports and the hand-written CSV files)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from fablab.models import Booking
from incubator.models import Application, Investment, Review
from tests.fablab.factories import BookingFactory, EquipmentFactory, FundingProjectFactory
from tests.factories import UserFactory
from tests.incubator.factories import (
    ApplicationFactory,
    InvestorFactory,
    ParticipantFactory,
    SeasonFactory,
    StartupFactory,
)
from tests.programs.factories import EnrolmentFactory

EVIL = '=HYPERLINK("http://evil.example/x","Click")'
ATTACKS = [EVIL, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def cells(response, file_format):
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        assert formulas == [], formulas
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    return [str(value) for row in rows for value in row if value is not None]


def assert_neutralised(values, attacks):
    # XLSX (XML) stores a carriage return as a line feed.
    values = [value.replace("\r", "\n") for value in values]
    for attack in (a.replace("\r", "\n") for a in attacks):
        assert "'" + attack in values, (attack, [v for v in values if v.startswith("'")])
        assert attack not in values, attack


def admin_export(client, url, file_format):
    form = client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": choice, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    return client.post(url, data)


def _application():
    return ApplicationFactory(
        team_name=ATTACKS[1],
        project_title=EVIL,
        status=Application.Status.SUBMITTED,
        decision_message=ATTACKS[3],
        applicant=UserFactory(full_name=ATTACKS[2], email="a@example.uz"),
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_application_export(admin_client, file_format):
    _application()
    response = admin_export(admin_client, "/admin/incubator/application/export/", file_format)
    assert_neutralised(cells(response, file_format), [EVIL, ATTACKS[1], ATTACKS[3]])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_review_export(admin_client, file_format):
    application = _application()
    Review.objects.create(application=application, reviewer=UserFactory(), comment=ATTACKS[4])
    response = admin_export(admin_client, "/admin/incubator/review/export/", file_format)
    assert_neutralised(cells(response, file_format), [ATTACKS[1], ATTACKS[4]])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_investment_export(admin_client, file_format):
    Investment.objects.create(
        startup=StartupFactory(name=ATTACKS[3]),
        investor=InvestorFactory(name=EVIL),
        amount=Decimal("100"),
        uzs_value=Decimal("100"),
        date=datetime.date(2025, 1, 1),
        kind="grant",
        note=ATTACKS[5],
    )
    response = admin_export(admin_client, "/admin/incubator/investment/export/", file_format)
    assert_neutralised(cells(response, file_format), [ATTACKS[3], EVIL, ATTACKS[5]])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_booking_export(admin_client, file_format):
    BookingFactory(
        equipment=EquipmentFactory(name=ATTACKS[1], name_uz=ATTACKS[1]),
        user=UserFactory(full_name=EVIL),
        purpose=ATTACKS[2],
    )
    assert Booking.objects.count() == 1
    response = admin_export(admin_client, "/admin/fablab/booking/export/", file_format)
    assert_neutralised(cells(response, file_format), [ATTACKS[1], EVIL, ATTACKS[2]])


@pytest.mark.parametrize(("file_format", "choice"), [("csv", "0"), ("xlsx", "1")])
def test_admin_enrolment_export(admin_client, file_format, choice):
    from programs.resources import EnrolmentResource

    enrolment = EnrolmentFactory(user=UserFactory(full_name=EVIL, phone="+998901234567"))
    fields = {f"enrolmentresource_{name}": "on" for name in EnrolmentResource().get_export_order()}
    response = admin_client.post(
        reverse("admin:programs_enrolment_export"),
        {"format": choice, "resource": "0", "_selected_action": [enrolment.pk], **fields},
    )
    assert_neutralised(cells(response, file_format), [EVIL])


def test_season_applications_csv(admin_client):
    application = _application()
    response = admin_client.get(reverse("incubator:export_applications", kwargs={"number": application.season.number}))
    assert response.status_code == 200
    assert_neutralised(cells(response, "csv"), [EVIL, ATTACKS[1], ATTACKS[2]])


def test_season_reviews_csv(admin_client):
    application = _application()
    Review.objects.create(application=application, reviewer=UserFactory(full_name=ATTACKS[3]), comment=ATTACKS[4])
    response = admin_client.get(reverse("incubator:export_reviews", kwargs={"number": application.season.number}))
    assert response.status_code == 200
    assert_neutralised(cells(response, "csv"), [ATTACKS[1], ATTACKS[3], ATTACKS[4]])


def test_impact_season_report_csv(admin_client):
    season = SeasonFactory()
    ParticipantFactory(season=season, name=EVIL)
    StartupFactory(season=season, name=ATTACKS[1])
    url = reverse("impact:season_report", kwargs={"number": season.number}) + "?format=csv"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert_neutralised(cells(response, "csv"), [EVIL, ATTACKS[1]])


def test_impact_equipment_report_csv(admin_client):
    project = FundingProjectFactory(name=ATTACKS[3])
    EquipmentFactory(funding_project=project, name=EVIL, name_uz=EVIL, model=ATTACKS[2])
    response = admin_client.get(reverse("impact:equipment_report", kwargs={"slug": project.slug}) + "?format=csv")
    assert response.status_code == 200
    assert_neutralised(cells(response, "csv"), [ATTACKS[3], EVIL, ATTACKS[2]])
