"""InnoX: seasons, applications and their review, participants, startups, money and events.

State changes go through :mod:`incubator.services`; this module holds the data, the rules the
database can enforce, and ``clean()`` methods that explain the same rules in words.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from technopark.search import search_indexes, stored_search_vector
from technopark.storage import private_storage

from .validators import validate_image, validate_pdf

MAX_TEAM_MEMBERS = 6
MIN_TEAM_MEMBERS = 1
SCORE_MIN = 1
SCORE_MAX = 5


class Industry(models.TextChoices):
    AGRITECH = "agritech", _("Agritech")
    EDTECH = "edtech", _("Edtech")
    FINTECH = "fintech", _("Fintech")
    HEALTHTECH = "healthtech", _("Healthtech")
    ECOTECH = "ecotech", _("Ecotech and energy")
    ECOMMERCE = "ecommerce", _("E-commerce")
    IT_SERVICES = "it_services", _("IT services")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TOURISM = "tourism", _("Tourism")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    MVP = "mvp", _("MVP")
    REVENUE = "revenue", _("Revenue")


# --- Seasons ------------------------------------------------------------------------------


class SeasonQuerySet(models.QuerySet):
    def open_for_applications(self, now=None):
        now = now or timezone.now()
        return self.filter(application_opens__lte=now, application_closes__gt=now)


class Season(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    application_opens = models.DateTimeField(_("applications open"))
    application_closes = models.DateTimeField(_("applications close"))
    programme_start = models.DateField(_("programme starts"))
    programme_end = models.DateField(_("programme ends"))
    review_deadline = models.DateTimeField(
        _("reviews due"), null=True, blank=True, help_text=_("Reviewers are reminded three days before.")
    )
    team_must_confirm = models.BooleanField(
        _("team members must confirm"),
        default=False,
        help_text=_("An application can be submitted only when every team member has confirmed their place."),
    )
    disagreement_spread = models.DecimalField(
        _("disagreement spread"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text=_(
            "The ranking flags an application when its reviewers' weighted scores differ by more than this "
            "(on the 1–5 scale)."
        ),
    )

    objects = SeasonQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(application_closes__gt=models.F("application_opens")),
                name="incubator_season_window_order",
            ),
            models.CheckConstraint(
                condition=Q(programme_end__gte=models.F("programme_start")),
                name="incubator_season_programme_order",
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__isnull=True) | Q(review_deadline__gt=models.F("application_closes")),
                name="incubator_season_reviews_after_close",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.application_opens and self.application_closes and self.application_closes <= self.application_opens:
            raise ValidationError({"application_closes": _("Applications must close after they open.")})
        if self.programme_start and self.programme_end and self.programme_end < self.programme_start:
            raise ValidationError({"programme_end": _("The programme cannot end before it starts.")})
        if self.review_deadline and self.application_closes and self.review_deadline <= self.application_closes:
            raise ValidationError({"review_deadline": _("Reviews are due after applications close.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.application_opens <= now < self.application_closes


class ScoreCriterion(models.Model):
    season = models.ForeignKey(Season, verbose_name=_("season"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["season", "order", "id"]
        verbose_name = _("score criterion")
        verbose_name_plural = _("score criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="incubator_criterion_weight_positive"),
        ]

    def __str__(self):
        return f"{self.name} (×{self.weight})"


# --- Applications ---------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def non_draft(self):
        return self.exclude(status=Application.Status.DRAFT)

    def for_applicant(self, user):
        return self.filter(applicant=user)

    def visible_to_reviewer(self, user):
        """Applications a reviewer may open: assigned to them, or in the pool (submitted or
        under review, not yet decided), minus those where they declared a conflict."""
        return (
            self.filter(
                Q(assignments__reviewer=user)
                | Q(status__in=[Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW])
                | Q(reviews__reviewer=user)
            )
            .exclude(conflicts__reviewer=user)
            .distinct()
        )


def pitch_deck_path(instance, filename):
    """A random name: pitch decks are served only through a permission check, and their media
    path must not be guessable from the name the applicant gave the file."""
    return f"innox/pitch-decks/{instance.season_id}/{uuid.uuid4().hex}.pdf"


def logo_path(instance, filename):
    return f"innox/logos/{filename}"


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("innox status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("innox status", "Submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("innox status", "Under review")
        SHORTLISTED = "shortlisted", pgettext_lazy("innox status", "Shortlisted")
        ACCEPTED = "accepted", pgettext_lazy("innox status", "Accepted")
        WAITLISTED = "waitlisted", pgettext_lazy("innox status", "Waitlisted")
        REJECTED = "rejected", pgettext_lazy("innox status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("innox status", "Withdrawn")

    # The states in which a decision can still be taken / the applicant can still withdraw.
    UNDECIDED = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.SHORTLISTED, Status.WAITLISTED)
    DECIDED = (Status.ACCEPTED, Status.REJECTED)

    season = models.ForeignKey(Season, verbose_name=_("season"), on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="innox_applications",
    )
    team_name = models.CharField(_("team name"), max_length=120)
    project_title = models.CharField(_("project title"), max_length=200)
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    # Private files: only the applicant, the staff who decide and the reviewers who may see the
    # application open them, through technopark.files.private_file.
    pitch_deck = models.FileField(
        _("pitch deck (PDF)"),
        upload_to=pitch_deck_path,
        blank=True,
        help_text=_("PDF only, at most 10 MB."),
        storage=private_storage,
        validators=[validate_pdf],
    )
    logo = models.ImageField(
        _("logo"), upload_to=logo_path, blank=True, storage=private_storage, validators=[validate_image]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_message = models.TextField(_("decision message"), blank=True)
    share_feedback = models.BooleanField(
        _("share review feedback"),
        default=False,
        help_text=_("Show the applicant the reviewers' comments, without their names."),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("decide_application", _("Can decide on applications (shortlist, accept, reject)")),
            ("review_application", _("Can review assigned or pooled applications")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["season", "applicant"], name="incubator_one_application_per_season"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="incubator_application_submitted_at_set",
            ),
        ]
        indexes = [models.Index(fields=["season", "status"])]

    def __str__(self):
        return f"{self.team_name}: {self.project_title}"

    def get_absolute_url(self):
        return reverse("incubator:my_application", kwargs={"pk": self.pk})

    def clean(self):
        if self.status != self.Status.DRAFT and not self.submitted_at:
            raise ValidationError(_("A submitted application needs a submission time."))

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_withdraw(self) -> bool:
        return self.status in self.UNDECIDED


class TeamMember(models.Model):
    """A member of an applying team (one to six per application, checked by the service)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    # The invitation: its link carries a signed (member, nonce) pair; confirming clears the nonce,
    # so a link works once (see incubator.services.team_member_confirm).
    invite_nonce = models.CharField(_("invitation code"), max_length=32, blank=True, editable=False)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innox_team_places",
    )

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["application", "email"], name="incubator_team_member_unique_email"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ReviewAssignment(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="innox_review_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="incubator_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"


class ConflictOfInterest(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="innox_conflicts",
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="incubator_conflict_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} ≠ {self.application}"


class Review(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="innox_reviews",
    )
    comment = models.TextField(_("comment"), blank=True)
    shareable = models.BooleanField(
        _("comment may be shown to the applicant"),
        default=False,
        help_text=_("If the application is rejected, the team reads this comment without your name."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="incubator_one_review_per_reviewer"),
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.application}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        ScoreCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="incubator_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX), name="incubator_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

    def clean(self):
        if self.score is not None and not SCORE_MIN <= self.score <= SCORE_MAX:
            raise ValidationError({"score": _("A score must be between 1 and 5.")})


class StatusChange(models.Model):
    """The history of an application: who moved it from which status to which, and when."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="history"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Application.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


# --- Participants and startups --------------------------------------------------------------


class Participant(models.Model):
    season = models.ForeignKey(Season, verbose_name=_("season"), on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innox_participations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )

    class Meta:
        ordering = ["season", "name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["season", "email"], name="incubator_participant_unique_per_season"),
        ]

    def __str__(self):
        return self.name


class StartupQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


def startup_logo_path(instance, filename):
    return f"innox/startups/{filename}"


class Startup(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    logo = models.ImageField(_("logo"), upload_to=startup_logo_path, blank=True, validators=[validate_image])
    one_line_pitch = models.CharField(_("one-line pitch"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, db_index=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, db_index=True)
    season = models.ForeignKey(Season, verbose_name=_("season"), on_delete=models.PROTECT, related_name="startups")
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="startup",
    )
    founders = models.ManyToManyField(Participant, verbose_name=_("founders"), blank=True, related_name="startups")
    is_public = models.BooleanField(_("public"), default=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_on = models.DateField(
        _("stopped operating on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the startup is active; a closed startup no longer books office hours."),
    )
    # Site search (technopark.search): kept current by PostgreSQL, one per language.
    search_uz = stored_search_vector("uz", name="A", one_line_pitch_uz="B", description_uz="C")
    search_ru = stored_search_vector("ru", name="A", one_line_pitch_ru="B", description_ru="C")
    search_en = stored_search_vector("en", name="A", one_line_pitch_en="B", description_en="C")

    objects = StartupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        indexes = search_indexes("incubator_startup", uz="name", ru="name", en="name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("incubator:startup_detail", kwargs={"slug": self.slug})


# --- Money ----------------------------------------------------------------------------------


class Currency(models.TextChoices):
    UZS = "UZS", _("Uzbek sum (UZS)")
    USD = "USD", _("US dollar (USD)")


class Investor(models.Model):
    class Kind(models.TextChoices):
        FUND = "fund", _("Venture fund")
        ANGEL = "angel", _("Business angel")
        CORPORATE = "corporate", _("Corporate")
        GOVERNMENT = "government", _("Government programme")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")

    def __str__(self):
        return self.name


class ExchangeRate(models.Model):
    """The Central Bank of Uzbekistan's rate of a currency on a date, in UZS per unit."""

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rate_to_uzs = models.DecimalField(_("rate in UZS"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["-date", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="incubator_rate_unique_per_day"),
            models.CheckConstraint(condition=Q(rate_to_uzs__gt=0), name="incubator_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.rate_to_uzs}"


class InvestorDay(models.Model):
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    organiser = models.ForeignKey(
        Investor, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="investor_days"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    pitched_startups = models.ManyToManyField(
        Startup, verbose_name=_("startups that pitched"), blank=True, related_name="investor_days"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("investor day")
        verbose_name_plural = _("investor days")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("incubator:investor_day_detail", kwargs={"pk": self.pk})


class Investment(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        EQUITY = "equity", _("Equity")
        CONVERTIBLE = "convertible", _("Convertible note")
        PRIZE = "prize", _("Prize")

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.PROTECT, related_name="investments"
    )
    investor = models.ForeignKey(
        Investor, verbose_name=_("investor"), on_delete=models.PROTECT, related_name="investments"
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.UZS)
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    investor_day = models.ForeignKey(
        InvestorDay,
        verbose_name=_("investor day"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investments",
    )
    uzs_value = models.DecimalField(
        _("value in UZS"),
        max_digits=20,
        decimal_places=2,
        help_text=_("Computed from the exchange rate of the investment's date."),
    )
    # The Central Bank rate used: the one of the investment's date, or the last one published before
    # it (weekends, holidays). Empty for UZS.
    rate_to_uzs = models.DecimalField(_("rate used"), max_digits=14, decimal_places=4, null=True, blank=True)
    rate_date = models.DateField(_("date of the rate used"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="incubator_investment_amount_positive"),
            models.CheckConstraint(condition=Q(uzs_value__gt=0), name="incubator_investment_uzs_positive"),
        ]

    def __str__(self):
        return f"{self.startup}: {self.amount} {self.currency}"

    def clean(self):
        if self.amount is not None and self.amount <= Decimal("0"):
            raise ValidationError({"amount": _("The amount must be greater than zero.")})


# --- Competitions ---------------------------------------------------------------------------


class Competition(models.Model):
    class Kind(models.TextChoices):
        COMPETITION = "competition", _("Competition")
        GRANT_PROGRAMME = "grant_programme", _("Grant programme")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competition or grant programme")
        verbose_name_plural = _("competitions and grant programmes")

    def __str__(self):
        return self.name


class Submission(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        WON = "won", _("Won")
        NOT_SELECTED = "not_selected", _("Not selected")

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="submissions"
    )
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.PROTECT, related_name="submissions"
    )
    deadline = models.DateField(_("deadline"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    award_amount = models.DecimalField(_("award amount (UZS)"), max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["startup", "competition"], name="incubator_submission_unique"),
            models.CheckConstraint(
                condition=Q(award_amount__isnull=True) | Q(award_amount__gte=0),
                name="incubator_award_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.startup} → {self.competition}"


# --- Decision templates ----------------------------------------------------------------------

#: The placeholders a decision template may use, each replaced by the application's value.
DECISION_PLACEHOLDERS = ("name", "project", "season", "feedback")
TEMPLATE_LANGUAGES = ("uz", "ru", "en")
TEMPLATE_DECISIONS = ("accepted", "waitlisted", "rejected")


def check_placeholders(text: str) -> list[str]:
    """The problems of ``text`` as a decision template ([] when it is good): only ``{name}``,
    ``{project}``, ``{season}`` and ``{feedback}``; a literal brace is written twice (``{{``)."""
    import string

    problems = []
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError:
        return [str(_("A brace is not closed: write {name}, or {{ for a brace itself."))]
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in DECISION_PLACEHOLDERS or spec or conversion:
            problems.append(
                str(
                    _("Unknown placeholder {%(field)s}: use %(allowed)s.")
                    % {"field": field, "allowed": ", ".join(f"{{{p}}}" for p in DECISION_PLACEHOLDERS)}
                )
            )
    return problems


class DecisionTemplate(models.Model):
    """The subject and body of one decision's message in one season, in uz, ru and en; the
    applicant receives it in their language with the placeholders filled in."""

    season = models.ForeignKey(
        Season, verbose_name=_("season"), on_delete=models.CASCADE, related_name="decision_templates"
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=[(c, label) for c, label in Application.Status.choices if c in TEMPLATE_DECISIONS],
    )
    subject_uz = models.CharField(_("subject (Uzbek)"), max_length=200)
    subject_ru = models.CharField(_("subject (Russian)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_uz = models.TextField(_("body (Uzbek)"))
    body_ru = models.TextField(_("body (Russian)"))
    body_en = models.TextField(_("body (English)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["season", "decision"]
        verbose_name = _("decision template")
        verbose_name_plural = _("decision templates")
        constraints = [
            models.UniqueConstraint(fields=["season", "decision"], name="incubator_decision_template_unique"),
        ]

    def __str__(self):
        return f"{self.season}: {self.get_decision_display()}"

    def save(self, *args, **kwargs):
        self.clean()  # a template that cannot be filled in is never stored, whoever saves it
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        for language in TEMPLATE_LANGUAGES:
            for part in ("subject", "body"):
                name = f"{part}_{language}"
                problems = check_placeholders(getattr(self, name))
                if problems:
                    errors[name] = problems
        if errors:
            raise ValidationError(errors)

    def render(self, application, language: str, feedback: str = "") -> dict:
        """``{"subject": …, "body": …}`` in ``language`` (uz, ru or en) for ``application``."""
        language = language if language in TEMPLATE_LANGUAGES else "uz"
        applicant = application.applicant
        season = application.season
        values = {
            "name": applicant.full_name or applicant.email,
            "project": application.project_title,
            "season": getattr(season, f"title_{language}", "") or season.title,
            "feedback": feedback,
        }
        subject = getattr(self, f"subject_{language}").format_map(values)
        return {"subject": " ".join(subject.split()), "body": getattr(self, f"body_{language}").format_map(values)}


# --- Mentors and office hours -----------------------------------------------------------------


class Mentor(models.Model):
    """A mentor: incubator staff or an external expert, with an account to publish office hours."""

    class Language(models.TextChoices):
        UZ = "uz", _("Uzbek")
        RU = "ru", _("Russian")
        EN = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="innox_mentor"
    )
    is_external = models.BooleanField(_("external"), default=False, help_text=_("Not on the technopark's staff."))
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    expertise = models.CharField(
        _("expertise"), max_length=300, blank=True, help_text=_("Tags separated by commas, e.g. fintech, marketing.")
    )
    languages = models.CharField(
        _("languages"), max_length=20, default="uz", help_text=_("Language codes separated by commas: uz, ru, en.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self):
        return self.user.full_name or self.user.email

    @property
    def expertise_tags(self) -> list[str]:
        return [t.strip() for t in self.expertise.split(",") if t.strip()]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(self.Language.choices)
        return [labels[c.strip()] for c in self.languages.split(",") if c.strip() in labels]

    def clean(self):
        codes = [c.strip() for c in self.languages.split(",") if c.strip()]
        if not codes or set(codes) - set(self.Language.values):
            raise ValidationError({"languages": _("Use uz, ru and/or en, separated by commas.")})


class OfficeHourSlot(models.Model):
    mentor = models.ForeignKey(Mentor, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or video link"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("office-hour slot")
        verbose_name_plural = _("office-hour slots")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="incubator_slot_order"),
        ]

    def __str__(self):
        return f"{self.mentor}: {timezone.localtime(self.start):%d.%m.%Y %H:%M}"


class OfficeHourBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(OfficeHourSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings")
    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="office_hour_bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("what to discuss"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The mentor's note after the session: incubator staff read it; the founders never do.
    mentor_note = models.TextField(_("mentor's note"), blank=True)
    noted_at = models.DateTimeField(_("note written at"), null=True, blank=True)

    class Meta:
        ordering = ["slot__start"]
        verbose_name = _("office-hour booking")
        verbose_name_plural = _("office-hour bookings")
        constraints = [
            # One live booking per slot, whoever clicks first; a cancelled slot can be booked again.
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="incubator_one_booking_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.startup} → {self.slot}"


# --- Milestones and monthly figures -----------------------------------------------------------


class Milestone(models.Model):
    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class MonthlyReport(models.Model):
    """A startup's figures for one month, filled in by its founders (the month is its first day)."""

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="monthly_reports"
    )
    month = models.DateField(_("month"))
    revenue_uzs = models.DecimalField(_("revenue (UZS)"), max_digits=18, decimal_places=2, default=0)
    active_users = models.PositiveIntegerField(_("active users"), default=0)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    jobs_created = models.PositiveIntegerField(_("jobs created this month"), default=0)
    money_raised_uzs = models.DecimalField(
        _("money raised this month (UZS)"), max_digits=18, decimal_places=2, default=0
    )
    money_raised_from = models.CharField(_("raised from"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["startup", "month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["startup", "month"], name="incubator_one_report_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="incubator_report_month_first_day"),
            models.CheckConstraint(
                condition=Q(revenue_uzs__gte=0) & Q(money_raised_uzs__gte=0), name="incubator_report_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.startup}: {self.month:%m.%Y}"


class SeasonFigures(models.Model):
    """A season's funnel, kept current by PostgreSQL triggers (migration 0010) on applications,
    reviews, review assignments, participants, startups and investments, so that the impact page,
    the home page and the InnoX pages read one row per season instead of counting every
    application and review (which grows with the data). Each trigger recounts the seasons its
    statement touched after locking their rows, so concurrent writers of one season take turns and
    each recount sees the others' committed rows; ``tests/incubator/test_season_figures.py``
    compares the rows with a count from the records after every kind of change. Nothing in Python
    writes these rows. The figures are those of ``selectors.seasons_with_figures``."""

    season = models.OneToOneField(
        Season,
        verbose_name=_("season"),
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="figures",
    )
    applications = models.IntegerField(_("applications (not drafts)"), db_default=0)
    reviewed = models.IntegerField(_("applications with a review"), db_default=0)
    assignments = models.IntegerField(_("review assignments"), db_default=0)
    reviews = models.IntegerField(_("reviews"), db_default=0)
    shortlisted = models.IntegerField(_("shortlisted or accepted"), db_default=0)
    accepted = models.IntegerField(_("accepted"), db_default=0)
    participants = models.IntegerField(_("participants"), db_default=0)
    startups = models.IntegerField(_("startups"), db_default=0)
    funded_startups = models.IntegerField(_("startups with investment"), db_default=0)
    investment_uzs = models.DecimalField(_("investment (UZS)"), max_digits=22, decimal_places=2, db_default=0)

    class Meta:
        verbose_name = _("season figures")
        verbose_name_plural = _("season figures")

    def __str__(self):
        return f"{self.season_id}: {self.applications}"
