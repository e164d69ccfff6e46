import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from incubator import services
from incubator.models import (
    Application,
    ConflictOfInterest,
    ExchangeRate,
    Investment,
    Participant,
    Review,
    ReviewAssignment,
    ReviewScore,
    StatusChange,
    TeamMember,
)
from tests.factories import UserFactory

from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    ExchangeRateFactory,
    InvestorFactory,
    SeasonFactory,
    StartupFactory,
)

pytestmark = pytest.mark.django_db

S = Application.Status


def _pdf():
    return SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")


DATA = {
    "team_name": "Aqlli Bogʻ",
    "project_title": "Smart irrigation",
    "problem": "Water is wasted.",
    "solution": "Soil sensors.",
    "industry": "agritech",
    "stage": "prototype",
}


def _members(n):
    return [{"name": f"Person {i}", "role": "Dev", "email": f"p{i}@example.uz"} for i in range(n)]


# --- draft and submit ---------------------------------------------------------------------


def test_save_draft_then_submit(season, user):
    app = services.application_save_draft(
        applicant=user, season=season, data=DATA, members=_members(2), pitch_deck=_pdf()
    )
    assert app.status == S.DRAFT
    assert list(app.members.order_by("email").values_list("email", flat=True)) == ["p0@example.uz", "p1@example.uz"]
    services.application_save_draft(
        applicant=user, season=season, data={**DATA, "team_name": "New"}, members=_members(3), application=app
    )
    app.refresh_from_db()
    assert app.team_name == "New" and app.members.count() == 3
    services.application_submit(application=app, actor=user)
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.submitted_at is not None
    assert list(app.history.values_list("from_status", "to_status", "actor")) == [("draft", "submitted", user.pk)]
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.application_save_draft(applicant=user, season=season, data=DATA, members=_members(1), application=app)


def test_late_submission_is_refused(season, user):
    app = ApplicationFactory(season=season, applicant=user)
    late = season.application_closes + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.application_submit(application=app, actor=user, now=late)
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.submitted_at is None
    assert StatusChange.objects.count() == 0


def test_submit_needs_pitch_deck(season, user):
    app = ApplicationFactory(season=season, applicant=user, pitch_deck="")
    with pytest.raises(ValidationError, match="pitch deck"):
        services.application_submit(application=app, actor=user)
    assert Application.objects.get().status == S.DRAFT


def test_second_application_in_same_season(season, user):
    ApplicationFactory(season=season, applicant=user)
    with pytest.raises(ValidationError, match="already have an application"):
        services.application_save_draft(applicant=user, season=season, data=DATA, members=_members(1))
    assert Application.objects.count() == 1
    with pytest.raises(IntegrityError):
        Application.objects.create(season=season, applicant=user, team_name="x", project_title="y")


def test_seven_team_members_refused(season, user):
    with pytest.raises(ValidationError, match="at most 6 members"):
        services.application_save_draft(applicant=user, season=season, data=DATA, members=_members(7))
    assert Application.objects.count() == 0 and TeamMember.objects.count() == 0


def test_draft_refused_when_season_closed(user):
    closed = SeasonFactory(
        application_opens=timezone.now() - datetime.timedelta(days=30),
        application_closes=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="closed"):
        services.application_save_draft(applicant=user, season=closed, data=DATA, members=_members(1))


def test_not_a_pdf_is_refused(season, user):
    png = SimpleUploadedFile("deck.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(ValidationError, match="not a PDF"):
        services.application_save_draft(applicant=user, season=season, data=DATA, members=_members(1), pitch_deck=png)
    assert Application.objects.count() == 0


def test_withdraw(season, user, other_user):
    app = ApplicationFactory(season=season, applicant=user, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="Only the applicant"):
        services.application_withdraw(application=app, actor=other_user)
    services.application_withdraw(application=app, actor=user)
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN
    assert list(app.history.values_list("from_status", "to_status")) == [("submitted", "withdrawn")]
    with pytest.raises(ValidationError, match="can be withdrawn"):
        services.application_withdraw(application=app, actor=user)


def test_withdraw_after_decision_refused(season, user):
    app = ApplicationFactory(season=season, applicant=user, status=S.ACCEPTED)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=app, actor=user)
    assert Application.objects.get().status == S.ACCEPTED


# --- review --------------------------------------------------------------------------------


def test_manager_assigns_reviewer_and_status_moves(season, manager, reviewer):
    app = ApplicationFactory(season=season, status=S.SUBMITTED)
    assignment = services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    assert assignment.assigned_by == manager
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW
    assert list(app.history.values_list("to_status", flat=True)) == ["under_review"]
    with pytest.raises(ValidationError, match="already assigned"):
        services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)


