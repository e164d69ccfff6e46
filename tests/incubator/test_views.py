import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from incubator import services
from incubator.models import Application, Investment, Review, Startup, Submission

from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    CompetitionFactory,
    InvestorFactory,
    ParticipantFactory,
    SeasonFactory,
    StartupFactory,
    application_form_data,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def login(client, user):
    client.force_login(user)
    return client


def _png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return buf.getvalue()


_form = application_form_data


# --- applying and uploads -------------------------------------------------------------------


def test_apply_requires_login(client, season):
    response = client.get("/en/innox/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/login/")


def test_apply_save_draft_then_submit_with_real_pdf(client, season, user):
    login(client, user)
    deck = SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post("/en/innox/apply/", _form(pitch_deck=deck))
    assert response.status_code == 302 and response["Location"] == "/en/innox/apply/"
    app = Application.objects.get()
    assert (app.status, app.team_name, app.pitch_deck.read()) == (S.DRAFT, "Aqlli Bogʻ", PDF_BYTES)
    assert list(app.members.values_list("email", flat=True)) == ["aziza@example.uz"]
    response = client.post("/en/innox/apply/", _form(action="submit"))
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert response["Location"] == f"/innox/my/{app.pk}/" or response["Location"].endswith(f"/innox/my/{app.pk}/")
    page = client.get(f"/en/innox/my/{app.pk}/").content.decode()
    assert '<span class="badge text-bg-primary" id="application-status">Submitted</span>' in page
    # read-only after submit: the form redirects to the detail page and nothing changes
    response = client.post("/en/innox/apply/", _form(team_name="Changed"))
    app.refresh_from_db()
    assert app.team_name == "Aqlli Bogʻ"


def test_image_renamed_pdf_is_refused(client, season, user):
    login(client, user)
    fake = SimpleUploadedFile("deck.pdf", _png_bytes(), content_type="application/pdf")
    response = client.post("/en/innox/apply/", _form(pitch_deck=fake))
    assert response.status_code == 200
    assert "This file is not a PDF, whatever its name says." in response.content.decode()
    assert Application.objects.count() == 0


def test_oversized_pdf_is_refused(client, season, user, settings):
    login(client, user)
    big = SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n" + b"0" * (settings.MAX_UPLOAD_SIZE + 1))
    response = client.post("/en/innox/apply/", _form(pitch_deck=big))
    assert response.status_code == 200
    assert "The file is too large (10.0\xa0MB). The limit is 10.0\xa0MB." in response.content.decode()
    assert Application.objects.count() == 0


def test_logo_that_pillow_cannot_open_is_refused(client, season, user):
    login(client, user)
    logo = SimpleUploadedFile("logo.png", b"this is not an image", content_type="image/png")
    response = client.post("/en/innox/apply/", _form(logo=logo))
    assert "This file is not an image. Upload a PNG, JPEG, WebP or GIF picture." in response.content.decode()
    assert Application.objects.count() == 0
    good = SimpleUploadedFile("logo.png", _png_bytes(), content_type="image/png")
    client.post("/en/innox/apply/", _form(logo=good))
    # Stored under a name the server chose (a random hex name and the detected format's extension).
    assert re.fullmatch(r"innox/logos/[0-9a-f]{32}\.png", Application.objects.get().logo.name)


def test_seven_members_in_the_form(client, season, user):
    login(client, user)
    data = _form(**{"members-TOTAL_FORMS": "7"})
    for i in range(7):
        data.update({f"members-{i}-name": f"P{i}", f"members-{i}-email": f"p{i}@example.uz"})
    response = client.post("/en/innox/apply/", data)
    assert "Please submit at most 6 forms." in response.content.decode()
    assert Application.objects.count() == 0


def test_late_submit_through_the_form(client, user):
    season = SeasonFactory()
    app = ApplicationFactory(season=season, applicant=user)
    login(client, user)
    season.application_closes = timezone.now() - datetime.timedelta(seconds=1)
    season.application_opens = timezone.now() - datetime.timedelta(days=3)
    season.save()
    response = client.post("/en/innox/apply/", _form(action="submit"))
    assert response.status_code == 302 and response["Location"] == "/en/innox/"
    app.refresh_from_db()
    assert app.status == S.DRAFT


