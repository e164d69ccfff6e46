"""The admin obeys the domain rules: what it adds goes through the services' checks (conflict of
interest, no self-review, the application's status); where it cannot, it adds and changes nothing."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from fablab.models import Booking
from incubator.models import Application, ConflictOfInterest, Review, ReviewAssignment, StatusChange
from programs.models import Certificate, Enrolment
from technopark.roles import FABLAB_MANAGER, INCUBATOR_MANAGER, PROGRAMME_COORDINATOR, REVIEWER
from tests.conftest import make_staff
from tests.fablab.factories import BookingFactory
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory
from tests.programs.factories import CertificateFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

ASSIGN = "/en/admin/incubator/reviewassignment/add/"
CONFLICT = "/en/admin/incubator/conflictofinterest/add/"


@pytest.fixture
def manager(client):
    manager = make_staff(INCUBATOR_MANAGER)
    client.force_login(manager)
    return manager


@pytest.fixture
def reviewer():
    return make_staff(REVIEWER)


@pytest.fixture
def application():
    return ApplicationFactory(status=Application.Status.SUBMITTED)


def errors(response):
    return response.content.decode()


def test_an_assignment_made_in_the_admin_goes_through_the_service(client, manager, reviewer, application):
    response = client.post(ASSIGN, {"application": application.pk, "reviewer": reviewer.pk})
    assert response.status_code == 302
    assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)
    assert assignment.assigned_by == manager
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW  # as the service moves it
    assert StatusChange.objects.filter(application=application, to_status="under_review", actor=manager).exists()


def test_nobody_is_assigned_their_own_application_in_the_admin(client, manager, reviewer):
    own = ApplicationFactory(status=Application.Status.SUBMITTED, applicant=reviewer)
    response = client.post(ASSIGN, {"application": own.pk, "reviewer": reviewer.pk})
    assert response.status_code == 200
    assert "Nobody reviews their own application." in errors(response)
    assert not ReviewAssignment.objects.exists()


def test_a_declared_conflict_blocks_the_assignment_in_the_admin(client, manager, reviewer, application):
    ConflictOfInterest.objects.create(application=application, reviewer=reviewer, reason="My cousin")
    response = client.post(ASSIGN, {"application": application.pk, "reviewer": reviewer.pk})
    assert response.status_code == 200
    assert "declared a conflict of interest with this application" in errors(response)
    assert not ReviewAssignment.objects.exists()


def test_only_reviewers_can_be_chosen_and_drafts_are_not_assigned(client, manager, reviewer):
    stranger = UserFactory(full_name="Not A Reviewer")
    form = client.get(ASSIGN).content.decode()
    assert "Not A Reviewer" not in form
    draft = ApplicationFactory(status=Application.Status.DRAFT)
    response = client.post(ASSIGN, {"application": draft.pk, "reviewer": reviewer.pk})
    assert response.status_code == 200 and "cannot be reviewed in its current status" in errors(response)
    response = client.post(ASSIGN, {"application": draft.pk, "reviewer": stranger.pk})
    assert response.status_code == 200
    assert not ReviewAssignment.objects.exists()


def test_assignments_and_conflicts_are_not_changed_in_the_admin(client, manager, reviewer, application):
    assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer, assigned_by=manager)
    other = make_staff(REVIEWER)
    url = f"/en/admin/incubator/reviewassignment/{assignment.pk}/change/"
    assert client.post(url, {"application": application.pk, "reviewer": other.pk}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.reviewer == reviewer


def test_a_conflict_declared_in_the_admin_goes_through_the_service(client, manager, reviewer, application):
    ReviewAssignment.objects.create(application=application, reviewer=reviewer, assigned_by=manager)
    response = client.post(CONFLICT, {"application": application.pk, "reviewer": reviewer.pk, "reason": ""})
    assert response.status_code == 200 and not ConflictOfInterest.objects.exists()
    response = client.post(CONFLICT, {"application": application.pk, "reviewer": reviewer.pk, "reason": "A colleague"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(application=application, reviewer=reviewer).exists()
    assert not ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists()  # as the service


def test_reviews_are_not_written_in_the_admin(client, manager, reviewer, application):
    assert client.get("/en/admin/incubator/review/add/").status_code == 403
    review = Review.objects.create(application=application, reviewer=reviewer, comment="Good")
    url = f"/en/admin/incubator/review/{review.pk}/change/"
    assert client.get(url).status_code == 200  # read
    changed = {"application": application.pk, "reviewer": manager.pk, "comment": "Mine"}
    assert client.post(url, changed).status_code == 403
    review.refresh_from_db()
    assert (review.reviewer, review.comment) == (reviewer, "Good")


def test_applications_are_not_added_and_their_applicant_is_fixed(client, manager, application):
    assert client.get("/en/admin/incubator/application/add/").status_code == 403
    page = client.get(f"/en/admin/incubator/application/{application.pk}/change/").content.decode()
    assert 'name="applicant"' not in page and 'name="season"' not in page


def test_enrolments_change_only_through_the_actions(client):
    enrolment = EnrolmentFactory(status=Enrolment.Status.ENROLLED)
    client.force_login(make_staff(PROGRAMME_COORDINATOR))
    url = f"/en/admin/programs/enrolment/{enrolment.pk}/"
    assert client.get("/en/admin/programs/enrolment/add/").status_code == 403
    page = client.get(f"{url}change/").content.decode()
    assert 'name="offer_expires_at' not in page and 'name="status"' not in page
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/en/admin/programs/enrolment/",
        {"action": "delete_selected", "_selected_action": [enrolment.pk], "post": "yes"},
    )
    assert Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.ENROLLED).exists()


def test_certificates_are_revoked_not_deleted(client):
    certificate = CertificateFactory()
    client.force_login(make_staff(PROGRAMME_COORDINATOR))
    assert client.post(f"/en/admin/programs/certificate/{certificate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_bookings_are_neither_added_nor_deleted_in_the_admin(client):
    booking = BookingFactory()
    client.force_login(make_staff(FABLAB_MANAGER))
    assert client.get("/en/admin/fablab/booking/add/").status_code == 403
    assert client.post(f"/en/admin/fablab/booking/{booking.pk}/delete/", {"post": "yes"}).status_code == 403
    start = timezone.now() + datetime.timedelta(days=30)
    client.post(f"/en/admin/fablab/booking/{booking.pk}/change/", {"start": start, "status": "confirmed"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED and Booking.objects.filter(pk=booking.pk).exists()


def test_the_reviewer_role_stays_out_of_the_admin_models(client, reviewer):
    client.force_login(reviewer)
    for url in (ASSIGN, CONFLICT, "/en/admin/incubator/review/"):
        assert client.get(url).status_code == 403
    assert Group.objects.get(name=REVIEWER).permissions.filter(codename__startswith="add_").count() == 0


def test_an_application_with_status_history_is_not_deleted_with_its_history(client, manager, application):
    """Deleting an application would take its status history with it (cascade): the admin refuses
    it, as the history cannot be deleted by anyone."""
    StatusChange.objects.create(application=application, from_status="draft", to_status="submitted", actor=manager)
    url = f"/en/admin/incubator/application/{application.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.post(
        "/en/admin/incubator/application/",
        {"action": "delete_selected", "_selected_action": [application.pk], "post": "yes"},
    )
    assert Application.objects.filter(pk=application.pk).exists()
    assert StatusChange.objects.filter(application=application).count() == 1


def test_an_intake_whose_status_moved_is_not_deleted_with_its_history(client):
    from programs import services
    from programs.models import Intake, IntakeStatusChange
    from tests.programs.factories import IntakeFactory

    coordinator = make_staff(PROGRAMME_COORDINATOR)
    client.force_login(coordinator)
    mistake = IntakeFactory(status=Intake.Status.PLANNED)
    services.INTAKE_WORKFLOW.record(mistake, "", mistake.status, actor=coordinator)
    moved = IntakeFactory(status=Intake.Status.PLANNED)
    services.INTAKE_WORKFLOW.record(moved, "", moved.status, actor=coordinator)
    services.intake_transition(moved, Intake.Status.ENROLLING, actor=coordinator)
    assert client.post(f"/en/admin/programs/intake/{moved.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/en/admin/programs/intake/",
        {"action": "delete_selected", "_selected_action": [moved.pk, mistake.pk], "post": "yes"},
    )
    assert IntakeStatusChange.objects.filter(intake=moved).count() == 2
    # An intake made by mistake, never moved, may still be deleted.
    assert client.post(f"/en/admin/programs/intake/{mistake.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Intake.objects.filter(pk=mistake.pk).exists()