def test_assign_refuses_non_reviewer_and_non_manager(season, reviewer, reviewer2, user):
    app = ApplicationFactory(season=season, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="is not a reviewer"):
        services.reviewer_assign(application=app, reviewer=user, assigned_by=user)
    with pytest.raises(ValidationError, match="Only the incubator manager"):
        services.reviewer_assign(application=app, reviewer=reviewer2, assigned_by=reviewer)
    # picking from the pool is allowed
    services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=reviewer)
    assert ReviewAssignment.objects.filter(application=app, reviewer=reviewer).count() == 1


def test_review_submit_exact_scores(season, manager, reviewer):
    app = ApplicationFactory(season=season, status=S.SUBMITTED)
    services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    criteria = list(season.criteria.order_by("order"))
    review = services.review_submit(
        application=app,
        reviewer=reviewer,
        scores={c.pk: s for c, s in zip(criteria, [5, 3, 4], strict=True)},
        comment="Good team",
    )
    assert review.comment == "Good team"
    assert list(
        ReviewScore.objects.filter(review=review).order_by("criterion__order").values_list("score", flat=True)
    ) == [5, 3, 4]
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_submit(application=app, reviewer=reviewer, scores={c.pk: 3 for c in criteria})
    assert Review.objects.count() == 1


def test_review_score_out_of_range(season, manager, reviewer):
    app = ApplicationFactory(season=season, status=S.SUBMITTED)
    services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    criteria = list(season.criteria.all())
    scores = {c.pk: 3 for c in criteria}
    scores[criteria[0].pk] = 6
    with pytest.raises(ValidationError, match="between 1 and 5"):
        services.review_submit(application=app, reviewer=reviewer, scores=scores)
    scores[criteria[0].pk] = 0
    with pytest.raises(ValidationError, match="between 1 and 5"):
        services.review_submit(application=app, reviewer=reviewer, scores=scores)
    assert Review.objects.count() == 0 and ReviewScore.objects.count() == 0


def test_review_needs_assignment_and_no_conflict(season, manager, reviewer):
    app = ApplicationFactory(season=season, status=S.SUBMITTED)
    scores = {c.pk: 3 for c in season.criteria.all()}
    with pytest.raises(ValidationError, match="from the pool"):
        services.review_submit(application=app, reviewer=reviewer, scores=scores)
    services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    services.conflict_declare(application=app, reviewer=reviewer, reason="My cousin is in the team")
    assert ReviewAssignment.objects.count() == 0
    assert ConflictOfInterest.objects.get().reason == "My cousin is in the team"
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.review_submit(application=app, reviewer=reviewer, scores=scores)
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    assert Review.objects.count() == 0


# --- decisions -----------------------------------------------------------------------------


def test_decide_logs_history_and_emails_in_applicant_language(season, manager, tasks):
    ru = UserFactory(preferred_language="ru")
    uz = UserFactory(preferred_language="uz")
    app_ru = ApplicationFactory(season=season, applicant=ru, status=S.UNDER_REVIEW)
    app_uz = ApplicationFactory(season=season, applicant=uz, status=S.UNDER_REVIEW)
    services.application_decide(application=app_ru, actor=manager, decision=S.REJECTED, message="Next time!")
    services.application_decide(application=app_uz, actor=manager, decision=S.SHORTLISTED)
    assert mail.outbox == []  # the outbox holds them until a worker runs
    tasks()
    app_ru.refresh_from_db()
    assert app_ru.status == S.REJECTED and app_ru.decision_message == "Next time!"
    assert list(app_ru.history.values_list("from_status", "to_status", "actor", "note")) == [
        ("under_review", "rejected", manager.pk, "Next time!")
    ]
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == [ru.email]
    assert mail.outbox[0].subject == f"{app_ru.season.title_ru}: статус вашей заявки — Отклонена"
    assert "Next time!" in mail.outbox[0].body
    assert mail.outbox[1].to == [uz.email]
    assert mail.outbox[1].subject == f"{app_uz.season.title_uz}: arizangiz holati — Saralanganlar roʻyxatida"


