"""The admin exports the issue asks for (applications, reviews, enrolments, bookings, investments),
run through the admin with the demo data, as CSV and XLSX: header row and number of rows.

``seed_demo`` runs once for the module, inside a transaction that is rolled back at the end; each
test runs in a savepoint within it (pytest-django's ``db``).
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from fablab.models import Booking
from incubator.models import Application, Investment, Review
from programs.models import Enrolment
from technopark.roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER, PROGRAMME_COORDINATOR, REVIEWER
from tests.factories import UserFactory

# (admin URL, model, exact header row, rows in the demo data set, role that may export)
EXPORTS = {
    "applications": (
        "/admin/incubator/application/export/",
        Application,
        [
            "id",
            "season",
            "applicant_email",
            "team_name",
            "project_title",
            "industry",
            "stage",
            "status",
            "submitted_at",
            "decision_message",
        ],
        504,  # 503 submitted + the demo young person's draft
        INCUBATOR_MANAGER,
    ),
    "reviews": (
        "/admin/incubator/review/export/",
        Review,
        ["id", "application", "team_name", "reviewer_email", "submitted_at", "scores", "comment"],
        970,
        INCUBATOR_MANAGER,
    ),
    "enrolments": (
        "/admin/programs/enrolment/export/",
        Enrolment,
        [
            "id",
            "full_name",
            "email",
            "phone",
            "district",
            "direction",
            "course",
            "intake_start",
            "status",
            "created_at",
            "decided_at",
            "certificate",
        ],
        5337,
        PROGRAMME_COORDINATOR,
    ),
    "bookings": (
        "/admin/fablab/booking/export/",
        Booking,
        ["id", "equipment", "person", "email", "start", "end", "status", "purpose", "startup", "created_at"],
        3650,  # the seed's printed figure; no bookings on the 8 December 2026 holiday
        FABLAB_MANAGER,
    ),
    "investments": (
        "/admin/incubator/investment/export/",
        Investment,
        ["id", "startup", "investor", "amount", "currency", "date", "kind", "uzs_value", "note"],
        30,  # 29 startups with investment; one of them got two
        INCUBATOR_MANAGER,
    ),
}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        from technopark.roles import ensure_roles

        ensure_roles()
        call_command("seed_demo", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


def staff_with(role):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=role))
    return staff


def export(client, url, file_format):
    """Open the admin's export form, keep every field ticked, choose the format and submit."""
    form = client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": choice, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    return client.post(url, data)


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPORTS))
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_export_of_the_demo_data(client, demo_data, name, file_format):
    url, model, header, rows, role = EXPORTS[name]
    client.force_login(staff_with(role))
    response = export(client, url, file_format)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{file_format}"'), disposition
    table = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert table[0] == header
    assert len(table) - 1 == model.objects.count() == rows
    assert all(len(row) == len(header) for row in table)


@pytest.mark.django_db
def test_exports_carry_the_related_values(client, demo_data):
    """Spot-check that the joined columns are filled, not blank (one row per export)."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    enrolments = read_csv(export(client, EXPORTS["enrolments"][0], "csv"))
    first = dict(zip(enrolments[0], enrolments[1], strict=True))
    enrolment = Enrolment.objects.select_related("user", "intake__course").get(pk=first["id"])
    assert (first["email"], first["course"]) == (enrolment.user.email, enrolment.intake.course.title)
    investments = read_csv(export(client, EXPORTS["investments"][0], "csv"))
    by_startup = {row[1]: row for row in investments[1:]}
    # The admin speaks Uzbek at /admin/, and import-export localises numbers: a decimal comma.
    assert by_startup["Tokcha"][2:5] == ["Aloqa Venture", "30000,00", "USD"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPORTS))
@pytest.mark.parametrize("role", [EDITOR, REVIEWER])
def test_staff_without_the_view_permission_cannot_export(client, demo_data, name, role):
    """Applicant e-mails, phones and review scores are for the role that runs the area only."""
    url, *_rest, export_role = EXPORTS[name]
    client.force_login(staff_with(role))
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "0", "resource": "0"}).status_code == 403


@pytest.mark.django_db
def test_young_person_and_anonymous_cannot_reach_an_export(client, demo_data):
    url = EXPORTS["enrolments"][0]
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


RESOURCES = {
    "applications": ("incubator.resources", "ApplicationResource"),
    "reviews": ("incubator.resources", "ReviewResource"),
    "enrolments": ("programs.resources", "EnrolmentResource"),
    "bookings": ("fablab.resources", "BookingResource"),
    "investments": ("incubator.resources", "InvestmentResource"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(RESOURCES))
def test_an_export_does_not_query_per_row(demo_data, name, django_assert_max_num_queries):
    """Joined columns come from select_related; review scores are prefetched a chunk at a time
    (import-export iterates in chunks of 100 rows: three queries a chunk)."""
    from importlib import import_module

    module, cls = RESOURCES[name]
    model, rows = EXPORTS[name][1], EXPORTS[name][3]
    resource = getattr(import_module(module), cls)()
    allowed = 1 + 3 * -(-rows // 100) if name == "reviews" else 1
    with django_assert_max_num_queries(allowed):
        dataset = resource.export(model.objects.all())
    assert len(dataset) == rows
