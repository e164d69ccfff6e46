"""FabLab: equipment, funding projects, safety clearances, bookings, maintenance, solutions.

The guarantee that a machine is never double-booked lives in PostgreSQL:

* ``Booking`` carries an exclusion constraint: no two active (requested or confirmed)
  bookings of one machine overlap on the half-open range ``[start, end)``;
* ``TimeBlock`` is the one table of time claimed on a machine, written by bookings and by
  maintenance windows alike; its exclusion constraint makes the database refuse a booking
  that overlaps a maintenance window (and a maintenance window over a booking).

See fablab/README.md for the design.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from technopark.search import search_indexes, stored_search_vector
from technopark.storage import private_storage
from technopark.workflow import StatusChangeBase

from .validators import validate_image_upload


class TsTzRange(Func):
    """``tstzrange(start, end, '[)')``: the half-open range the exclusion constraints compare."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class EquipmentCategory(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, db_index=True)
    clearance_valid_days = models.PositiveSmallIntegerField(
        _("clearance valid for (days)"),
        default=365,
        help_text=_("Passing this category's safety training grants a clearance valid for this many days."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("equipment category")
        verbose_name_plural = _("equipment categories")

    def __str__(self):
        return self.name


class FundingProject(models.Model):
    """A project that delivered equipment, e.g. one supported by the IBRD."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    funder = models.CharField(_("funder"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = _("funding project")
        verbose_name_plural = _("funding projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="fablab_funding_end_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("fablab:funding_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The project cannot end before it starts.")})


class EquipmentQuerySet(models.QuerySet):
    def bookable(self):
        return self.filter(status=Equipment.Status.AVAILABLE)

    def for_catalogue(self):
        return self.select_related("category", "funding_project").order_by("category__order", "category__id", "name")


class Equipment(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        MAINTENANCE = "maintenance", _("Under maintenance")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="equipment"
    )
    model = models.CharField(_("model"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="fablab/equipment/", blank=True, validators=[validate_image_upload])
    purpose = models.TextField(_("what it is good for"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    requires_clearance = models.BooleanField(_("requires a safety clearance"), default=False)
    funding_project = models.ForeignKey(
        FundingProject,
        verbose_name=_("funding project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment",
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    # Site search (technopark.search): kept current by PostgreSQL, one per language.
    search_uz = stored_search_vector("uz", name_uz="A", model="B", purpose_uz="C")
    search_ru = stored_search_vector("ru", name_ru="A", model="B", purpose_ru="C")
    search_en = stored_search_vector("en", name_en="A", model="B", purpose_en="C")

    objects = EquipmentQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "name"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        indexes = [
            models.Index(fields=["status"]),
            *search_indexes("fablab_equipment", uz="name_uz", ru="name_ru", en="name_en"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("fablab:equipment_detail", kwargs={"slug": self.slug})


class ClearanceQuerySet(models.QuerySet):
    def valid(self, on: datetime.date | None = None):
        """Clearances not revoked and not expired on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, expires_on__gte=on)


class Clearance(models.Model):
    """A person's completed safety training for a category of machines."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="fablab_clearances"
    )
    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="clearances"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_on = models.DateField(_("expires on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ClearanceQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("safety clearance")
        verbose_name_plural = _("safety clearances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(revoked_at__isnull=True),
                name="fablab_one_active_clearance_per_category",
            ),
        ]
        indexes = [models.Index(fields=["user", "category", "expires_on"])]

    def __str__(self):
        return f"{self.user} · {self.category}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()


class MaintenanceWindow(models.Model):
    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.CASCADE, related_name="maintenance_windows"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fablab_maintenance_end_after_start"),
        ]
        indexes = [models.Index(fields=["equipment", "start"])]

    def __str__(self):
        return f"{self.equipment} · {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Weekday(models.IntegerChoices):
    # Python's date.weekday(): Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def _hours_pair_valid() -> Q:
    """Both times empty (closed) or both set with the closing after the opening."""
    return Q(opens__isnull=True, closes__isnull=True) | Q(
        opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")
    )


class WeeklyHours(models.Model):
    """The FabLab's usual hours on one day of the week; no times means closed that day.

    One row per weekday (a missing row also means closed). ``fablab_within_hours()`` in the
    database and ``fablab.hours`` in Python read this table and ``OpeningException``.
    """

    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices, unique=True)
    opens = models.TimeField(_("opens at"), null=True, blank=True)
    closes = models.TimeField(_("closes at"), null=True, blank=True)

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("weekly opening hours")
        verbose_name_plural = _("weekly opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="fablab_weeklyhours_weekday"),
            models.CheckConstraint(condition=_hours_pair_valid(), name="fablab_weeklyhours_closes_after_opens"),
        ]

    def __str__(self):
        return self.get_weekday_display()

    @property
    def is_open(self) -> bool:
        return self.opens is not None

    def clean(self):
        _clean_hours(self.opens, self.closes, required=False)


def _clean_hours(opens, closes, *, required: bool):
    if (opens is None) != (closes is None):
        raise ValidationError(_("Give both the opening and the closing time, or neither (closed)."), code="pair")
    if required and opens is None:
        raise ValidationError(_("Give the opening and the closing time of this day."), code="required")
    if opens is not None and closes <= opens:
        raise ValidationError({"closes": _("The closing time must be after the opening time.")}, code="order")


class OpeningException(models.Model):
    """A date whose hours differ from the week's: a public holiday, a closure or special hours."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (closed)")
        CLOSED = "closed", _("Closed")
        HOURS = "hours", _("Special hours")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("name"), max_length=200, help_text=_("For example “Navruz” or “Inventory day”."))
    opens = models.TimeField(_("opens at"), null=True, blank=True, help_text=_("Only for special hours."))
    closes = models.TimeField(_("closes at"), null=True, blank=True, help_text=_("Only for special hours."))

    class Meta:
        ordering = ["date"]
        verbose_name = _("opening exception")
        verbose_name_plural = _("holidays and opening exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "closed"], opens__isnull=True, closes__isnull=True)
                | Q(kind="hours", opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="fablab_openingexception_hours_match_kind",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} · {self.name}"

    @property
    def is_open(self) -> bool:
        return self.kind == self.Kind.HOURS

    def clean(self):
        if self.kind == self.Kind.HOURS:
            _clean_hours(self.opens, self.closes, required=True)
        elif self.opens is not None or self.closes is not None:
            raise ValidationError(_("A closed day has no opening hours; choose “Special hours” to give times."))


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE_STATUSES)

    def overlapping(self, start, end):
        return self.filter(start__lt=end, end__gt=start)

    def upcoming(self):
        return self.filter(end__gt=timezone.now())


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", pgettext_lazy("booking status", "Completed")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED)
    # Statuses whose time stays claimed in the TimeBlock table.
    BLOCKING_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.COMPLETED)

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="fablab_bookings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.TextField(_("purpose"))
    startup = models.ForeignKey(
        "incubator.Startup",
        verbose_name=_("startup"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fablab_bookings",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note to the person"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        permissions = [("confirm_booking", _("Can confirm or reject bookings"))]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fablab_booking_end_after_start"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=False, checked_out_at__gte=models.F("checked_in_at")),
                name="fablab_booking_check_out_after_check_in",
            ),
            ExclusionConstraint(
                name="fablab_booking_no_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("equipment", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["requested", "confirmed"]),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["equipment", "start"]),
        ]

    def __str__(self):
        return f"{self.equipment} · {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def can_cancel(self) -> bool:
        return self.status in self.ACTIVE_STATUSES and self.start > timezone.now()


class BookingStatusChange(StatusChangeBase):
    """The history of a booking's status (see ``fablab.services.BOOKING_WORKFLOW``)."""

    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        pgettext_lazy("status history", "from"), max_length=20, choices=Booking.Status.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status history", "to"), max_length=20, choices=Booking.Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")
        indexes = [models.Index(fields=["booking", "at"], name="fablab_booking_history")]


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