# --- permission ladder ------------------------------------------------------------------------


@pytest.fixture
def submitted(season, user):
    return ApplicationFactory(season=season, applicant=user, status=S.SUBMITTED)


def test_applicant_ladder(client, submitted, user, other_user):
    url = f"/en/innox/my/{submitted.pk}/"
    assert client.get(url)["Location"].startswith("/en/account/login/")
    login(client, other_user)
    assert client.get(url).status_code == 404
    assert client.get(f"/en/innox/review/{submitted.pk}/").status_code == 404
    assert client.get(f"/en/innox/applications/{submitted.pk}/pitch-deck/").status_code == 404
    assert client.get("/en/innox/review/").status_code == 403
    assert client.get(f"/en/innox/manage/seasons/{submitted.season.number}/ranking/").status_code == 403
    client.logout()
    login(client, user)
    page = client.get(url).content.decode()
    assert f"<h1>{submitted.project_title}</h1>" in page
    assert client.get(f"/en/innox/applications/{submitted.pk}/pitch-deck/").status_code == 200


def test_reviewer_sees_pool_not_others_scores_until_own_review(client, submitted, manager, reviewer, reviewer2):
    services.reviewer_assign(application=submitted, reviewer=reviewer2, assigned_by=manager)
    criteria = list(submitted.season.criteria.all())
    services.review_submit(
        application=submitted, reviewer=reviewer2, scores={c.pk: 2 for c in criteria}, comment="Weak market"
    )
    login(client, reviewer)
    pool = client.get("/en/innox/review/pool/").content.decode()
    assert submitted.project_title in pool
    page = client.get(f"/en/innox/review/{submitted.pk}/").content.decode()
    assert "1 review so far." in page and "Weak market" not in page
    client.post(f"/en/innox/review/{submitted.pk}/pick/")
    data = {f"score_{c.pk}": "4" for c in criteria} | {"comment": "Strong team"}
    response = client.post(f"/en/innox/review/{submitted.pk}/", data)
    assert response.status_code == 302
    assert Review.objects.get(reviewer=reviewer).scores.count() == 3
    page = client.get(f"/en/innox/review/{submitted.pk}/").content.decode()
    assert "Weak market" in page and "Strong team" in page
    assert client.get(f"/en/innox/manage/seasons/{submitted.season.number}/ranking/").status_code == 403


def test_reviewer_with_conflict_gets_404(client, submitted, reviewer):
    login(client, reviewer)
    client.post(f"/en/innox/review/{submitted.pk}/conflict/", {"reason": "My brother's team"})
    assert client.get(f"/en/innox/review/{submitted.pk}/").status_code == 404
    assert submitted.project_title not in client.get("/en/innox/review/pool/").content.decode()
    criteria = submitted.season.criteria.all()
    response = client.post(f"/en/innox/review/{submitted.pk}/", {f"score_{c.pk}": "5" for c in criteria})
    assert response.status_code == 404
    assert Review.objects.count() == 0


def test_manager_bulk_accept_sends_email_in_applicant_language(client, season, manager, tasks):
    app = ApplicationFactory(season=season, status=S.UNDER_REVIEW, applicant__preferred_language="ru")
    login(client, manager)
    response = client.post(
        f"/en/innox/manage/seasons/{season.number}/ranking/",
        {"action": "accepted", "applications": [app.pk], "message": "Добро пожаловать"},
    )
    assert response.status_code == 302
    assert mail.outbox == []
    tasks()
    app.refresh_from_db()
    assert app.status == S.ACCEPTED
    assert [p.email for p in app.participants.all()] == [app.applicant.email]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"{season.title_ru}: статус вашей заявки — Принята"
    assert "Поздравляем!" in mail.outbox[0].body and "Добро пожаловать" in mail.outbox[0].body


