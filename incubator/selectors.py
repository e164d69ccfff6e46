"""Reads that span relations, each with a fixed number of queries.

``dashboard_context`` fills this app's part of "My technopark".
"""

import re
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
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

from .models import (
    Application,
    Investment,
    InvestorDay,
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
    """Seasons annotated with their figures, all computed from the rows in one query (scalar
    subqueries, no join fan-out) — the one definition, used by the InnoX pages and the impact
    page and reports: ``applications_count`` (non-draft), ``reviewed_count`` (with a review),
    ``assignments_count`` and ``reviews_count`` (of non-draft applications),
    ``shortlisted_count`` (shortlisted or accepted), ``accepted_count``, ``participants_count``,
    ``startups_count``, ``funded_startups_count`` (startups with at least one investment),
    ``investment_uzs``."""
    queryset = Season.objects.all() if queryset is None else queryset
    season = OuterRef("pk")
    applications = Application.objects.non_draft().filter(season=season)
    Status = Application.Status

    def count(rows):
        return _scalar(rows, Count("pk", distinct=True), IntegerField())

    money = DecimalField(max_digits=22, decimal_places=2)
    return queryset.annotate(
        applications_count=count(applications),
        reviewed_count=count(applications.filter(reviews__isnull=False)),
        assignments_count=count(
            ReviewAssignment.objects.filter(application__season=season).exclude(application__status=Status.DRAFT)
        ),
        reviews_count=count(
            Review.objects.filter(application__season=season).exclude(application__status=Status.DRAFT)
        ),
        shortlisted_count=count(applications.filter(status__in=[Status.SHORTLISTED, Status.ACCEPTED])),
        accepted_count=count(applications.filter(status=Status.ACCEPTED)),
        participants_count=count(Participant.objects.filter(season=season)),
        startups_count=count(Startup.objects.filter(season=season)),
        funded_startups_count=count(Startup.objects.filter(season=season, investments__isnull=False)),
        investment_uzs=_scalar(Investment.objects.filter(startup__season=season), Sum("uzs_value"), money),
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


def portfolio(*, season=None, industry="", stage=""):
    """Public startups with everything the cards show, in a fixed number of queries."""
    qs = public_startups().select_related("season")
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
    if application.status != Application.Status.REJECTED or not application.share_feedback:
        return []
    reviews = list(
        Review.objects.filter(application=application)
        .exclude(comment="")
        .select_related("reviewer")
        .order_by("submitted_at", "id")
    )
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