class BookingSuspension(models.Model):
    """Self-booking suspended after repeated no-shows (``services.mark_no_shows``); staff may lift it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="fablab_suspensions",
    )
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="fablab_suspension_ends_after"),
        ]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self):
        return f"{self.user} · {timezone.localtime(self.ends_at):%d.%m.%Y}"


class TimeBlock(models.Model):
    """Time claimed on a machine, by a booking or by maintenance: one table, one constraint.

    Services write a block together with the booking or maintenance window it belongs to and
    delete it (by cascade or explicitly) when a booking is rejected or cancelled.
    """

    class Kind(models.TextChoices):
        BOOKING = "booking", _("Booked")
        MAINTENANCE = "maintenance", _("Maintenance")

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.CASCADE, related_name="time_blocks"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), null=True, blank=True, on_delete=models.CASCADE, related_name="block"
    )
    maintenance = models.OneToOneField(
        MaintenanceWindow,
        verbose_name=_("maintenance window"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="block",
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("time block")
        verbose_name_plural = _("time blocks")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fablab_block_end_after_start"),
            models.CheckConstraint(
                condition=(Q(kind="booking", booking__isnull=False, maintenance__isnull=True))
                | Q(kind="maintenance", booking__isnull=True, maintenance__isnull=False),
                name="fablab_block_one_owner",
            ),
            ExclusionConstraint(
                name="fablab_block_no_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("equipment", RangeOperators.EQUAL),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.equipment} · {self.get_kind_display()}"


class EngineeringSolutionQuerySet(models.QuerySet):
    def for_gallery(self):
        return self.select_related("startup").prefetch_related("photos", "equipment").order_by("-completed_on", "-id")


class EngineeringSolution(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"))
    completed_on = models.DateField(_("completed on"), db_index=True)
    team = models.CharField(_("team"), max_length=500, blank=True)
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment used"), blank=True, related_name="solutions"
    )
    startup = models.ForeignKey(
        "incubator.Startup",
        verbose_name=_("startup"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fablab_solutions",
    )

    # Site search (technopark.search): kept current by PostgreSQL, one per language.
    search_uz = stored_search_vector("uz", title_uz="A", description_uz="B", team="C")
    search_ru = stored_search_vector("ru", title_ru="A", description_ru="B", team="C")
    search_en = stored_search_vector("en", title_en="A", description_en="B", team="C")

    objects = EngineeringSolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("engineering solution")
        verbose_name_plural = _("engineering solutions")
        indexes = search_indexes("fablab_solution", uz="title_uz", ru="title_ru", en="title_en")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fablab:solution_detail", kwargs={"slug": self.slug})


class SolutionPhoto(models.Model):
    solution = models.ForeignKey(
        EngineeringSolution, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="fablab/solutions/", validators=[validate_image_upload])
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


# --- Safety trainings ------------------------------------------------------------------------


class TrainingSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(status=TrainingSession.Status.SCHEDULED, start__gt=now or timezone.now())

    def with_seats(self):
        """Annotate ``taken`` (seats held) and ``waiting`` (waitlist length): one query, no N+1."""
        return self.annotate(
            taken=models.Count("signups", filter=Q(signups__status__in=TrainingSignup.SEAT_STATUSES)),
            waiting=models.Count("signups", filter=Q(signups__status=TrainingSignup.Status.WAITLISTED)),
        )


class TrainingSession(models.Model):
    """A safety training for one category of machines: passing it grants the category's clearance."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        related_name="fablab_trainings_given",
        limit_choices_to={"is_staff": True},
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=8)
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("safety training session")
        verbose_name_plural = _("safety training sessions")
        permissions = [("mark_training", _("Can mark attendance and passing of any safety training"))]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fablab_training_end_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="fablab_training_capacity_positive"),
        ]
        indexes = [models.Index(fields=["category", "status", "start"], name="fablab_training_upcoming")]

    def __str__(self):
        return f"{self.category} · {timezone.localtime(self.start):%d.%m.%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("fablab:staff_training", kwargs={"pk": self.pk})

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.trainer_id and not self.trainer.is_staff:
            raise ValidationError({"trainer": _("The trainer must be a member of the staff.")})