def test_manager_exports_csv(client, season, manager, reviewer):
    app = ApplicationFactory(season=season, status=S.SUBMITTED, team_name="Tokcha")
    services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    scores = dict(zip([c.pk for c in season.criteria.order_by("order")], [5, 3, 4], strict=True))
    services.review_submit(application=app, reviewer=reviewer, scores=scores, comment="ok")
    login(client, manager)
    body = client.get(f"/en/innox/manage/seasons/{season.number}/applications.csv").content.decode("utf-8-sig")
    # weights 2, 2, 1 → (10 + 6 + 4) / 5 = 4.00
    assert body.splitlines()[1].endswith(",under_review," + body.splitlines()[1].split(",")[8] + ",1,4.00,0.00")
    reviews = client.get(f"/en/innox/manage/seasons/{season.number}/reviews.csv").content.decode("utf-8-sig")
    assert reviews.splitlines()[1].startswith(f"{app.pk},Tokcha,{reviewer.full_name},")
    assert reviews.splitlines()[1].endswith(",5,3,4,4.00,ok")


def test_manager_creates_startup_from_accepted_application(client, season, manager):
    app = ApplicationFactory(season=season, status=S.SHORTLISTED)
    services.application_accept(application=app, actor=manager)
    login(client, manager)
    response = client.post(
        f"/en/innox/manage/applications/{app.pk}/startup/",
        {"name": "SpaceAgro", "one_line_pitch": "Yield forecasts", "description": "", "is_public": "on"},
    )
    startup = Startup.objects.get()
    assert response["Location"].endswith("/innox/startups/spaceagro/")
    assert startup.application == app and [f.email for f in startup.founders.all()] == [app.applicant.email]
    ranking = client.get(f"/en/innox/manage/seasons/{season.number}/ranking/").content.decode()
    assert 'Accepted · <a href="/en/innox/startups/spaceagro/">Startup</a>' in ranking
    assert f"/innox/manage/applications/{app.pk}/startup/" not in ranking


# --- public pages and figures -----------------------------------------------------------------


def test_landing_shows_countdown_and_past_figures(client):
    now = timezone.now()
    past = SeasonFactory(
        number=1,
        title_en="Season One",
        application_opens=now - datetime.timedelta(days=400),
        application_closes=now - datetime.timedelta(days=370),
    )
    SeasonFactory(
        number=2,
        title_en="Season Two",
        application_opens=now - datetime.timedelta(days=1),
        application_closes=now + datetime.timedelta(days=3, hours=5, minutes=30),
    )
    ApplicationFactory.create_batch(3, season=past, status=S.REJECTED)
    ApplicationFactory(season=past)  # a draft does not count
    page = client.get("/en/innox/").content.decode()
    assert "Applications close in 3 days and 5 h" in page
    assert '<td class="text-end">3</td>' in page


def test_season_figures_computed_from_rows():
    from incubator.selectors import seasons_with_figures

    season = SeasonFactory()
    other = SeasonFactory()
    ApplicationFactory.create_batch(2, season=season, status=S.SUBMITTED)
    ApplicationFactory(season=season, status=S.WITHDRAWN)
    ApplicationFactory(season=season)  # draft
    ApplicationFactory(season=other, status=S.ACCEPTED)
    ParticipantFactory.create_batch(3, season=season)
    funded, unfunded = StartupFactory(season=season), StartupFactory(season=season)
    investor = InvestorFactory()
    for amount in ("100000000", "50000000"):
        services.investment_record(
            startup=funded,
            investor=investor,
            amount=Decimal(amount),
            currency="UZS",
            date=datetime.date(2025, 1, 1),
            kind="grant",
        )
    row = seasons_with_figures().get(pk=season.pk)
    assert (
        row.applications_count,
        row.participants_count,
        row.startups_count,
        row.funded_startups_count,
        row.investment_uzs,
    ) == (3, 3, 2, 1, Decimal("150000000.00"))
    o = seasons_with_figures().get(pk=other.pk)
    assert (
        o.applications_count,
        o.participants_count,
        o.startups_count,
        o.funded_startups_count,
        o.investment_uzs,
    ) == (1, 0, 0, 0, Decimal("0"))
    assert unfunded.investments.count() == 0


# --- query counts ---------------------------------------------------------------------------


def _startups(n, season):
    comp = CompetitionFactory()
    investor = InvestorFactory()
    for _ in range(n):
        s = StartupFactory(season=season)
        s.founders.add(ParticipantFactory(season=season), ParticipantFactory(season=season))
        Investment.objects.create(
            startup=s,
            investor=investor,
            amount=1,
            currency="UZS",
            date=datetime.date(2025, 1, 1),
            kind="grant",
            uzs_value=1,
        )
        Submission.objects.create(startup=s, competition=comp, deadline=datetime.date(2025, 1, 1), outcome="won")