def test_no_email_when_decision_fails(season, manager, tasks):
    app = ApplicationFactory(season=season, status=S.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.application_decide(application=app, actor=manager, decision=S.ACCEPTED)
    assert tasks() == 0
    assert mail.outbox == []
    assert StatusChange.objects.count() == 0


def test_only_manager_decides(season, reviewer):
    app = ApplicationFactory(season=season, status=S.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="Only the incubator manager"):
        services.application_decide(application=app, actor=reviewer, decision=S.ACCEPTED)
    assert Application.objects.get().status == S.UNDER_REVIEW


def test_accept_makes_team_participants(season, manager):
    member_user = UserFactory(email="member@example.uz")
    app = ApplicationFactory(season=season, status=S.SHORTLISTED, members=["member@example.uz", "guest@example.uz"])
    participants = services.application_accept(application=app, actor=manager, message="Welcome")
    assert sorted(p.email for p in participants) == sorted(
        [app.applicant.email, "member@example.uz", "guest@example.uz"]
    )
    by_email = {p.email: p for p in Participant.objects.all()}
    assert by_email["member@example.uz"].user == member_user
    assert by_email[app.applicant.email].user == app.applicant
    assert by_email["guest@example.uz"].user is None
    assert {p.season_id for p in participants} == {season.pk}
    assert Application.objects.get().status == S.ACCEPTED


def test_startup_from_accepted_application(season, manager, user):
    app = ApplicationFactory(season=season, status=S.UNDER_REVIEW, industry="edtech", stage="mvp")
    with pytest.raises(ValidationError, match="Only an accepted"):
        services.startup_create_from_application(application=app, actor=manager, name="X")
    services.application_accept(application=app, actor=manager)
    with pytest.raises(ValidationError, match="Only the incubator manager"):
        services.startup_create_from_application(application=app, actor=user, name="X")
    startup = services.startup_create_from_application(
        application=app, actor=manager, name="EduCompass", one_line_pitch="Choose a university"
    )
    assert (startup.slug, startup.industry, startup.stage, startup.season, startup.application) == (
        "educompass",
        "edtech",
        "mvp",
        season,
        app,
    )
    assert [p.email for p in startup.founders.all()] == [app.applicant.email]
    with pytest.raises(ValidationError, match="already created"):
        services.startup_create_from_application(application=app, actor=manager, name="Again")


# --- money ---------------------------------------------------------------------------------


def test_investment_usd_uses_rate_of_the_day():
    startup = StartupFactory()
    ExchangeRateFactory(date=datetime.date(2025, 4, 18), rate_to_uzs=Decimal("12940.00"))
    ExchangeRateFactory(date=datetime.date(2025, 4, 17), rate_to_uzs=Decimal("12000.00"))
    inv = services.investment_record(
        startup=startup,
        investor=InvestorFactory(),
        amount=Decimal("20000"),
        currency="USD",
        date=datetime.date(2025, 4, 18),
        kind="equity",
    )
    assert inv.uzs_value == Decimal("258800000.00")
    uzs = services.investment_record(
        startup=startup,
        investor=InvestorFactory(),
        amount=Decimal("150000000"),
        currency="UZS",
        date=datetime.date(2025, 3, 1),
        kind="grant",
    )
    assert uzs.uzs_value == Decimal("150000000.00")


def test_investment_without_rate_is_a_clear_error():
    with pytest.raises(ValidationError, match="no USD exchange rate for 19.04.2025"):
        services.investment_record(
            startup=StartupFactory(),
            investor=InvestorFactory(),
            amount=Decimal("100"),
            currency="USD",
            date=datetime.date(2025, 4, 19),
            kind="equity",
        )
    assert Investment.objects.count() == 0


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_investment_must_be_positive(amount):
    with pytest.raises(ValidationError, match="greater than zero"):
        services.investment_record(
            startup=StartupFactory(),
            investor=InvestorFactory(),
            amount=amount,
            currency="UZS",
            date=datetime.date(2025, 4, 19),
            kind="grant",
        )
    assert Investment.objects.count() == 0


def test_load_exchange_rates_command(tmp_path):
    data = [
        {
            "id": 69,
            "Code": "840",
            "Ccy": "USD",
            "CcyNm_UZ": "AQSH dollari",
            "Nominal": "1",
            "Rate": "12940.00",
            "Diff": "-9.43",
            "Date": "18.04.2025",
        },
        {
            "id": 21,
            "Code": "978",
            "Ccy": "EUR",
            "Nominal": "1",
            "Rate": "14712.51",
            "Diff": "3.1",
            "Date": "18.04.2025",
        },
        {"id": 57, "Code": "643", "Ccy": "RUB", "Nominal": "1", "Rate": "157.40", "Diff": "0.2", "Date": "18.04.2025"},
    ]
    path = tmp_path / "cbu.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("load_exchange_rates", str(path), stdout=out)
    assert out.getvalue().strip() == "Exchange rates: 3 created, 0 updated."
    assert ExchangeRate.objects.get(currency="USD", date=datetime.date(2025, 4, 18)).rate_to_uzs == Decimal(
        "12940.0000"
    )
    call_command("load_exchange_rates", str(path), "--currency", "USD", stdout=out)
    assert ExchangeRate.objects.count() == 3
