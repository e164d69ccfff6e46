"""Training directions, courses, intakes, enrolments, attendance and certificates;
"Professions of the Future": partner schools and masterclasses."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark.search import search_indexes, stored_search_vector
from technopark.storage import private_storage
from technopark.uploads import validate_content_agrees, validate_upload_size
from technopark.workflow import StatusChangeBase

MATERIAL_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "docx", "pptx", "xlsx", "odt", "odp", "zip", "py", "ino")


def validate_material_upload(upload) -> None:
    """Size limit, an allow-list of extensions and content that agrees with the extension
    (materials are opened only by the intake)."""
    import os

    if getattr(upload, "_committed", False):
        return
    validate_upload_size(upload)
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower().lstrip(".")
    if extension not in MATERIAL_EXTENSIONS:
        raise ValidationError(
            _("Materials may be files of these kinds: %(kinds)s."),
            code="bad_extension",
            params={"kinds": ", ".join(MATERIAL_EXTENSIONS)},
        )
    validate_content_agrees(upload, extension)  # also in the admin's session page


class Direction(models.Model):
    """A training direction, e.g. Web Programming or Robotics."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("A short symbol shown on cards."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:direction_detail", kwargs={"slug": self.slug})


class CourseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_age(self, age: int):
        return self.filter(min_age__lte=age, max_age__gte=age)

    def open_for_enrolment(self):
        return self.filter(models.Exists(Intake.objects.open_for_enrolment().filter(course=models.OuterRef("pk"))))


class Course(models.Model):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Language(models.TextChoices):
        UZ = "uz", _("Uzbek")
        RU = "ru", _("Russian")
        EN = "en", _("English")

    direction = models.ForeignKey(
        Direction, verbose_name=_("direction"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=12)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=30)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.UZ)
    hours = models.PositiveSmallIntegerField(_("hours"), default=72)
    fee = models.DecimalField(
        _("fee (UZS)"), max_digits=14, decimal_places=2, default=0, help_text=_("0 means the course is free.")
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance, %"),
        default=0,
        help_text=_("Attendance needed to complete the course (0 means no requirement)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Site search (technopark.search): kept current by PostgreSQL, one per language.
    search_uz = stored_search_vector("uz", title_uz="A", description_uz="B")
    search_ru = stored_search_vector("ru", title_ru="A", description_ru="B")
    search_en = stored_search_vector("en", title_en="A", description_en="B")

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["direction__order", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [
            models.Index(fields=["is_active", "direction"], name="programs_course_active_dir"),
            *search_indexes("programs_course", uz="title_uz", ru="title_ru", en="title_en"),
            models.Index(fields=["language"], name="programs_course_language"),
            models.Index(fields=["min_age", "max_age"], name="programs_course_ages"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="programs_course_age_range"),
            models.CheckConstraint(condition=Q(min_attendance_percent__lte=100), name="programs_course_attendance_pct"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="programs_course_fee_not_negative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:course_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The maximum age cannot be lower than the minimum age.")})
        if self.min_attendance_percent is not None and self.min_attendance_percent > 100:
            raise ValidationError({"min_attendance_percent": _("Attendance is a percentage from 0 to 100.")})

    @property
    def is_free(self) -> bool:
        return not self.fee


class IntakeQuerySet(models.QuerySet):
    def open_for_enrolment(self):
        return self.filter(status=Intake.Status.ENROLLING)

    def with_seats(self):
        """Annotate taken seats, waitlist length and seats left (one query, no N+1)."""
        return self.annotate(
            seats_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEAT_STATUSES)),
            waitlist_count=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
        ).annotate(seats_left=Greatest(F("capacity") - F("seats_taken"), 0))


