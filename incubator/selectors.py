"""Reads that span relations, each with a fixed number of queries.

``dashboard_context`` fills this app's part of "My technopark".
"""

import datetime
import re
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark import page_cache

from .models import (
    Application,
    Investment,
    InvestorDay,
    Mentor,
    MonthlyReport,
    OfficeHourBooking,
    OfficeHourSlot,
    Participant,
    Review,
    ReviewAssignment,
    ReviewScore,
    Season,
    Startup,
    Submission,
)


def _scalar(queryset, expression, output_field):
    """A correlated subquery returning one aggregate per outer row (0 when there are none)."""
    sub = queryset.order_by().annotate(_g=Value(1)).values("_g").annotate(v=expression).values("v")
    zero = Value(Decimal("0") if isinstance(output_field, DecimalField) else 0, output_field=output_field)
    return Coalesce(Subquery(sub, output_field=output_field), zero)


#: The season figures ``seasons_with_figures`` annotates (InnoX pages, impact page and reports).
SEASON_FIGURES = (
    "applications_count",
    "reviewed_count",
    "assignments_count",
    "reviews_count",
    "shortlisted_count",
    "accepted_count",
    "participants_count",
    "startups_count",
    "funded_startups_count",
    "investment_uzs",
)


def seasons_with_figures(queryset=None):
    """Seasons annotated with their figures — the one definition, used by the InnoX pages and the
    impact page and reports: ``applications_count`` (non-draft), ``reviewed_count`` (with a review),
    ``assignments_count`` and ``reviews_count`` (of non-draft applications),
    ``shortlisted_count`` (shortlisted or accepted), ``accepted_count``, ``participants_count``,
    ``startups_count``, ``funded_startups_count`` (startups with at least one investment),
    ``investment_uzs``. They are read from ``SeasonFigures``, the row per season the database's
    triggers keep current (migration 0010 holds the counting), in one join: the time does not
    grow with the applications and reviews."""
    queryset = Season.objects.all() if queryset is None else queryset
    money = DecimalField(max_digits=22, decimal_places=2)

    def figure(name):
        return Coalesce(F(f"figures__{name}"), Value(0), output_field=IntegerField())

    return queryset.annotate(
        applications_count=figure("applications"),
        reviewed_count=figure("reviewed"),
        assignments_count=figure("assignments"),
        reviews_count=figure("reviews"),
        shortlisted_count=figure("shortlisted"),
        accepted_count=figure("accepted"),
        participants_count=figure("participants"),
        startups_count=figure("startups"),
        funded_startups_count=figure("funded_startups"),
        investment_uzs=Coalesce(F("figures__investment_uzs"), Value(Decimal("0")), output_field=money),
    )


def programme_totals(queryset=None) -> dict:
    """Totals over the given seasons (all by default): the figures of the press release."""
    rows = list(seasons_with_figures(queryset))
    keys = ("applications_count", "participants_count", "startups_count", "funded_startups_count", "investment_uzs")
    totals = {key: sum((getattr(s, key) for s in rows), Decimal("0") if key == "investment_uzs" else 0) for key in keys}
    totals["seasons_count"] = sum(1 for s in rows if s.applications_count)
    return totals


def current_season(now=None):
    """The season open for applications now, else the next one to open, else None."""
    now = now or timezone.now()
    return Season.objects.filter(application_closes__gt=now).order_by("application_opens").first()


def countdown(season, now=None) -> dict:
    now = now or timezone.now()
    if season is None:
        return {"state": "none"}
    if now < season.application_opens:
        target, state = season.application_opens, "upcoming"
    elif now < season.application_closes:
        target, state = season.application_closes, "open"
    else:
        return {"state": "closed"}
    left = target - now
    return {
        "state": state,
        "target": target,
        "days": left.days,
        "hours": left.seconds // 3600,
        "minutes": (left.seconds % 3600) // 60,
    }


# --- Portfolio ------------------------------------------------------------------------------


def public_startups():
    """The startups the public sees (portfolio, startup pages, site search, sitemap)."""
    return Startup.objects.public()


def public_investor_days():
    return InvestorDay.objects.all()