class TrainingSignupQuerySet(models.QuerySet):
    def waitlist(self):
        return self.filter(status=TrainingSignup.Status.WAITLISTED).order_by("created_at", "pk")


class TrainingSignup(models.Model):
    """A person on a training session: a seat (signed up, then passed / not passed / absent), the
    waitlist, or cancelled. Seats are counted under a lock on the session row
    (``services.training_sign_up``); the partial unique constraint stops a double sign-up."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("training sign-up", "Cancelled")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Attended, not passed")
        ABSENT = "absent", _("Absent")

    SEAT_STATUSES = (Status.SIGNED_UP, Status.PASSED, Status.FAILED, Status.ABSENT)
    ACTIVE_STATUSES = (Status.SIGNED_UP, Status.WAITLISTED, Status.PASSED, Status.FAILED, Status.ABSENT)
    MARKED_STATUSES = (Status.PASSED, Status.FAILED, Status.ABSENT)

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("training session"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="fablab_trainings"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    clearance = models.ForeignKey(
        Clearance,
        verbose_name=_("clearance granted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TrainingSignupQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("training sign-up")
        verbose_name_plural = _("training sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["signed_up", "waitlisted", "passed", "failed", "absent"]),
                name="fablab_training_one_signup_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="fablab_signup_session_status"),
            models.Index(fields=["user", "status"], name="fablab_signup_user_status"),
        ]

    def __str__(self):
        return f"{self.user} · {self.session}"


# --- Fault reports ---------------------------------------------------------------------------


def fault_photo_path(instance, filename):
    # The name is replaced by a random one when the picture is re-encoded (technopark.uploads).
    return f"fablab/faults/{filename}"


class FaultReport(models.Model):
    """A person with a valid clearance tells the staff that a machine is broken; staff turn it into
    a maintenance window in one step (``services.fault_to_maintenance``). The photo is private."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MAINTENANCE = "maintenance", _("Maintenance scheduled")
        DISMISSED = "dismissed", _("Dismissed")

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.CASCADE, related_name="fault_reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="fablab_fault_reports",
    )
    text = models.TextField(_("what is wrong"))
    photo = models.ImageField(
        _("photo"),
        upload_to=fault_photo_path,
        storage=private_storage,
        blank=True,
        validators=[validate_image_upload],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    maintenance = models.ForeignKey(
        MaintenanceWindow,
        verbose_name=_("maintenance window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fault_reports",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        indexes = [models.Index(fields=["status", "created_at"], name="fablab_fault_status")]

    def __str__(self):
        return f"{self.equipment} · {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"