@pytest.mark.parametrize("n", [1, 4])
def test_portfolio_query_count(client, django_assert_num_queries, n):
    _startups(n, SeasonFactory())
    with django_assert_num_queries(9):
        response = client.get("/en/innox/startups/?industry=agritech")
    assert response.content.decode().count('class="card h-100 innox-startup"') == n


@pytest.mark.parametrize("n", [1, 4])
def test_ranking_query_count(client, season, manager, reviewer, django_assert_num_queries, n):
    criteria = list(season.criteria.all())
    for _ in range(n):
        app = ApplicationFactory(season=season, status=S.SUBMITTED)
        services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
        services.review_submit(application=app, reviewer=reviewer, scores={c.pk: 3 for c in criteria})
    login(client, manager)
    # + the personal-data access record (security.audit), written on the request's connection
    with django_assert_num_queries(12):
        response = client.get(f"/en/innox/manage/seasons/{season.number}/ranking/")
    assert response.content.decode().count('name="applications" value=') == n


@pytest.mark.parametrize("n", [1, 4])
def test_my_applications_query_count(client, user, django_assert_num_queries, n):
    for _ in range(n):
        ApplicationFactory(applicant=user, status=S.SUBMITTED)
    login(client, user)
    with django_assert_num_queries(6):
        response = client.get("/en/innox/my/")
    assert response.content.decode().count("<td><a href=") == n


@pytest.mark.parametrize("n", [1, 4])
def test_reviewer_assignments_query_count(client, manager, reviewer, django_assert_num_queries, n):
    for _ in range(n):
        app = ApplicationFactory(status=S.SUBMITTED)
        services.reviewer_assign(application=app, reviewer=reviewer, assigned_by=manager)
    login(client, reviewer)
    with django_assert_num_queries(8):
        response = client.get("/en/innox/review/")
    assert response.content.decode().count("To do") == n


# --- e-mails in the applicant's language ------------------------------------------------------

EMAILS = {
    "uz": (
        "{season_uz}: arizangiz holati — Rad etilgan",
        "Hurmatli {name},",
        "“{project}” loyihasi bilan ariza topshirganingiz uchun rahmat ({season_uz}).",
        "/innox/my/{pk}/",
    ),
    "ru": (
        "{season_ru}: статус вашей заявки — Отклонена",
        "Здравствуйте, {name}!",
        "Спасибо за заявку на {season_ru} с проектом «{project}».",
        "/ru/innox/my/{pk}/",
    ),
    "en": (
        "{season_en}: your application is Rejected",
        "Dear {name},",
        "Thank you for applying to {season_en} with “{project}”.",
        "/en/innox/my/{pk}/",
    ),
}


@pytest.mark.parametrize("language", list(EMAILS))
def test_decision_email_in_each_language(client, season, manager, settings, language, tasks):
    app = ApplicationFactory(season=season, status=S.UNDER_REVIEW, applicant__preferred_language=language)
    login(client, manager)
    client.post(
        f"/en/innox/manage/seasons/{season.number}/ranking/",
        {"action": "rejected", "applications": [app.pk]},
    )
    tasks()
    values = {
        "season_uz": season.title_uz,
        "season_ru": season.title_ru,
        "season_en": season.title_en,
        "name": app.applicant.full_name,
        "project": app.project_title,
        "pk": app.pk,
    }
    subject, greeting, sentence, path = (part.format(**values) for part in EMAILS[language])
    [email] = mail.outbox
    assert email.to == [app.applicant.email]
    assert email.subject == subject
    assert email.body.startswith(greeting + "\n")
    assert sentence in email.body
    assert f"{settings.SITE_URL}{path}\n" in email.body


# --- public pages: odd input, the page cache, query counts ------------------------------------