class Intake(models.Model):
    """A group of a course with dates, a weekly schedule and a number of seats."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ENROLLING = "enrolling", _("Open for enrolment")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="intakes")
    instructor_name = models.CharField(_("instructor"), max_length=150)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taught_intakes",
        help_text=_("Lets the instructor mark attendance."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    schedule = models.CharField(_("weekly schedule"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=20)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    requires_approval = models.BooleanField(
        _("requires approval"), default=False, help_text=_("New enrolments wait for a coordinator's decision.")
    )

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        indexes = [
            models.Index(fields=["status", "start_date"], name="programs_intake_status_start"),
            models.Index(fields=["course", "start_date"], name="programs_intake_course_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="programs_intake_dates"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="programs_intake_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.course} · {self.start_date:%d.%m.%Y}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The intake cannot end before it starts.")})
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError({"capacity": _("An intake needs at least one seat.")})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ENROLLING


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Enrolment.ACTIVE_STATUSES)

    def current(self):
        """Students currently enrolled: enrolled in an intake that is running."""
        return self.filter(status=Enrolment.Status.ENROLLED, intake__status=Intake.Status.RUNNING)

    def waitlist(self):
        return self.filter(status=Enrolment.Status.WAITLISTED).order_by("created_at", "id")

    def waitlisted_ahead(self, *, intake_id, created_at, pk):
        """The waitlisted people before the one given (waitlist order: created_at, then id).
        The arguments may be values or ``OuterRef``s, so one rule serves a count and a subquery."""
        return self.filter(intake_id=intake_id, status=Enrolment.Status.WAITLISTED).filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=pk)
        )


class Enrolment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WAITLISTED = "waitlisted", _("Waitlisted")
        OFFERED = "offered", _("Seat offered")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")
        REJECTED = "rejected", _("Rejected")

    # One of these per person per intake at most (a partial unique constraint).
    ACTIVE_STATUSES = (Status.APPLIED, Status.WAITLISTED, Status.OFFERED, Status.ENROLLED, Status.COMPLETED)
    # These hold a seat of the intake (an open offer holds its seat until accepted, declined or lapsed).
    SEAT_STATUSES = (Status.APPLIED, Status.OFFERED, Status.ENROLLED, Status.COMPLETED)
    # Students: they attend, are marked, see materials and answer the course survey.
    STUDENT_STATUSES = (Status.ENROLLED, Status.COMPLETED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments"
    )
    intake = models.ForeignKey(Intake, verbose_name=_("intake"), on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(
        _("offer open until"),
        null=True,
        blank=True,
        help_text=_("A waitlisted person offered a freed seat must accept it by then."),
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["intake", "status", "created_at"], name="programs_enrol_intake_status"),
            models.Index(fields=["user", "status"], name="programs_enrol_user_status"),
            models.Index(fields=["status"], name="programs_enrol_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "intake"],
                condition=Q(status__in=["applied", "waitlisted", "offered", "enrolled", "completed"]),
                name="programs_enrolment_one_active_per_intake",
                violation_error_message=_("This person is already enrolled or waitlisted in this intake."),
            ),
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False) | ~Q(status="offered"),
                name="programs_enrolment_offer_has_deadline",
            ),
        ]
        permissions = [
            ("complete_early", _("Can complete an enrolment before its intake ends (a recorded exception)")),
            ("view_feedback_results", _("Can see course feedback results")),
        ]

    def __str__(self):
        return f"{self.user} → {self.intake}"

    @property
    def can_withdraw(self) -> bool:
        return self.status in (self.Status.APPLIED, self.Status.WAITLISTED, self.Status.OFFERED, self.Status.ENROLLED)

    @property
    def offer_open(self) -> bool:
        return (
            self.status == self.Status.OFFERED
            and bool(self.offer_expires_at)
            and self.offer_expires_at > timezone.now()
        )


class IntakeStatusChange(StatusChangeBase):
    """The history of an intake's status (see ``programs.services.INTAKE_WORKFLOW``)."""

    intake = models.ForeignKey(Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=20, choices=Intake.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Intake.Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("intake status change")
        verbose_name_plural = _("intake status changes")
        indexes = [models.Index(fields=["intake", "at"], name="programs_intake_history")]


class EnrolmentStatusChange(StatusChangeBase):
    """The history of an enrolment's status (see ``programs.services.ENROLMENT_WORKFLOW``)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Enrolment.Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("enrolment status change")
        verbose_name_plural = _("enrolment status changes")
        indexes = [models.Index(fields=["enrolment", "at"], name="programs_enrolment_history")]


class Session(models.Model):
    """One dated lesson of an intake."""

    intake = models.ForeignKey(Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["intake", "date"], name="programs_session_one_per_day")]

    def __str__(self):
        return f"{self.intake} · {self.date:%d.%m.%Y}"


def material_path(instance, filename):
    """Private storage; the stored name is random so that it cannot be guessed from the original."""
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"programs/materials/{uuid.uuid4().hex}{extension}"


class SessionMaterial(models.Model):
    """A link or a file of a session (a material), or a homework link. Files live in the private
    storage: only the intake's students and its staff open them (technopark.files.private_file)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("Material")
        HOMEWORK = "homework", _("Homework")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MATERIAL)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=material_path,
        blank=True,
        storage=private_storage,
        validators=[validate_material_upload],
        help_text=_("PDF, a picture or a document; at most 10 MB. Only the intake's students see it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session", "kind", "order", "id"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="programs_material_link_or_file",
            ),
            models.CheckConstraint(
                condition=Q(kind="material") | Q(file=""),
                name="programs_homework_is_a_link",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.url) == bool(self.file):
            raise ValidationError(_("Give either a link or a file."))
        if self.kind == self.Kind.HOMEWORK and self.file:
            raise ValidationError({"file": _("Homework is given as a link.")})

    @property
    def href(self) -> str:
        return self.url or self.file.url


class Attendance(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        permissions = [("mark_attendance", _("Can mark attendance of any intake"))]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="programs_attendance_once_per_session")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.session.date}"