def portfolio(*, season=None, industry="", stage="", include_private=False):
    """Public startups with everything the cards show, in a fixed number of queries
    (``include_private``: every startup, for the pages of their founders and staff)."""
    qs = (Startup.objects.all() if include_private else public_startups()).select_related("season")
    if season:
        qs = qs.filter(season__number=season)
    if industry:
        qs = qs.filter(industry=industry)
    if stage:
        qs = qs.filter(stage=stage)
    return (
        qs.annotate(
            investment_uzs=Coalesce(Sum("investments__uzs_value"), Value(Decimal("0")), output_field=DecimalField())
        )
        .prefetch_related(
            Prefetch("founders", queryset=Participant.objects.order_by("name")),
            Prefetch("investments", queryset=Investment.objects.select_related("investor", "investor_day")),
            Prefetch("submissions", queryset=Submission.objects.select_related("competition")),
        )
        .order_by("season__number", "name")
    )


def investor_days():
    return (
        InvestorDay.objects.select_related("organiser")
        .annotate(
            startups_count=Count("pitched_startups", distinct=True),
        )
        .order_by("-date")
    )


def investor_day_detail_queryset():
    return (
        InvestorDay.objects.select_related("organiser")
        .annotate(total_uzs=Sum("investments__uzs_value"))
        .prefetch_related(
            Prefetch("pitched_startups", queryset=Startup.objects.public().select_related("season")),
            Prefetch("investments", queryset=Investment.objects.select_related("startup", "investor")),
        )
    )


# --- Review and ranking ---------------------------------------------------------------------


# The weighted score, the one rule: Σ score·weight / Σ weight over the criteria scored.
# ``weighted_score`` computes it in Python from (score, weight) pairs, ``_weighted_score_of``
# in the database for the ReviewScore rows of one group (a review, or all of an application's).


def weighted_score(pairs) -> float | None:
    """Σ score·weight / Σ weight of ``(score, weight)`` pairs; None when nothing is scored."""
    pairs = list(pairs)
    total_weight = sum(weight for _score, weight in pairs)
    if not total_weight:
        return None
    return sum(score * weight for score, weight in pairs) / total_weight


def _weighted_score_of(scores, group: str):
    """A subquery: the weighted score of the ReviewScore rows in ``scores``, grouped by ``group``."""
    sub = (
        scores.order_by()
        .values(group)
        .annotate(
            v=Cast(Sum(F("score") * F("criterion__weight")), FloatField())
            / Cast(Sum("criterion__weight"), FloatField())
        )
        .values("v")
    )
    return Subquery(sub, output_field=FloatField())


def weighted_review_score():
    """Per review (outer ref ``pk`` of Review)."""
    return _weighted_score_of(ReviewScore.objects.filter(review=OuterRef("pk")), "review")


def ranking(season: Season):
    """Non-draft applications of a season with ``mean_score`` (mean of the reviewers'
    weighted scores), ``review_count`` and ``spread`` (highest minus lowest weighted score).

    Every review scores every criterion of its season (the service makes sure), so the mean of
    the weighted review scores equals Σ score·weight / Σ weight over all of the application's
    scores, which one subquery computes; the spread needs the per-review scores."""
    mean = _weighted_score_of(ReviewScore.objects.filter(review__application=OuterRef("pk")), "review__application")
    per_review = Review.objects.filter(application=OuterRef("pk")).annotate(w=weighted_review_score())
    highest = Subquery(per_review.order_by(F("w").desc(nulls_last=True)).values("w")[:1], output_field=FloatField())
    lowest = Subquery(per_review.order_by(F("w").asc(nulls_last=True)).values("w")[:1], output_field=FloatField())
    return (
        Application.objects.non_draft()
        .filter(season=season)
        .select_related("applicant")
        .annotate(
            review_count=Count("reviews", distinct=True),
            mean_score=mean,
            spread=highest - lowest,
            startup_slug=F("startup__slug"),
        )
        .order_by(F("mean_score").desc(nulls_last=True), "-review_count", "id")
    )


def reviewer_assignments(user):
    """Applications assigned to a reviewer, with whether they have reviewed them."""
    return (
        Application.objects.filter(assignments__reviewer=user)
        .exclude(conflicts__reviewer=user)
        .select_related("season")
        .annotate(reviewed=Count("reviews", filter=Q(reviews__reviewer=user)))
        .order_by("reviewed", "-submitted_at", "id")
    )


