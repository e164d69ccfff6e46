"""Demo data of InnoX; called by ``manage.py seed_demo``. Idempotent.

Scale 1 reproduces the press release: three seasons (2024–2025) with 503 applications,
140 selected participants, 82 startups, 29 of them with investment totalling
8,310,000,000 UZS, including the April 2025 Aloqa Venture Investor Day (SpaceAgro $20,000,
EduCompass $20,000, Tokcha $30,000); plus Season 4 open for applications now with no
submitted application yet. People: applicants ``youth_pool(503, offset=5300)``, extra team
members ``youth_pool(97, offset=5803)``.

``scale=N`` adds N − 1 more copies of the people-related rows (503 applications with their team
members, reviews, scores, history and 140 participants each) from ``youth_pool`` beyond
100000·k; their accepted teams do not become startups, so the money and the 82 startups stay
those of the press release. Each copy is skipped when it exists, so every run is idempotent and
a later run with a higher scale only adds the missing copies.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from technopark.models import User
from technopark.seed import YOUTH_EMAIL, analyze, youth_pool
from technopark.storage import private_storage

from .models import (
    Application,
    Competition,
    ExchangeRate,
    Investment,
    Investor,
    InvestorDay,
    Participant,
    Review,
    ReviewAssignment,
    ReviewScore,
    ScoreCriterion,
    Season,
    Startup,
    StatusChange,
    Submission,
    TeamMember,
)
from .seed_data.startups import IDEAS, STARTUPS
from .services import convert_to_uzs

APPLICANT_OFFSET = 5300
APPLICANTS = 503
EXTRA_OFFSET = 5803
EXTRAS = 97
REVIEWERS = ["reviewer@technopark.uz", "reviewer2@technopark.uz", "reviewer3@technopark.uz"]
MANAGER = "innox@technopark.uz"
DEMO_DECK = "innox/pitch-decks/demo/innox-pitch-deck.pdf"

# number: (applications, accepted teams = startups, participants, withdrawn)
SEASON_PLAN = {1: (150, 24, 40, 5), 2: (168, 27, 48, 6), 3: (185, 31, 52, 7)}

SEASONS = [
    {
        "number": 1,
        "title": ("InnoX 1-mavsum (bahor 2024)", "InnoX, 1-й сезон (весна 2024)", "InnoX Season 1 (spring 2024)"),
        "opens": datetime.datetime(2024, 2, 1, 9, 0),
        "closes": datetime.datetime(2024, 3, 1, 18, 0),
        "start": datetime.date(2024, 3, 18),
        "end": datetime.date(2024, 6, 28),
    },
    {
        "number": 2,
        "title": ("InnoX 2-mavsum (kuz 2024)", "InnoX, 2-й сезон (осень 2024)", "InnoX Season 2 (autumn 2024)"),
        "opens": datetime.datetime(2024, 8, 15, 9, 0),
        "closes": datetime.datetime(2024, 9, 16, 18, 0),
        "start": datetime.date(2024, 10, 1),
        "end": datetime.date(2025, 1, 31),
    },
    {
        "number": 3,
        "title": ("InnoX 3-mavsum (bahor 2025)", "InnoX, 3-й сезон (весна 2025)", "InnoX Season 3 (spring 2025)"),
        "opens": datetime.datetime(2025, 1, 20, 9, 0),
        "closes": datetime.datetime(2025, 2, 20, 18, 0),
        "start": datetime.date(2025, 3, 3),
        "end": datetime.date(2025, 6, 27),
    },
]
SEASON_DESCRIPTION = (
    "Toʻrt oylik inkubatsiya: mentorlar, FabLabʼda prototip, investorlar oldida taqdimot.",
    "Четыре месяца инкубации: наставники, прототип в FabLab, питч перед инвесторами.",
    "Four months of incubation: mentors, a prototype in the FabLab, a pitch to investors.",
)
CRITERIA = [
    (("Muammo", "Проблема", "Problem"), 2),
    (("Yechim", "Решение", "Solution"), 2),
    (("Jamoa", "Команда", "Team"), 2),
    (("Bozor", "Рынок", "Market"), 1),
    (("Amalga oshirish imkoniyati", "Реализуемость", "Feasibility"), 1),
]

# English name: (kind, website, Uzbek and Russian names). An organisation's name is translated; a
# person's name and a fund's, a company's or an award's own name are written the same in every
# language (None).
INVESTORS = {
    "Aloqa Venture": ("fund", "https://aloqaventure.uz", None),
    "Tumar Venture Fund": ("fund", "", None),
    "IT Park Uzbekistan": ("government", "https://it-park.uz", None),
    "Agency for Innovative Development": (
        "government",
        "",
        ("Innovatsion rivojlanish agentligi", "Агентство инновационного развития"),
    ),
    "Youth Affairs Agency": (
        "government",
        "https://yoshlar.gov.uz",
        ("Yoshlar ishlari agentligi", "Агентство по делам молодёжи"),
    ),
    "Andijan Regional Administration": (
        "government",
        "",
        ("Andijon viloyati hokimligi", "Хокимият Андижанской области"),
    ),
    "President Tech Award": ("government", "", None),
    "Ministry of Ecology": ("government", "", ("Ekologiya vazirligi", "Министерство экологии")),
    "Artel Electronics": ("corporate", "https://artelgroup.com", None),
    "Farhod Yoʻldoshev": ("angel", "", None),
    "Sardor Ismoilov": ("angel", "", None),
}

# USD rates (UZS per dollar) of the days USD money arrived.
USD_RATES = {
    datetime.date(2024, 11, 20): Decimal("12820.00"),
    datetime.date(2025, 4, 18): Decimal("12940.00"),
    datetime.date(2025, 6, 10): Decimal("12790.00"),
}
INVESTOR_DAY_DATE = datetime.date(2025, 4, 18)
INVESTOR_DAY_VENUE = (
    "Andijon yoshlar texnoparki, konferensiya zali",
    "Андижанский молодёжный технопарк, конференц-зал",
    "Andijan Youth Technopark, conference hall",
)

# (startup, investor, amount, currency, date, kind, at the investor day)
INVESTMENTS = [
    ("Paxta Monitor", "Tumar Venture Fund", "600000000", "UZS", (2024, 7, 10), "equity", False),
    ("Bozor24", "Farhod Yoʻldoshev", "400000000", "UZS", (2024, 8, 5), "equity", False),
    ("MedNavbat", "IT Park Uzbekistan", "350000000", "UZS", (2024, 7, 25), "grant", False),
    ("Tez Usta", "Sardor Ismoilov", "300000000", "UZS", (2024, 9, 12), "convertible", False),
    ("RoboKids", "President Tech Award", "250000000", "UZS", (2024, 11, 28), "prize", False),
    ("CNC Mebel", "Artel Electronics", "500000000", "UZS", (2024, 10, 3), "equity", False),
    ("Hisobchi", "IT Park Uzbekistan", "200000000", "UZS", (2024, 7, 25), "grant", False),
    ("Ustoz AI", "Agency for Innovative Development", "180000000", "UZS", (2024, 8, 20), "grant", False),
    ("AgroDrip", "Andijan Regional Administration", "120000000", "UZS", (2024, 6, 20), "grant", False),
    ("EcoPlast", "Ministry of Ecology", "100000000", "UZS", (2025, 8, 28), "prize", False),
    ("AgroBozor", "Sardor Ismoilov", "15000", "USD", (2024, 11, 20), "equity", False),
    ("Atlas Textile", "Agency for Innovative Development", "300000000", "UZS", (2025, 2, 14), "grant", False),
    ("CodeCamp Andijon", "IT Park Uzbekistan", "250000000", "UZS", (2025, 1, 22), "grant", False),
    ("DentaLine", "Farhod Yoʻldoshev", "220000000", "UZS", (2025, 2, 5), "convertible", False),
    ("MediScan", "President Tech Award", "150000000", "UZS", (2025, 5, 30), "prize", False),
    ("PrintLab", "Artel Electronics", "450000000", "UZS", (2025, 3, 12), "equity", False),
    ("Handmade Andijan", "Andijan Regional Administration", "200000000", "UZS", (2025, 1, 30), "grant", False),
    ("Mevali", "Tumar Venture Fund", "175000000", "UZS", (2025, 4, 2), "convertible", False),
    ("BioOʻgʻit", "Andijan Regional Administration", "125000000", "UZS", (2025, 1, 30), "grant", False),
    ("SpaceAgro", "Agency for Innovative Development", "150000000", "UZS", (2025, 3, 20), "grant", False),
    ("SpaceAgro", "Aloqa Venture", "20000", "USD", (2025, 4, 18), "equity", True),
    ("EduCompass", "Aloqa Venture", "20000", "USD", (2025, 4, 18), "equity", True),
    ("Tokcha", "Aloqa Venture", "30000", "USD", (2025, 4, 18), "equity", True),
    ("Savdo CRM", "Tumar Venture Fund", "50000", "USD", (2025, 6, 10), "equity", False),
    ("Shifokor Online", "IT Park Uzbekistan", "300000000", "UZS", (2025, 5, 15), "grant", False),
    ("DroneSpray", "Agency for Innovative Development", "250000000", "UZS", (2025, 6, 5), "grant", False),
    ("TestPro", "Farhod Yoʻldoshev", "200000000", "UZS", (2025, 7, 1), "equity", False),
    ("KidsCode", "IT Park Uzbekistan", "180000000", "UZS", (2025, 5, 15), "grant", False),
    ("AgroSensor", "Youth Affairs Agency", "150000000", "UZS", (2025, 5, 20), "prize", False),
    ("SmartFerma", "Agency for Innovative Development", "472400000", "UZS", (2025, 6, 25), "grant", False),
]
PITCHED_AT_INVESTOR_DAY = [
    "SpaceAgro",
    "EduCompass",
    "Tokcha",
    "AgroSensor",
    "Shifokor Online",
    "Nonvoy",
    "ZamonPay",
    "Savdo CRM",
]

# Organisers uz/ru/en (a fund's own name is written the same in every language).
YOUTH_AFFAIRS_AGENCY = ("Yoshlar ishlari agentligi", "Агентство по делам молодёжи", "Youth Affairs Agency")

# slug: (names uz/ru/en, kind, organiser uz/ru/en, url)
COMPETITIONS = {
    "president-tech-award": (
        ("President Tech Award", "President Tech Award", "President Tech Award"),
        "competition",
        (
            "Oʻzbekiston Respublikasi Raqamli texnologiyalar vazirligi",
            "Министерство цифровых технологий Республики Узбекистан",
            "Ministry of Digital Technologies of Uzbekistan",
        ),
        "https://presidenttechaward.uz",
    ),
    "academic-mobility": (
        ("Akademik mobillik", "Академическая мобильность", "Academic Mobility"),
        "grant_programme",
        (
            "Oliy taʼlim, fan va innovatsiyalar vazirligi",
            "Министерство высшего образования, науки и инноваций",
            "Ministry of Higher Education, Science and Innovation",
        ),
        "",
    ),
    "tumar-venture-fund": (
        ("Tumar Venture Fund", "Tumar Venture Fund", "Tumar Venture Fund"),
        "grant_programme",
        ("Tumar Venture Fund", "Tumar Venture Fund", "Tumar Venture Fund"),
        "",
    ),
    "future-scientist": (
        ("Kelajak olimi", "Будущий учёный", "Future Scientist"),
        "competition",
        YOUTH_AFFAIRS_AGENCY,
        "",
    ),
    "ecoexpo-2025": (
        ("EcoExpo 2025", "EcoExpo 2025", "EcoExpo 2025"),
        "competition",
        (
            "Ekologiya, atrof-muhitni muhofaza qilish va iqlim oʻzgarishi vazirligi",
            "Министерство экологии, охраны окружающей среды и изменения климата",
            "Ministry of Ecology, Environmental Protection and Climate Change",
        ),
        "",
    ),
    "aloqa-venture": (
        ("Aloqa Venture", "Aloqa Venture", "Aloqa Venture"),
        "grant_programme",
        ("Aloqa Venture", "Aloqa Venture", "Aloqa Venture"),
        "https://aloqaventure.uz",
    ),
}
# (startup, competition slug, deadline, outcome, award UZS or None)
SUBMISSIONS = [
    ("RoboKids", "president-tech-award", (2024, 10, 15), "won", "250000000"),
    ("Paxta Monitor", "president-tech-award", (2024, 10, 15), "shortlisted", None),
    ("Ustoz AI", "president-tech-award", (2024, 10, 15), "not_selected", None),
    ("MediScan", "president-tech-award", (2025, 4, 30), "won", "150000000"),
    ("SpaceAgro", "president-tech-award", (2025, 4, 30), "shortlisted", None),
    ("Ovoz", "president-tech-award", (2025, 4, 30), "not_selected", None),
    ("EduCompass", "academic-mobility", (2025, 3, 1), "won", None),
    ("TilMaster", "academic-mobility", (2024, 5, 10), "won", None),
    ("IlmHub", "academic-mobility", (2025, 3, 1), "shortlisted", None),
    ("Darsona", "academic-mobility", (2024, 12, 1), "not_selected", None),
    ("Paxta Monitor", "tumar-venture-fund", (2024, 6, 1), "won", "600000000"),
    ("Mevali", "tumar-venture-fund", (2025, 3, 1), "won", "175000000"),
    ("Savdo CRM", "tumar-venture-fund", (2025, 5, 15), "won", "639500000"),
    ("Bozor24", "tumar-venture-fund", (2024, 6, 1), "not_selected", None),
    ("Tokcha", "tumar-venture-fund", (2025, 5, 15), "shortlisted", None),
    ("AgroSensor", "future-scientist", (2025, 4, 20), "won", "150000000"),
    ("Qadam", "future-scientist", (2025, 4, 20), "shortlisted", None),
    ("GidroPonika", "future-scientist", (2025, 4, 20), "not_selected", None),
    ("AquaFish", "future-scientist", (2024, 12, 15), "not_selected", None),
    ("EcoPlast", "ecoexpo-2025", (2025, 7, 31), "won", "100000000"),
    ("SolarDry", "ecoexpo-2025", (2025, 7, 31), "won", None),
    ("GreenBox", "ecoexpo-2025", (2025, 7, 31), "shortlisted", None),
    ("QuyoshUy", "ecoexpo-2025", (2025, 7, 31), "shortlisted", None),
    ("Chiqindi Yoʻq", "ecoexpo-2025", (2025, 7, 31), "not_selected", None),
    ("SpaceAgro", "aloqa-venture", (2025, 3, 31), "won", "258800000"),
    ("EduCompass", "aloqa-venture", (2025, 3, 31), "won", "258800000"),
    ("Tokcha", "aloqa-venture", (2025, 3, 31), "won", "388200000"),
    ("Nonvoy", "aloqa-venture", (2025, 3, 31), "not_selected", None),
    ("ZamonPay", "aloqa-venture", (2025, 3, 31), "shortlisted", None),
]

DECISION_ACCEPTED = "Tabriklaymiz! Jamoangiz InnoX mavsumiga qabul qilindi. Tanishuv uchrashuvi haqida xabar beramiz."
DECISION_REJECTED = "Bu safar joy taklif qila olmaymiz. Keyingi mavsumga albatta ariza topshiring."
REVIEW_COMMENTS = [
    "Muammo aniq, lekin bozor hajmi asoslanmagan.",
    "Kuchli jamoa, prototipni FabLabʼda sinab koʻrish kerak.",
    "Yechim qiziqarli, raqobatchilar tahlili yetarli emas.",
    "Andijon viloyati uchun dolzarb loyiha.",
    "Moliya modeli zaif, mijozlar bilan suhbatlar kerak.",
]


def _aware(dt: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(dt)


def _tr(prefix: str, values) -> dict:
    uz, ru, en = values
    return {prefix: uz, f"{prefix}_uz": uz, f"{prefix}_ru": ru, f"{prefix}_en": en}


def _demo_deck() -> str:
    if not private_storage().exists(DEMO_DECK):
        pdf = (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n"
        )
        private_storage().save(DEMO_DECK, ContentFile(pdf))
    return DEMO_DECK


def seed_seasons() -> dict[int, Season]:
    seasons = {}
    for spec in SEASONS:
        season, _ = Season.objects.update_or_create(
            number=spec["number"],
            defaults={
                **_tr("title", spec["title"]),
                **_tr("description", SEASON_DESCRIPTION),
                "application_opens": _aware(spec["opens"]),
                "application_closes": _aware(spec["closes"]),
                "programme_start": spec["start"],
                "programme_end": spec["end"],
            },
        )
        seasons[season.number] = season
    today = timezone.localdate()
    # Season 4 is open now; its window is set once, relative to the day the seed first runs.
    season4, _ = Season.objects.get_or_create(
        number=4,
        defaults={
            **_tr(
                "title",
                ("InnoX 4-mavsum (qish 2027)", "InnoX, 4-й сезон (зима 2027)", "InnoX Season 4 (winter 2027)"),
            ),
            **_tr("description", SEASON_DESCRIPTION),
            "application_opens": _aware(
                datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time(9))
            ),
            "application_closes": _aware(
                datetime.datetime.combine(today + datetime.timedelta(days=21), datetime.time(18))
            ),
            "programme_start": datetime.date(2027, 1, 11),
            "programme_end": datetime.date(2027, 5, 28),
        },
    )
    seasons[4] = season4
    for season in seasons.values():
        for order, (names, weight) in enumerate(CRITERIA):
            ScoreCriterion.objects.update_or_create(
                season=season, order=order, defaults={**_tr("name", names), "weight": weight}
            )
    return seasons


def seed_money_and_competitions():
    for day, rate in USD_RATES.items():
        ExchangeRate.objects.update_or_create(currency="USD", date=day, defaults={"rate_to_uzs": rate})
    for name_en, (kind, website, translated) in INVESTORS.items():
        _seed_investor((*(translated or (name_en, name_en)), name_en), kind=kind, website=website)
    for slug, (names, kind, organiser, url) in COMPETITIONS.items():
        Competition.objects.update_or_create(
            slug=slug, defaults={**_tr("name", names), "kind": kind, **_tr("organiser", organiser), "url": url}
        )
    _seed_investor_day()


def _seed_investor(names: tuple[str, str, str], *, kind: str, website: str) -> Investor:
    """Found by its English name, or by the one name it had before names were translated (then
    in the Uzbek column: migration 0009), so a run on an older database renames, never doubles."""
    uz, _ru, en = names
    investor = Investor.objects.filter(Q(name_en=en) | Q(name_uz=en) | Q(name_uz=uz)).first() or Investor()
    for field, value in {**_tr("name", names), "kind": kind, "website": website}.items():
        setattr(investor, field, value)
    investor.save()
    return investor


def _seed_investor_day() -> InvestorDay:
    """The April 2025 Investor Day, its texts written again on every run (its startups and money
    come with the startups, once)."""
    day, _ = InvestorDay.objects.update_or_create(
        date=INVESTOR_DAY_DATE,
        organiser=Investor.objects.get(name_en="Aloqa Venture"),
        defaults={
            **_tr(
                "title",
                (
                    "InnoX investorlar kuni — Aloqa Venture (2025-yil aprel)",
                    "День инвесторов InnoX — Aloqa Venture (апрель 2025)",
                    "InnoX Investor Day — Aloqa Venture (April 2025)",
                ),
            ),
            **_tr(
                "description",
                (
                    "InnoX 3-mavsum startaplari Aloqa Venture investorlari oldida loyihalarini taqdim etdi.",
                    "Стартапы 3-го сезона InnoX представили проекты инвесторам Aloqa Venture.",
                    "The startups of InnoX Season 3 pitched to the investors of Aloqa Venture.",
                ),
            ),
            **_tr("venue", INVESTOR_DAY_VENUE),
        },
    )
    return day


def _spread(n: int, k: int) -> list[int]:
    """k indexes spread evenly over range(n)."""
    return [(i * n) // k for i in range(k)]


def _score(i: int, reviewer: int, criterion: int, accepted: bool) -> int:
    """Deterministic demo scores that differ between teams and reviewers: selected teams
    mostly 3–5, the others mostly 1–4."""
    if accepted:
        return (3, 4, 5, 4, 5, 5, 4)[(i * 3 + reviewer * 2 + criterion) % 7]
    return (1, 2, 3, 2, 4, 3, 1, 2, 3)[(i * 5 + reviewer * 4 + criterion * 2) % 9]


def _seed_applications(
    *,
    season: Season,
    applicants: list[User],
    extras: list[User],
    accepted_count: int,
    withdrawn_count: int,
    extras_for_accepted: int,
    reviewers: list[User],
    manager: User,
    deck: str,
    startup_specs: list[tuple] | None,
    index_base: int = 0,
) -> dict:
    n = len(applicants)
    accepted_idx = set(_spread(n, accepted_count)) if accepted_count else set()
    others = [i for i in range(n) if i not in accepted_idx]
    withdrawn_idx = set(others[3 : 3 + withdrawn_count * 7 : 7][:withdrawn_count])
    opens, closes = season.application_opens, season.application_closes
    window = (closes - opens).total_seconds()
    decided_at = closes + datetime.timedelta(days=20)
    startup_specs = startup_specs or []
    accepted_order = sorted(accepted_idx)
    apps = []
    for i, person in enumerate(applicants):
        submitted = opens + datetime.timedelta(seconds=int(window * ((i * 37) % 100 + 1) / 102))
        if i in accepted_idx:
            spec = startup_specs[accepted_order.index(i)] if startup_specs else None
            status = Application.Status.ACCEPTED
        elif i in withdrawn_idx:
            spec, status = None, Application.Status.WITHDRAWN
        else:
            spec, status = None, Application.Status.REJECTED
        if spec:
            _s, name, industry, stage, pitch_uz, _ru, _en = spec
            team, title = name, pitch_uz
            problem = f"{pitch_uz}: Andijon viloyatida bunday xizmat hali yoʻq yoki juda qimmat."
            solution = f"{name} jamoasi arzon va qulay yechim taklif qiladi: {pitch_uz.lower()}."
        else:
            industry, stage, title, problem, solution = IDEAS[(i + index_base) % len(IDEAS)]
            team = f"{person.full_name.split(' ')[-1]} jamoasi"
        apps.append(
            Application(
                season=season,
                applicant=person,
                team_name=team,
                project_title=title,
                problem=problem,
                solution=solution,
                industry=industry,
                stage=stage,
                pitch_deck=deck,
                status=status,
                created_at=submitted - datetime.timedelta(days=2),
                submitted_at=submitted,
                decision_message=(
                    DECISION_ACCEPTED
                    if status == Application.Status.ACCEPTED
                    else DECISION_REJECTED
                    if status == Application.Status.REJECTED
                    else ""
                ),
            )
        )
    Application.objects.bulk_create(apps, batch_size=500)

    # Team members: the applicant leads; extra members join accepted teams first, then others.
    members, team_of = [], {}
    for i, app in enumerate(apps):
        members.append(
            TeamMember(application=app, name=applicants[i].full_name, role="Jamoa sardori", email=applicants[i].email)
        )
        team_of[i] = [applicants[i]]
    roles = ["Dasturchi", "Dizayner", "Marketolog", "Muhandis"]
    for k, person in enumerate(extras):
        i = accepted_order[k % len(accepted_order)] if k < extras_for_accepted else others[k * 5 % len(others)]
        members.append(TeamMember(application=apps[i], name=person.full_name, role=roles[k % 4], email=person.email))
        team_of[i].append(person)
    TeamMember.objects.bulk_create(members, batch_size=1000)

    # History, reviews and scores.
    criteria = list(season.criteria.order_by("order"))
    history, assignments, reviews, review_meta = [], [], [], []
    for i, app in enumerate(apps):
        history.append(
            StatusChange(
                application=app, actor=app.applicant, from_status="draft", to_status="submitted", at=app.submitted_at
            )
        )
        if app.status == Application.Status.WITHDRAWN:
            history.append(
                StatusChange(
                    application=app,
                    actor=app.applicant,
                    from_status="submitted",
                    to_status="withdrawn",
                    at=closes + datetime.timedelta(days=3),
                )
            )
            continue
        first = closes + datetime.timedelta(days=1 + i % 5)
        history.append(
            StatusChange(application=app, actor=manager, from_status="submitted", to_status="under_review", at=first)
        )
        history.append(
            StatusChange(
                application=app,
                actor=manager,
                from_status="under_review",
                to_status=app.status,
                at=decided_at,
                note=app.decision_message,
            )
        )
        for r in range(2):
            reviewer_no = (i + r) % len(reviewers)
            reviewer = reviewers[reviewer_no]
            at = first + datetime.timedelta(days=2 + r * 3)
            assignments.append(
                ReviewAssignment(application=app, reviewer=reviewer, assigned_at=first, assigned_by=manager)
            )
            reviews.append(
                Review(
                    application=app,
                    reviewer=reviewer,
                    comment=REVIEW_COMMENTS[(i + r) % len(REVIEW_COMMENTS)],
                    submitted_at=at,
                )
            )
            review_meta.append((i, reviewer_no, app.status == Application.Status.ACCEPTED))
    StatusChange.objects.bulk_create(history, batch_size=1000)
    ReviewAssignment.objects.bulk_create(assignments, batch_size=1000)
    Review.objects.bulk_create(reviews, batch_size=1000)
    scores = [
        ReviewScore(review=review, criterion=c, score=_score(i, rno, ci, acc))
        for review, (i, rno, acc) in zip(reviews, review_meta, strict=True)
        for ci, c in enumerate(criteria)
    ]
    ReviewScore.objects.bulk_create(scores, batch_size=2000)

    # Participants: everyone in an accepted team.
    participants = []
    for i in accepted_order:
        for person in team_of[i]:
            participants.append(
                Participant(season=season, user=person, name=person.full_name, email=person.email, application=apps[i])
            )
    Participant.objects.bulk_create(participants, batch_size=1000)
    return {"apps": apps, "accepted": [apps[i] for i in accepted_order], "reviews": len(reviews)}


def _seed_startups(season: Season, accepted: list[Application], specs: list[tuple]) -> dict[str, Startup]:
    from django.utils.text import slugify

    created = {}
    founders = {}
    for p in Participant.objects.filter(application__in=accepted):
        founders.setdefault(p.application_id, []).append(p)
    for app, spec in zip(accepted, specs, strict=True):
        _s, name, industry, stage, uz, ru, en = spec
        n = season.number
        description_uz = (
            f"{uz}. {name} jamoasi InnoX {n}-mavsumida inkubatsiyadan oʻtdi, mahsulotini Andijon yoshlar "
            "texnoparki mentorlari bilan sinab koʻrdi va birinchi mijozlarini Andijon viloyatida topdi."
        )
        startup = Startup.objects.create(
            name=name,
            slug=slugify(name.replace("'", "")),
            one_line_pitch=uz,
            one_line_pitch_uz=uz,
            one_line_pitch_ru=ru,
            one_line_pitch_en=en,
            description=description_uz,
            description_uz=description_uz,
            description_ru=(
                f"{ru}. Команда {name} прошла инкубацию в {n}-м сезоне InnoX, проверила продукт вместе с "
                "наставниками Андижанского молодёжного технопарка и нашла первых клиентов в Андижанской области."
            ),
            description_en=(
                f"{en}. The {name} team went through InnoX Season {n}, tested its product with the mentors of the "
                "Andijan Youth Technopark and found its first customers in Andijan region."
            ),
            industry=industry,
            stage=stage,
            season=season,
            application=app,
            is_public=True,
            created_at=timezone.make_aware(datetime.datetime.combine(season.programme_start, datetime.time(10))),
        )
        startup.founders.set(founders.get(app.pk, []))
        created[name] = startup
    return created


def _seed_investments(startups: dict[str, Startup]) -> None:
    investors = {i.name_en: i for i in Investor.objects.all()}
    day = InvestorDay.objects.get(date=INVESTOR_DAY_DATE, organiser=investors["Aloqa Venture"])
    day.pitched_startups.set([startups[name] for name in PITCHED_AT_INVESTOR_DAY])
    rows = []
    for name, investor, amount, currency, ymd, kind, at_day in INVESTMENTS:
        date = datetime.date(*ymd)
        amount = Decimal(amount)
        rate = USD_RATES[date] if currency == "USD" else Decimal("1")
        rows.append(
            Investment(
                startup=startups[name],
                investor=investors[investor],
                amount=amount,
                currency=currency,
                date=date,
                kind=kind,
                investor_day=day if at_day else None,
                uzs_value=convert_to_uzs(amount, rate),
            )
        )
    Investment.objects.bulk_create(rows)
    competitions = {c.slug: c for c in Competition.objects.all()}
    Submission.objects.bulk_create(
        Submission(
            startup=startups[name],
            competition=competitions[slug],
            deadline=datetime.date(*ymd),
            outcome=outcome,
            award_amount=Decimal(award) if award else None,
        )
        for name, slug, ymd, outcome, award in SUBMISSIONS
    )


def _seed_youth_draft(season4: Season) -> None:
    youth = User.objects.filter(email=YOUTH_EMAIL).first()
    if youth is None:
        return
    app, created = Application.objects.get_or_create(
        season=season4,
        applicant=youth,
        defaults={
            "team_name": "Aqlli Bogʻ",
            "project_title": "Bogʻlar uchun aqlli sugʻorish tizimi",
            "problem": "Andijon bogʻlarida suv koʻp isrof boʻladi, fermerlar sugʻorish vaqtini taxminan belgilaydi.",
            "solution": "Tuproq namligi sensori va Telegram bot: suv kerak boʻlganda xabar beradi.",
            "industry": "agritech",
            "stage": "prototype",
        },
    )
    if created:
        TeamMember.objects.create(application=app, name=youth.full_name, role="Jamoa sardori", email=youth.email)


def _seed_people_block(*, seasons: dict[int, Season], k: int, reviewers, manager, deck) -> dict | None:
    """One copy of the press release's people: 503 applicants with their team members,
    reviews, decisions and participants. Block 0 is the press-release set (its accepted teams
    become the 82 startups); block k ≥ 1 (``--scale``) uses ``youth_pool`` beyond
    100000·k and its accepted teams stay participants without a startup. Skipped when the
    block exists already, so every run is idempotent."""
    applicant_offset = 100000 * k + APPLICANT_OFFSET
    first = f"youth{applicant_offset:05d}@demo.technopark.uz"
    if Application.objects.filter(season__number__in=SEASON_PLAN, applicant__email=first).exists():
        return None
    applicants = youth_pool(APPLICANTS, offset=applicant_offset)
    extras = youth_pool(EXTRAS, offset=100000 * k + EXTRA_OFFSET)
    extras_accepted = {n: plan[2] - plan[1] for n, plan in SEASON_PLAN.items()}  # 16, 21, 21
    extras_other = EXTRAS - sum(extras_accepted.values())  # 39, split evenly
    a_pos = e_pos = 0
    reviews = 0
    accepted = {}
    for number, (count, accepted_count, _participants, withdrawn) in SEASON_PLAN.items():
        specs = [s for s in STARTUPS if s[0] == number] if k == 0 else None
        assert specs is None or len(specs) == accepted_count, (number, len(specs))
        n_extra = extras_accepted[number] + extras_other // 3
        result = _seed_applications(
            season=seasons[number],
            applicants=applicants[a_pos : a_pos + count],
            extras=extras[e_pos : e_pos + n_extra],
            accepted_count=accepted_count,
            withdrawn_count=withdrawn,
            extras_for_accepted=extras_accepted[number],
            reviewers=reviewers,
            manager=manager,
            deck=deck,
            startup_specs=specs,
            index_base=k,
        )
        a_pos += count
        e_pos += n_extra
        reviews += result["reviews"]
        accepted[number] = result["accepted"]
    return {"reviews": reviews, "accepted": accepted}


def run(*, stdout, scale: int = 1):
    created_blocks = reviews = 0
    with transaction.atomic():
        seasons = seed_seasons()
        seed_money_and_competitions()
        _seed_youth_draft(seasons[4])
        reviewers = list(User.objects.filter(email__in=REVIEWERS).order_by("email"))
        manager = User.objects.get(email=MANAGER)
        deck = _demo_deck()
        for k in range(max(scale, 1)):
            block = _seed_people_block(seasons=seasons, k=k, reviewers=reviewers, manager=manager, deck=deck)
            if block is None:
                continue
            created_blocks += 1
            reviews += block["reviews"]
            if k == 0:
                startups = {}
                for number, accepted in block["accepted"].items():
                    specs = [s for s in STARTUPS if s[0] == number]
                    startups.update(_seed_startups(seasons[number], accepted, specs))
                _seed_investments(startups)

    from .selectors import programme_totals

    analyze("incubator")
    if not created_blocks:
        stdout.write("  incubator: demo seasons exist already, nothing to add")
        return
    totals = programme_totals(Season.objects.filter(number__in=SEASON_PLAN))
    stdout.write(
        f"  incubator: {len(seasons)} seasons, {totals['applications_count']} applications "
        f"({created_blocks} × {APPLICANTS} new, {reviews} new reviews), {totals['participants_count']} participants, "
        f"{totals['startups_count']} startups, {totals['funded_startups_count']} with investment totalling "
        f"{totals['investment_uzs']:,.0f} UZS"
    )
