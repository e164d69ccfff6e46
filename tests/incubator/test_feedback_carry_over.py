"""Feedback for a rejected team (rubric averages per criterion and the comments reviewers marked
shareable, never a reviewer's name) and carrying the application over to the next open season as a
new draft with copies of its files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incubator import services
from incubator.models import Application, TeamMember
from tests.factories import UserFactory

from .accelerator import scored, submitted
from .factories import PDF_BYTES, SeasonFactory

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def rejected(season, manager):
    applicant = UserFactory(full_name="Kamola Yusupova")
    application = submitted(season, applicant=applicant, team_name="Tokcha", members=["dev@example.uz"])
    alice = UserFactory(full_name="Alisher Navoiy")
    bob = UserFactory(full_name="Bobur Mirzo")
    scored(
        application,
        alice,
        0,
        per_criterion={"Problem": 4, "Solution": 2, "Team": 3},
        comment="Alisher here: talk to farmers first.",
        shareable=True,
    )
    scored(
        application,
        bob,
        0,
        per_criterion={"Problem": 2, "Solution": 3, "Team": 5},
        comment="Private: the team seems weak.",
        shareable=False,
    )
    services.application_decide(application=application, actor=manager, decision=S.REJECTED)
    return application


def test_rejected_team_sees_rubric_averages_and_shareable_comments_only(client, rejected):
    client.force_login(rejected.applicant)
    page = client.get(f"/en/innox/my/{rejected.pk}/").content.decode()
    section = page[page.index('id="rubric-averages"') :]
    assert "Problem" in section and "3.0" in section and "2.5" in section and "4.0" in section
    assert "talk to farmers first." in page
    assert "the team seems weak" not in page
    assert "Alisher" not in page and "Bobur" not in page and "Navoiy" not in page


def test_no_feedback_before_a_rejection(client, season, reviewer):
    application = submitted(season)
    scored(application, reviewer, 4, comment="Nice work.", shareable=True)
    client.force_login(application.applicant)
    page = client.get(f"/en/innox/my/{application.pk}/").content.decode()
    assert 'id="rubric-averages"' not in page and "Nice work." not in page


def test_shareable_box_on_the_review_form(client, season, reviewer):
    from incubator.models import ReviewAssignment

    application = submitted(season)
    ReviewAssignment.objects.create(application=application, reviewer=reviewer)
    client.force_login(reviewer)
    data = {f"score_{c.pk}": 3 for c in season.criteria.all()}
    client.post(f"/en/innox/review/{application.pk}/", {**data, "comment": "Good.", "shareable": "on"})
    assert application.reviews.get().shareable is True


@pytest.fixture
def next_season(season):
    """The rejected application's season is closed; the next one is open."""
    now = timezone.now()
    season.application_opens = now - datetime.timedelta(days=60)
    season.application_closes = now - datetime.timedelta(days=30)
    season.save()
    return SeasonFactory(number=season.number + 1)


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_carry_over_makes_a_new_draft_with_copies_of_the_files(client, rejected, next_season, tasks):
    from django.core.files.base import ContentFile

    logo = _png()
    rejected.logo.save("logo.png", ContentFile(logo), save=False)
    rejected.save(update_fields=["logo"])
    client.force_login(rejected.applicant)
    page = client.get(f"/en/innox/my/{rejected.pk}/").content.decode()
    assert 'id="carry-over"' in page and next_season.title_en in page
    response = client.post(f"/en/innox/my/{rejected.pk}/carry-over/")
    assert response.status_code == 302 and response["Location"] == "/en/innox/apply/"
    copy = Application.objects.get(season=next_season)
    assert (copy.status, copy.team_name, copy.project_title, copy.applicant) == (
        S.DRAFT,
        "Tokcha",
        rejected.project_title,
        rejected.applicant,
    )
    assert copy.pitch_deck.name != rejected.pitch_deck.name
    assert copy.pitch_deck.read() == PDF_BYTES
    assert copy.logo.name != rejected.logo.name and copy.logo.read() == logo
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED and rejected.pitch_deck.read() == PDF_BYTES
    emails = set(TeamMember.objects.filter(application=copy).values_list("email", flat=True))
    assert emails == {rejected.applicant.email.lower(), "dev@example.uz"}
    # The applicant's own place is confirmed at once; the others are invited again for the new season.
    assert TeamMember.objects.get(application=copy, email="dev@example.uz").invited_at is not None
    # Deleting the old application's file leaves the copy's.
    rejected.pitch_deck.storage.delete(rejected.pitch_deck.name)
    copy.pitch_deck.open("rb")
    assert copy.pitch_deck.read() == PDF_BYTES


def test_carry_over_only_once_per_season(rejected, next_season):
    services.application_carry_over(application=rejected, actor=rejected.applicant)
    with pytest.raises(ValidationError, match="already have an application"):
        services.application_carry_over(application=rejected, actor=rejected.applicant)


def test_carry_over_needs_a_later_open_season(rejected):
    with pytest.raises(ValidationError, match="No later season is open"):
        services.application_carry_over(application=rejected, actor=rejected.applicant)


def test_only_a_rejected_application_and_only_its_applicant(client, season, next_season, user):
    accepted = submitted(season, status=S.ACCEPTED)
    with pytest.raises(ValidationError, match="Only a rejected application"):
        services.application_carry_over(application=accepted, actor=accepted.applicant)
    client.force_login(user)
    assert client.post(f"/en/innox/my/{accepted.pk}/carry-over/").status_code == 404