def test_portfolio_keeps_valid_filters_when_another_is_garbage(client):
    season = SeasonFactory()
    StartupFactory(season=season, name="AgroDrip", industry="agritech", stage="mvp")
    StartupFactory(season=season, name="Ustoz AI", industry="edtech", stage="mvp")
    page = client.get("/en/innox/startups/?season=abc&industry=edtech&page=999").content.decode()
    assert "Ustoz AI" in page and "AgroDrip" not in page
    assert "1 startup</p>" in page
    page = client.get(f"/en/innox/startups/?season={season.number}&stage=no-such-stage").content.decode()
    assert "Ustoz AI" in page and "AgroDrip" in page


def test_landing_is_not_cached_just_before_the_deadline(client):
    now = timezone.now()
    SeasonFactory(
        application_opens=now - datetime.timedelta(days=9), application_closes=now + datetime.timedelta(days=2)
    )
    first, second = client.get("/en/innox/"), client.get("/en/innox/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")


def test_landing_near_the_deadline_is_rendered_afresh(client):
    now = timezone.now()
    SeasonFactory(
        application_opens=now - datetime.timedelta(days=9), application_closes=now + datetime.timedelta(seconds=60)
    )
    first = client.get("/en/innox/")
    assert "no-cache" in first["Cache-Control"] and "X-Page-Cache" not in first
    second = client.get("/en/innox/")
    assert "X-Page-Cache" not in second
    assert 'id="innox-apply"' in second.content.decode()


@pytest.mark.parametrize("n", [1, 4])
def test_landing_query_count(client, django_assert_num_queries, n):
    now = timezone.now()
    for i in range(n):
        past = SeasonFactory(
            application_opens=now - datetime.timedelta(days=400 + i),
            application_closes=now - datetime.timedelta(days=370 + i),
        )
        ApplicationFactory(season=past, status=S.REJECTED)
    SeasonFactory(
        application_opens=now - datetime.timedelta(days=1), application_closes=now + datetime.timedelta(days=9)
    )
    with django_assert_num_queries(4):  # the open season, the past seasons' figures, the savepoint pair
        response = client.get("/en/innox/")
    assert response.content.decode().count("?season=") == n


@pytest.mark.parametrize("n", [1, 4])
def test_investor_days_query_count(client, django_assert_num_queries, n):
    from incubator.models import InvestorDay

    season = SeasonFactory()
    organiser = InvestorFactory(name="Aloqa Venture")
    for i in range(n):
        day = InvestorDay.objects.create(
            title=f"Investor Day {i}", date=datetime.date(2025, 4, 18 - i), organiser=organiser
        )
        startups = [StartupFactory(season=season), StartupFactory(season=season)]
        day.pitched_startups.set(startups)
        for s in startups:
            Investment.objects.create(
                startup=s,
                investor=organiser,
                amount=20000,
                currency="USD",
                date=day.date,
                kind="equity",
                investor_day=day,
                uzs_value=Decimal("258800000"),
            )
    with django_assert_num_queries(4):
        response = client.get("/en/innox/investor-days/")
    assert response.content.decode().count("2 startups pitched") == n
    with django_assert_num_queries(5):
        page = client.get(f"/en/innox/investor-days/{day.pk}/").content.decode()
    assert page.count("20,000 USD") == 2 and page.count("258,800,000") == 2


@pytest.mark.parametrize("n", [1, 4])
def test_startup_detail_query_count(client, django_assert_num_queries, n):
    season = SeasonFactory()
    _startups(1, season)
    startup = Startup.objects.get()
    investor = InvestorFactory()
    for _ in range(n - 1):
        startup.founders.add(ParticipantFactory(season=season))
        Investment.objects.create(
            startup=startup,
            investor=investor,
            amount=2,
            currency="UZS",
            date=datetime.date(2025, 2, 1),
            kind="grant",
            uzs_value=2,
        )
    with django_assert_num_queries(6):
        page = client.get(f"/en/innox/startups/{startup.slug}/").content.decode()
    assert page.count("<td>Grant</td>") == n


@pytest.mark.parametrize("n", [1, 4])
def test_review_pool_query_count(client, reviewer, django_assert_num_queries, n):
    for _ in range(n):
        ApplicationFactory(status=S.SUBMITTED)
    login(client, reviewer)
    with django_assert_num_queries(8):
        response = client.get("/en/innox/review/pool/")
    assert response.content.decode().count(">Take it</button>") == n