def new_certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "AYT-" + "".join(secrets.choice(alphabet) for _ in range(10))


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("code"), max_length=20, unique=True, default=new_certificate_code)
    # The intake's dates as they were when the certificate was issued (a later edit of the intake
    # does not change what a certificate says).
    course_start = models.DateField(_("course started"), null=True)
    course_end = models.DateField(_("course ended"), null=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [
            ("issue_certificate", _("Can issue certificates")),
            ("revoke_certificate", _("Can revoke certificates")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="programs_certificate_revoke_has_reason",
            )
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"code": self.code})

    def clean(self):
        if self.revoked_at and not self.revoke_reason.strip():
            raise ValidationError({"revoke_reason": _("Say why the certificate is revoked.")})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CourseFeedback(models.Model):
    """A student's answer to the course survey sent when the intake ends. The instructor sees
    only the figures and the comments, never who wrote them."""

    RATING_FIELDS = ("content", "instructor", "pace")

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="feedback"
    )
    content = models.PositiveSmallIntegerField(_("content"))
    instructor = models.PositiveSmallIntegerField(_("instructor"))
    pace = models.PositiveSmallIntegerField(_("pace"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("course feedback")
        verbose_name_plural = _("course feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    content__gte=1, content__lte=5, instructor__gte=1, instructor__lte=5, pace__gte=1, pace__lte=5
                ),
                name="programs_feedback_ratings_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.content}/{self.instructor}/{self.pace}"


class PartnerSchool(models.Model):
    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational school")
        GENERAL = "general", _("General-education school")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    district = models.ForeignKey(
        "technopark.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="partner_schools"
    )

    class Meta:
        ordering = ["district__order", "name"]
        verbose_name = _("partner school")
        verbose_name_plural = _("partner schools")
        indexes = [models.Index(fields=["kind"], name="programs_school_kind")]

    def __str__(self):
        return self.name


class MasterclassQuerySet(models.QuerySet):
    def past(self):
        return self.filter(date__lte=timezone.localdate())

    def upcoming(self):
        return self.filter(date__gt=timezone.localdate())

    def with_students(self):
        return self.annotate(students=Coalesce(Sum("attendances__headcount"), 0))


class Masterclass(models.Model):
    """A "Professions of the Future" masterclass for school students."""

    title = models.CharField(_("title"), max_length=200)
    direction = models.ForeignKey(
        Direction, verbose_name=_("direction"), on_delete=models.PROTECT, related_name="masterclasses"
    )
    date = models.DateField(_("date"))
    host_school = models.ForeignKey(
        PartnerSchool,
        verbose_name=_("host school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_masterclasses",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    instructor = models.CharField(_("instructor"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    schools = models.ManyToManyField(
        PartnerSchool, verbose_name=_("schools"), through="MasterclassAttendance", related_name="masterclasses"
    )

    objects = MasterclassQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("masterclass")
        verbose_name_plural = _("masterclasses")
        indexes = [models.Index(fields=["date"], name="programs_masterclass_date")]

    def __str__(self):
        return f"{self.title} · {self.date:%d.%m.%Y}"

    def clean(self):
        if not self.host_school_id and not self.venue.strip():
            # On the form as a whole: the admin's form has no "venue" field (modeltranslation gives
            # it venue_uz/_ru/_en), and an error keyed to a missing field was a 500.
            raise ValidationError(_("Give a host school or a venue."), code="host_or_venue")


def new_masterclass_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class MasterclassAttendance(models.Model):
    masterclass = models.ForeignKey(
        Masterclass, verbose_name=_("masterclass"), on_delete=models.CASCADE, related_name="attendances"
    )
    school = models.ForeignKey(
        PartnerSchool, verbose_name=_("school"), on_delete=models.PROTECT, related_name="masterclass_attendances"
    )
    headcount = models.PositiveIntegerField(_("students"))
    # The school receives this code and gives it to its students: typed at sign-up (or later in
    # "My technopark") it links their account to this masterclass, which the path figures follow.
    code = models.CharField(_("registration code"), max_length=12, unique=True, default=new_masterclass_code)

    class Meta:
        verbose_name = _("masterclass attendance")
        verbose_name_plural = _("masterclass attendance")
        constraints = [
            models.UniqueConstraint(fields=["masterclass", "school"], name="programs_masterclass_school_once"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="programs_masterclass_headcount_positive"),
        ]

    def __str__(self):
        return f"{self.school}: {self.headcount}"


class MasterclassStudent(models.Model):
    """A person who was at a masterclass with their school and registered with its code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="masterclass_links"
    )
    attendance = models.ForeignKey(
        MasterclassAttendance,
        verbose_name=_("masterclass and school"),
        on_delete=models.CASCADE,
        related_name="students",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("masterclass student")
        verbose_name_plural = _("masterclass students")
        constraints = [models.UniqueConstraint(fields=["user", "attendance"], name="programs_masterclass_student_once")]
        indexes = [models.Index(fields=["registered_at"], name="programs_mc_student_registered")]

    def __str__(self):
        return f"{self.user} · {self.attendance}"
