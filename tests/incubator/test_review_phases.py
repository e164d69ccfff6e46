"""Review phases: per reviewer assigned / done / overdue after the season's review deadline, and the
reassignment of overdue reviews through the same rules as an assignment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incubator import selectors, services
from incubator.models import ConflictOfInterest, ReviewAssignment
from notifications.models import Notification

from .accelerator import scored, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_deadline(season):
    """The season closed two days ago; reviews were due yesterday."""
    now = timezone.now()
    season.application_opens = now - datetime.timedelta(days=20)
    season.application_closes = now - datetime.timedelta(days=2)
    season.review_deadline = now - datetime.timedelta(days=1)
    season.save()
    return season


def test_progress_counts_assigned_done_and_overdue_only_after_the_deadline(season, reviewer, reviewer2):
    a, b, c = submitted(season), submitted(season), submitted(season)
    for application in (a, b, c):
        ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    ReviewAssignment.objects.create(application=a, reviewer=reviewer2)
    scored(a, reviewer, 4)
    scored(a, reviewer2, 3)
    season.review_deadline = season.application_closes + datetime.timedelta(days=7)
    season.save()

    before = {row["reviewer_id"]: row for row in selectors.reviewer_progress(season)}
    assert (before[reviewer.pk]["assigned"], before[reviewer.pk]["done"], before[reviewer.pk]["overdue"]) == (3, 1, 0)
    assert (before[reviewer2.pk]["assigned"], before[reviewer2.pk]["done"]) == (1, 1)

    after = {
        row["reviewer_id"]: row
        for row in selectors.reviewer_progress(season, now=season.review_deadline + datetime.timedelta(minutes=1))
    }
    assert after[reviewer.pk]["overdue"] == 2 and after[reviewer2.pk]["overdue"] == 0


def test_progress_page_shows_each_reviewer(client, manager, reviewer, past_deadline):
    application = submitted(past_deadline, team_name="Tokcha")
    ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    client.force_login(manager)
    response = client.get(f"/en/innox/manage/seasons/{past_deadline.number}/reviews/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-reviewer="{reviewer.pk}"' in page and "Overdue reviews" in page and "Tokcha" in page


def test_reviewers_and_applicants_cannot_open_the_progress_page(client, reviewer, user, season):
    for person in (reviewer, user):
        client.force_login(person)
        assert client.get(f"/en/innox/manage/seasons/{season.number}/reviews/").status_code == 403


def test_reassign_an_overdue_review_after_the_deadline(client, manager, reviewer, reviewer2, past_deadline):
    application = submitted(past_deadline)
    old = ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    client.force_login(manager)
    response = client.post(
        f"/en/innox/manage/seasons/{past_deadline.number}/reviews/",
        {"assignment": old.pk, "reviewer": reviewer2.pk},
    )
    assert response.status_code == 302
    assert list(ReviewAssignment.objects.filter(application=application).values_list("reviewer", flat=True)) == [
        reviewer2.pk
    ]
    assert Notification.objects.filter(recipient=reviewer2, kind="incubator.review_assigned").count() == 1
    progress = {row["reviewer_id"]: row for row in selectors.reviewer_progress(past_deadline)}
    assert reviewer.pk not in progress and progress[reviewer2.pk]["overdue"] == 1


def test_no_reassignment_before_the_deadline(season, manager, reviewer, reviewer2):
    season.review_deadline = season.application_closes + datetime.timedelta(days=3)
    season.save()
    assignment = ReviewAssignment.objects.create(application=submitted(season), reviewer=reviewer)
    with pytest.raises(ValidationError, match="only after the season's review deadline"):
        services.review_reassign(assignment=assignment, reviewer=reviewer2, actor=manager)
    assert ReviewAssignment.objects.get().reviewer == reviewer


def test_a_written_review_is_not_overdue(manager, reviewer, reviewer2, past_deadline):
    application = submitted(past_deadline)
    scored(application, reviewer, 4)
    assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)
    with pytest.raises(ValidationError, match="not overdue"):
        services.review_reassign(assignment=assignment, reviewer=reviewer2, actor=manager)


def test_reassignment_follows_the_assignment_rules(manager, reviewer, reviewer2, past_deadline):
    """A conflict of interest or the applicant themselves: refused, and the old assignment stays."""
    application = submitted(past_deadline)
    assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    ConflictOfInterest.objects.create(application=application, reviewer=reviewer2, reason="My cousin")
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.review_reassign(assignment=assignment, reviewer=reviewer2, actor=manager)
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()

    own = submitted(past_deadline, applicant=reviewer2)
    own_assignment = ReviewAssignment.objects.create(application=own, reviewer=reviewer)
    with pytest.raises(ValidationError, match="Nobody reviews their own application"):
        services.review_reassign(assignment=own_assignment, reviewer=reviewer2, actor=manager)
    assert ReviewAssignment.objects.filter(pk=own_assignment.pk).exists()


def test_only_the_manager_reassigns(reviewer, reviewer2, past_deadline):
    assignment = ReviewAssignment.objects.create(application=submitted(past_deadline), reviewer=reviewer)
    with pytest.raises(ValidationError, match="Only the incubator manager"):
        services.review_reassign(assignment=assignment, reviewer=reviewer2, actor=reviewer2)


@pytest.mark.parametrize("assignment", ["abc", "1.5", "99999999999999999999"])
def test_a_garbage_assignment_answers_404_and_changes_nothing(
    client, manager, reviewer, reviewer2, past_deadline, assignment
):
    old = ReviewAssignment.objects.create(application=submitted(past_deadline), reviewer=reviewer)
    client.force_login(manager)
    response = client.post(
        f"/en/innox/manage/seasons/{past_deadline.number}/reviews/",
        {"assignment": assignment, "reviewer": reviewer2.pk},
    )
    assert response.status_code == 404
    assert list(ReviewAssignment.objects.values_list("pk", "reviewer")) == [(old.pk, reviewer.pk)]


def test_another_seasons_assignment_answers_404(client, manager, reviewer, reviewer2, past_deadline):
    from .factories import SeasonFactory

    old = ReviewAssignment.objects.create(application=submitted(SeasonFactory()), reviewer=reviewer)
    client.force_login(manager)
    response = client.post(
        f"/en/innox/manage/seasons/{past_deadline.number}/reviews/", {"assignment": old.pk, "reviewer": reviewer2.pk}
    )
    assert response.status_code == 404
    assert ReviewAssignment.objects.get().reviewer == reviewer


def test_a_person_who_is_not_a_reviewer_is_not_offered(client, manager, reviewer, user, past_deadline):
    old = ReviewAssignment.objects.create(application=submitted(past_deadline), reviewer=reviewer)
    client.force_login(manager)
    response = client.post(
        f"/en/innox/manage/seasons/{past_deadline.number}/reviews/",
        {"assignment": old.pk, "reviewer": user.pk},
        follow=True,
    )
    assert "Choose the reviewer to assign." in response.content.decode()
    assert ReviewAssignment.objects.get().reviewer == reviewer


def test_a_decided_applications_unwritten_review_is_not_reassigned(manager, reviewer, reviewer2, past_deadline):
    """Rejected before the reviewer wrote: nothing is overdue and nobody new is asked to review it."""
    from incubator.models import Application

    application = submitted(past_deadline, status=Application.Status.REJECTED)
    assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    assert selectors.reviewer_progress(past_deadline)[0]["overdue"] == 0
    assert list(selectors.overdue_assignments(past_deadline)) == []
    with pytest.raises(ValidationError, match="cannot be reviewed in its current status"):
        services.review_reassign(assignment=assignment, reviewer=reviewer2, actor=manager)
    assert ReviewAssignment.objects.get().reviewer == reviewer
    assert not Notification.objects.filter(recipient=reviewer2).exists()


def test_reassigning_to_the_same_reviewer_is_refused(manager, reviewer, past_deadline):
    assignment = ReviewAssignment.objects.create(application=submitted(past_deadline), reviewer=reviewer)
    with pytest.raises(ValidationError, match="Choose another reviewer"):
        services.review_reassign(assignment=assignment, reviewer=reviewer, actor=manager)
    assert ReviewAssignment.objects.get().pk == assignment.pk