def reviewer_pool(user):
    """Submitted applications nobody has decided on that the reviewer may pick."""
    return (
        Application.objects.filter(status__in=[Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW])
        .exclude(assignments__reviewer=user)
        .exclude(conflicts__reviewer=user)
        .exclude(applicant=user)
        .select_related("season")
        .annotate(review_count=Count("reviews", distinct=True))
        .order_by("review_count", "submitted_at", "id")
    )


def anonymised_feedback(application) -> list[str]:
    """The reviewers' comments an applicant may read once a rejection is shared with them:
    no names, no scores, no order by reviewer; a reviewer who signed a comment or named a
    colleague is blanked out (full name, each part of it, e-mail)."""
    if application.status != Application.Status.REJECTED:
        return []
    reviews = Review.objects.filter(application=application).exclude(comment="")
    if not application.share_feedback:  # staff shared all comments, or each reviewer marked theirs
        reviews = reviews.filter(shareable=True)
    reviews = list(reviews.select_related("reviewer").order_by("submitted_at", "id"))
    words = set()
    for review in reviews:
        reviewer = review.reviewer
        words.update(w for w in [reviewer.full_name, reviewer.email, *reviewer.full_name.split()] if len(w) >= 3)
    if not words:
        return [r.comment for r in reviews]
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )
    hidden = str(_("[a reviewer]"))
    return [pattern.sub(hidden, r.comment) for r in reviews]


def my_applications(user):
    return Application.objects.for_applicant(user).select_related("season").order_by("-season__number")


def dashboard_context(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {
        "innox_applications": list(my_applications(user)),
        "innox_open_season": current_season(),
        "innox_startups": list(founded_startups(user)),
        "innox_is_mentor": Mentor.objects.filter(user=user, is_active=True).exists(),
    }


def applications_visible_to(user):
    """Applications whose details and files this person may open: their own; as staff who decide
    (or who may view applications in the admin) every submitted one; as a reviewer those
    :meth:`ApplicationQuerySet.visible_to_reviewer` allows. Everything else answers 404."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = Application.objects.for_applicant(user)
    if user.has_perm("incubator.view_application"):
        return Application.objects.all()
    if user.has_perm("incubator.decide_application"):
        return Application.objects.filter(Q(pk__in=own.values("pk")) | Q(status__in=_non_draft_statuses()))
    if user.has_perm("incubator.review_application"):
        reviewable = Application.objects.non_draft().visible_to_reviewer(user).values("pk")
        return Application.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=reviewable))
    return own


def _non_draft_statuses():
    return [s for s in Application.Status.values if s != Application.Status.DRAFT]


# --- Review phases ----------------------------------------------------------------------------


def reviewer_progress(season: Season, now=None) -> list[dict]:
    """Per reviewer of the season's (non-draft) applications: assigned, done (reviewed) and
    overdue (assigned, not reviewed, after the season's review deadline). One query."""
    now = now or timezone.now()
    done = Exists(Review.objects.filter(application=OuterRef("application_id"), reviewer=OuterRef("reviewer_id")))
    past_deadline = season.review_deadline is not None and now > season.review_deadline
    rows = (
        ReviewAssignment.objects.filter(application__season=season)
        .exclude(application__status=Application.Status.DRAFT)
        .annotate(done=done)
        .values("reviewer_id", "reviewer__full_name", "reviewer__email")
        .annotate(
            assigned=Count("pk"),
            reviewed=Count("pk", filter=Q(done=True)),
            open=Count("pk", filter=Q(done=False, application__status__in=REVIEW_OPEN_STATUSES)),
        )
        .order_by("reviewer__full_name", "reviewer_id")
    )
    return [
        {
            "reviewer_id": r["reviewer_id"],
            "name": r["reviewer__full_name"] or r["reviewer__email"],
            "assigned": r["assigned"],
            "done": r["reviewed"],
            "overdue": r["open"] if past_deadline else 0,
        }
        for r in rows
    ]


#: An assignment is still open (and overdue after the deadline) while its application can be reviewed.
REVIEW_OPEN_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.UNDER_REVIEW,
    Application.Status.SHORTLISTED,
)


def overdue_assignments(season: Season, now=None):
    """Assignments not reviewed after the season's review deadline (none before it)."""
    now = now or timezone.now()
    if season.review_deadline is None or now <= season.review_deadline:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(application__season=season, application__status__in=REVIEW_OPEN_STATUSES)
        .annotate(
            done=Exists(Review.objects.filter(application=OuterRef("application_id"), reviewer=OuterRef("reviewer_id")))
        )
        .filter(done=False)
        .select_related("application", "reviewer")
        .order_by("reviewer__full_name", "application__team_name", "pk")
    )