# --- uploads ------------------------------------------------------------------------------------


def _bomb_png(width=100_000, height=100_000):
    """A PNG header claiming 10¹⁰ pixels: Pillow refuses it as a decompression bomb."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_decompression_bomb_logo_is_refused(client, season, user):
    login(client, user)
    logo = SimpleUploadedFile("logo.png", _bomb_png(), content_type="image/png")
    response = client.post("/en/innox/apply/", _form(logo=logo))
    assert response.status_code == 200
    content = response.content.decode()
    assert "This file is not an image." in content or "This image has too many pixels" in content
    assert Application.objects.count() == 0


def test_pitch_deck_name_is_not_guessable(client, season, user):
    login(client, user)
    deck = SimpleUploadedFile("Aqlli Bog pitch.pdf", PDF_BYTES, content_type="application/pdf")
    client.post("/en/innox/apply/", _form(pitch_deck=deck))
    name = Application.objects.get().pitch_deck.name
    assert name.startswith(f"innox/pitch-decks/{season.pk}/") and name.endswith(".pdf")
    assert "Aqlli" not in name and len(name.rsplit("/", 1)[1]) == len("0" * 32 + ".pdf")


def test_team_rows_need_name_and_email_together(client, season, user):
    login(client, user)
    data = _form(**{"members-TOTAL_FORMS": "3", "members-1-role": "Designer", "members-2-email": "x@example.uz"})
    page = client.post("/en/innox/apply/", data).content.decode()
    assert "Give this team member&#x27;s name." in page and "Give this team member&#x27;s e-mail." in page
    assert Application.objects.count() == 0
    data = _form(**{"members-TOTAL_FORMS": "3", "members-0-name": "", "members-0-email": "", "members-0-role": ""})
    page = client.post("/en/innox/apply/", data).content.decode()
    assert "List at least one team member (usually yourself)." in page
    assert Application.objects.count() == 0
    # empty extra rows are ignored
    client.post("/en/innox/apply/", _form(**{"members-TOTAL_FORMS": "6"}))
    assert list(Application.objects.get().members.values_list("email", flat=True)) == ["aziza@example.uz"]


# --- "My technopark" and withdrawing ------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 4])
def test_dashboard_shows_only_own_applications_in_fixed_queries(user, other_user, django_assert_num_queries, n):
    from incubator.selectors import dashboard_context

    SeasonFactory()  # open now
    for i in range(n):
        ApplicationFactory(applicant=user, status=S.REJECTED, project_title=f"Mine {i}", decision_message=f"Sorry {i}")
    ApplicationFactory(applicant=other_user, status=S.ACCEPTED, project_title="Someone else's")
    # applications, the open season, the person's startups, whether they are a mentor
    with django_assert_num_queries(4):
        context = dashboard_context(user)
    assert sorted(a.project_title for a in context["innox_applications"]) == [f"Mine {i}" for i in range(n)]
    assert context["innox_open_season"].is_open()


def test_dashboard_page_shows_status_and_decision(client, user, season):
    ApplicationFactory(
        applicant=user, season=season, status=S.REJECTED, project_title="Aqlli Bogʻ", decision_message="Next time"
    )
    login(client, user)
    page = client.get("/en/my/").content.decode()
    assert "Aqlli Bogʻ" in page and "Next time" in page
    assert 'innox-status innox-status-rejected">Rejected</span>' in page


def test_withdraw_through_the_page(client, user, season, django_capture_on_commit_callbacks):
    app = ApplicationFactory(applicant=user, season=season, status=S.UNDER_REVIEW)
    login(client, user)
    assert "Withdraw my application" in client.get(f"/en/innox/my/{app.pk}/").content.decode()
    # the withdrawal's commit refreshes the kept page (the test's own transaction never commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/innox/my/{app.pk}/withdraw/")
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN
    response = client.get(response.url)
    page = response.content.decode()
    assert "Your application has been withdrawn." in page and "Withdraw my application" not in page
    response = client.post(f"/en/innox/my/{app.pk}/withdraw/", follow=True)
    assert "Only a submitted application without a final decision can be withdrawn." in response.content.decode()
    assert list(app.history.values_list("to_status", flat=True)) == ["withdrawn"]