# --- Calibration ------------------------------------------------------------------------------


def z_scores(reviews: list[tuple[int, int, float]]) -> dict[int, list[float]]:
    """From ``(application_id, reviewer_id, weighted score)`` of one season's reviews: each review's
    z-score against its reviewer's own reviews in the season, grouped by application.

    z = (score − the reviewer's mean) / the reviewer's standard deviation (population: over the
    reviews they wrote in the season). A reviewer with a single review, or whose scores are all
    equal (zero spread), carries no information about their scale: their reviews count as z = 0."""
    by_reviewer: dict[int, list[float]] = {}
    for _application_id, reviewer_id, score in reviews:
        by_reviewer.setdefault(reviewer_id, []).append(score)
    scale = {}
    for reviewer_id, scores in by_reviewer.items():
        mean = sum(scores) / len(scores)
        sd = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
        scale[reviewer_id] = (mean, sd if len(scores) > 1 and sd > 1e-9 else 0.0)
    result: dict[int, list[float]] = {}
    for application_id, reviewer_id, score in reviews:
        mean, sd = scale[reviewer_id]
        result.setdefault(application_id, []).append((score - mean) / sd if sd else 0.0)
    return result


RANKING_ORDERS = ("mean", "z")


def calibrated_ranking(season: Season, order: str = "mean") -> list[Application]:
    """The season's ranking (:func:`ranking`) with calibration, in two queries whatever the size:
    ``z_mean`` (the mean of the application's reviews' z-scores, see :func:`z_scores`) and
    ``disagree`` (the reviewers' weighted scores differ by more than the season's
    ``disagreement_spread``). ``order``: "mean" (mean score) or "z" (z-score mean), best first;
    applications without reviews last."""
    applications = list(ranking(season))
    reviews = (
        Review.objects.filter(application__season=season)
        .exclude(application__status=Application.Status.DRAFT)
        .annotate(w=weighted_review_score())
        .filter(w__isnull=False)
        .values_list("application_id", "reviewer_id", "w")
    )
    z_by_application = z_scores(list(reviews))
    threshold = float(season.disagreement_spread)
    for application in applications:
        zs = z_by_application.get(application.pk)
        application.z_mean = sum(zs) / len(zs) if zs else None
        application.disagree = application.spread is not None and application.spread > threshold + 1e-9
    key = "z_mean" if order == "z" else "mean_score"
    applications.sort(
        key=lambda a: (getattr(a, key) is None, -(getattr(a, key) or 0), -a.review_count, a.pk),
    )
    return applications


RANKING_CACHE_SECONDS = 300


def cached_ranking(season: Season, order: str = "mean") -> list[Application]:
    """:func:`calibrated_ranking`, kept while the season's applications (the ``incubator``
    namespace: submissions, decisions, startups) and the reviews (``incubator-reviews``) are
    unchanged; a renamed applicant shows within ``RANKING_CACHE_SECONDS``."""
    return page_cache.cached(
        f"incubator:ranking:{season.pk}:{order}",
        ("incubator", "incubator-reviews"),
        lambda: calibrated_ranking(season, order=order),
        RANKING_CACHE_SECONDS,
    )


# --- Feedback for rejected teams ----------------------------------------------------------------


def rubric_averages(application: Application) -> list[dict]:
    """The mean score per criterion of the application's reviews (no reviewer, no single review):
    what a rejected team sees. One query."""
    rows = (
        ReviewScore.objects.filter(review__application=application)
        .values("criterion_id", "criterion__name", "criterion__order")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by("criterion__order", "criterion_id")
    )
    return [{"criterion": r["criterion__name"], "average": r["average"], "count": r["count"]} for r in rows]


# --- Mentors, office hours, startups' own pages ------------------------------------------------


def founded_startups(user):
    """The active startups this person is a founder of."""
    if not user.is_authenticated:
        return Startup.objects.none()
    return Startup.objects.filter(founders__user=user, closed_on__isnull=True).distinct().order_by("name")


def mentors_with_free_slots(now=None):
    """Active mentors with their free future slots (prefetched): a fixed number of queries."""
    now = now or timezone.now()
    free = (
        OfficeHourSlot.objects.filter(start__gt=now)
        .exclude(bookings__status=OfficeHourBooking.Status.BOOKED)
        .order_by("start")
    )
    return (
        Mentor.objects.filter(is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("slots", queryset=free, to_attr="free_slots"))
        .order_by("user__full_name", "pk")
    )


def startup_bookings(user):
    """Bookings of the startups this person founded, latest first."""
    return (
        OfficeHourBooking.objects.filter(startup__founders__user=user)
        .select_related("slot__mentor__user", "startup")
        .distinct()
        .order_by("-slot__start")
    )


def mentor_bookings(mentor):
    return (
        OfficeHourBooking.objects.filter(slot__mentor=mentor)
        .select_related("slot", "startup", "booked_by")
        .order_by("-slot__start")
    )


def can_see_startup_figures(user, startup) -> bool:
    """Founders of the startup and incubator staff (who may view monthly reports)."""
    if not user.is_authenticated:
        return False
    if user.has_perm("incubator.view_monthlyreport"):
        return True
    return any(f.user_id == user.pk for f in startup.founders.all())


def startup_private_context(startup, user) -> dict:
    """The private part of a startup's page (founders and staff): reports, milestones, the chart.
    Two queries, whatever the number of reports and milestones."""
    from .charts import bar_chart

    reports = list(startup.monthly_reports.order_by("month"))
    milestones = list(startup.milestones.order_by("due_on", "pk"))
    recent = reports[-12:]
    return {
        "reports": reports,
        "milestones": milestones,
        "revenue_chart": bar_chart(
            [(r.month, float(r.revenue_uzs)) for r in recent], label=_("Revenue, UZS"), css="innox-bar-revenue"
        ),
        "users_chart": bar_chart(
            [(r.month, float(r.active_users)) for r in recent], label=_("Active users"), css="innox-bar-users"
        ),
        "is_founder": any(f.user_id == user.pk for f in startup.founders.all()),
    }


#: A startup counts as still active when it is not closed and has reported in the last N months.
ACTIVE_REPORT_MONTHS = 3


def startup_aggregates(queryset=None, today=None) -> dict:
    """The public figures of the startups' own reports (never one startup's): jobs created and money
    raised (sums of the monthly reports), startups still active (not closed, with a report for one of
    the last ``ACTIVE_REPORT_MONTHS`` months), and ``as_of`` — the latest month reported. One query."""
    today = today or timezone.localdate()
    startups = Startup.objects.all() if queryset is None else queryset
    month = today.replace(day=1)
    for _i in range(ACTIVE_REPORT_MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    reports = MonthlyReport.objects.filter(startup__in=startups.values("pk"))
    figures = reports.aggregate(
        jobs_created=Coalesce(Sum("jobs_created"), 0),
        money_raised_uzs=Coalesce(Sum("money_raised_uzs"), Value(Decimal("0")), output_field=DecimalField()),
        active_startups=Count("startup", distinct=True, filter=Q(month__gte=month, startup__closed_on__isnull=True)),
        as_of=Max("month"),
    )
    return figures


#: Per-season totals of the startups' monthly reports, as annotations for ``seasons_with_figures``
#: querysets (the impact page adds them to its one season query; see ``startup_aggregates``).
REPORT_FIGURES = ("reported_jobs", "reported_money_uzs", "reported_active", "reported_as_of")


def season_report_annotations(today=None) -> dict:
    today = today or timezone.localdate()
    month = today.replace(day=1)
    for _i in range(ACTIVE_REPORT_MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    reports = MonthlyReport.objects.filter(startup__season=OuterRef("pk"))
    money = DecimalField(max_digits=22, decimal_places=2)
    return {
        "reported_jobs": _scalar(reports, Sum("jobs_created"), IntegerField()),
        "reported_money_uzs": _scalar(reports, Sum("money_raised_uzs"), money),
        "reported_active": _scalar(
            reports.filter(month__gte=month, startup__closed_on__isnull=True),
            Count("startup", distinct=True),
            IntegerField(),
        ),
        "reported_as_of": Subquery(reports.order_by().values("startup__season").annotate(m=Max("month")).values("m")),
    }
