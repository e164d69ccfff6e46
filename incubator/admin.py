from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin

from technopark.exports import LabelledExportForm

from . import services
from .models import (
    Application,
    Competition,
    ConflictOfInterest,
    DecisionTemplate,
    ExchangeRate,
    Investment,
    Investor,
    InvestorDay,
    Mentor,
    Milestone,
    MonthlyReport,
    OfficeHourBooking,
    OfficeHourSlot,
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
from .resources import ApplicationResource, InvestmentResource, ReviewResource

EXPORT_FORMATS = [CSV, XLSX]


class ScoreCriterionInline(admin.TabularInline):
    model = ScoreCriterion
    extra = 0


@admin.register(Season)
class SeasonAdmin(TranslationAdmin):
    list_display = (
        "number",
        "title",
        "application_opens",
        "application_closes",
        "review_deadline",
        "programme_start",
        "programme_end",
    )
    inlines = [ScoreCriterionInline]


@admin.register(ScoreCriterion)
class ScoreCriterionAdmin(TranslationAdmin):
    list_display = ("name", "season", "weight", "order")
    list_filter = ("season",)


class TeamMemberInline(admin.TabularInline):
    """Read only: members are invited and confirm through the services (signed single-use links)."""

    model = TeamMember
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    """The history, read-only: it is written only by the services."""

    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewAssignmentInline(admin.TabularInline):
    model = ReviewAssignment
    extra = 0
    fields = ("reviewer", "assigned_at", "assigned_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _decide(decision):
    def action(modeladmin, request, queryset):
        done = 0
        for application in queryset:
            try:
                services.application_decide(application=application, actor=request.user, decision=decision)
                done += 1
            except ValidationError as exc:
                modeladmin.message_user(request, f"{application}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(count)d applications updated.") % {"count": done})

    action.__name__ = f"decide_{decision}"
    action.allowed_permissions = ("decide",)
    return action


@admin.register(Application)
class ApplicationAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [ApplicationResource]
    export_form_class = LabelledExportForm  # the field checkboxes in the person's language
    formats = EXPORT_FORMATS
    list_display = ("team_name", "project_title", "season", "applicant", "industry", "stage", "status", "submitted_at")
    list_filter = ("season", "status", "industry", "stage")
    search_fields = ("team_name", "project_title", "applicant__email", "applicant__full_name")
    list_select_related = ("season", "applicant")
    raw_id_fields = ("applicant",)
    readonly_fields = ("status", "submitted_at", "created_at", "updated_at")
    inlines = [TeamMemberInline, ReviewAssignmentInline, StatusChangeInline]

    def has_add_permission(self, request):
        # Applications are written by applicants (application_save_draft / application_submit).
        return False

    def get_readonly_fields(self, request, obj=None):
        # Who applied, and to which season, never changes: the conflict and self-review checks
        # of the assignments already made depend on it.
        return (*super().get_readonly_fields(request, obj), "season", "applicant")

    actions = [
        _decide(Application.Status.SHORTLISTED),
        _decide(Application.Status.ACCEPTED),
        _decide(Application.Status.REJECTED),
        _decide(Application.Status.WAITLISTED),
    ]

    def has_decide_permission(self, request):
        return request.user.has_perm("incubator.decide_application")


_decide_shortlisted, _decide_accepted, _decide_rejected, _decide_waitlisted = ApplicationAdmin.actions
_decide_shortlisted.short_description = _("Shortlist the selected applications")
_decide_accepted.short_description = _("Accept the selected applications")
_decide_rejected.short_description = _("Reject the selected applications")
_decide_waitlisted.short_description = _("Put the selected applications on the waiting list")


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("application", "from_status", "to_status", "actor", "at")
    list_filter = ("to_status",)
    list_select_related = ("application", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history is kept: nobody deletes it, superusers included


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "score")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [ReviewResource]
    export_form_class = LabelledExportForm  # the field checkboxes in the person's language
    formats = EXPORT_FORMATS
    list_display = ("application", "reviewer", "submitted_at", "shareable")
    list_filter = ("application__season", "reviewer", "shareable")
    list_select_related = ("application", "reviewer")
    raw_id_fields = ("application",)
    inlines = [ReviewScoreInline]

    # Reviews are written by their reviewers through review_submit (assignment, conflict of
    # interest, status and the blind rule are checked there); here they are read or withdrawn.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _reviewers():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.get(content_type__app_label="incubator", codename="review_application")
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions=perm) | Q(user_permissions=perm), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


class ServiceAddMixin:
    """Objects are added through a service that checks the rules; a refusal shows on the form.
    Existing objects are read only (a reviewer is replaced on the review progress page)."""

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = _reviewers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        add = self.add_through_service

        class ServiceForm(form):
            def _post_clean(self):
                super()._post_clean()  # the model's own checks first, before the service adds the row
                if obj is None and not self.errors:
                    try:
                        self._saved = add(request, self.cleaned_data)
                    except ValidationError as exc:
                        self.add_error(None, exc.messages)

        return ServiceForm

    def save_model(self, request, obj, form, change):
        # The service saved the object while the form was validated.
        obj.pk = form._saved.pk


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ServiceAddMixin, admin.ModelAdmin):
    list_display = ("application", "reviewer", "assigned_at", "assigned_by")
    list_select_related = ("application", "reviewer", "assigned_by")
    raw_id_fields = ("application",)
    fields = ("application", "reviewer")

    def add_through_service(self, request, data):
        # Conflict of interest, no self-review, the application's status: services.reviewer_assign.
        return services.reviewer_assign(
            application=data["application"], reviewer=data["reviewer"], assigned_by=request.user
        )


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ServiceAddMixin, admin.ModelAdmin):
    list_display = ("application", "reviewer", "declared_at")
    list_select_related = ("application", "reviewer")
    raw_id_fields = ("application",)
    fields = ("application", "reviewer", "reason")

    def add_through_service(self, request, data):
        return services.conflict_declare(
            application=data["application"], reviewer=data["reviewer"], reason=data.get("reason", "")
        )


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "season", "application")
    list_filter = ("season",)
    search_fields = ("name", "email")
    list_select_related = ("season", "application")
    raw_id_fields = ("user", "application")


class InvestmentInline(admin.TabularInline):
    model = Investment
    extra = 0
    fields = ("date", "investor", "amount", "currency", "kind", "uzs_value", "investor_day")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("title", "due_on", "done_on")


class MonthlyReportInline(admin.TabularInline):
    """The founders' own figures: read here, written by them through the report page."""

    model = MonthlyReport
    extra = 0
    can_delete = False
    fields = (
        "month",
        "revenue_uzs",
        "active_users",
        "employees",
        "jobs_created",
        "money_raised_uzs",
        "money_raised_from",
        "submitted_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Startup)
class StartupAdmin(TranslationAdmin):
    list_display = ("name", "season", "industry", "stage", "is_public")
    list_filter = ("season", "industry", "stage", "is_public")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("application",)
    filter_horizontal = ("founders",)
    inlines = [InvestmentInline, SubmissionInline, MilestoneInline, MonthlyReportInline]


@admin.register(Investor)
class InvestorAdmin(TranslationAdmin):
    """The name in uz, ru and en: an organisation's translated, a person's written the same."""

    list_display = ("name", "kind")
    list_filter = ("kind",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "date", "rate_to_uzs")
    list_filter = ("currency",)
    date_hierarchy = "date"


@admin.register(Investment)
class InvestmentAdmin(ExportMixin, admin.ModelAdmin):
    """Investments are recorded through the service so the UZS value comes from the rate."""

    resource_classes = [InvestmentResource]
    export_form_class = LabelledExportForm  # the field checkboxes in the person's language
    formats = EXPORT_FORMATS
    list_display = (
        "startup",
        "investor",
        "amount",
        "currency",
        "uzs_value",
        "date",
        "rate_date",
        "kind",
        "investor_day",
    )
    list_filter = ("currency", "kind", "investor", "startup__season")
    list_select_related = ("startup", "investor", "investor_day")
    readonly_fields = ("uzs_value", "rate_to_uzs", "rate_date")

    def save_model(self, request, obj, form, change):
        if change:
            rate, rate_date = services.rate_on(currency=obj.currency, date=obj.date)
            obj.uzs_value = services.convert_to_uzs(obj.amount, rate)
            obj.rate_to_uzs, obj.rate_date = (None, None) if rate_date is None else (rate, rate_date)
            obj.save()
            return
        created = services.investment_record(
            startup=obj.startup,
            investor=obj.investor,
            amount=obj.amount,
            currency=obj.currency,
            date=obj.date,
            kind=obj.kind,
            investor_day=obj.investor_day,
            note=obj.note,
        )
        obj.pk = created.pk
        obj.uzs_value = created.uzs_value

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if data.get("amount") and data.get("currency") and data.get("date"):
                    try:
                        services.uzs_value(amount=data["amount"], currency=data["currency"], date=data["date"])
                    except ValidationError as exc:
                        self.add_error("date", exc)
                return data

        return CheckedForm


@admin.register(InvestorDay)
class InvestorDayAdmin(TranslationAdmin):
    list_display = ("title", "date", "organiser", "venue")
    filter_horizontal = ("pitched_startups",)


@admin.register(Competition)
class CompetitionAdmin(TranslationAdmin):
    list_display = ("name", "kind", "organiser")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("startup", "competition", "deadline", "outcome", "award_amount")
    list_filter = ("competition", "outcome")
    list_select_related = ("startup", "competition")


@admin.register(DecisionTemplate)
class DecisionTemplateAdmin(admin.ModelAdmin):
    """The wording of a decision per season, in three languages; placeholders are checked on save."""

    list_display = ("season", "decision", "subject_uz", "updated_at", "preview")
    list_filter = ("season", "decision")
    list_select_related = ("season",)
    readonly_fields = ("preview",)
    fieldsets = (
        (None, {"fields": ("season", "decision", "preview")}),
        (_("Uzbek"), {"fields": ("subject_uz", "body_uz")}),
        (_("Russian"), {"fields": ("subject_ru", "body_ru")}),
        (_("English"), {"fields": ("subject_en", "body_en")}),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        help_text = _("Placeholders: {name}, {project}, {season}, {feedback}. Write {{ for a brace itself.")
        for name in ("subject_uz", "subject_ru", "subject_en", "body_uz", "body_ru", "body_en"):
            if name in form.base_fields:
                form.base_fields[name].help_text = help_text
        return form

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj or not obj.pk:
            return "—"
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">{}</a>',
            reverse("incubator:decision_template_preview", kwargs={"pk": obj.pk}),
            _("Preview with a real application"),
        )


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "is_external", "expertise", "languages", "is_active")
    list_filter = ("is_external", "is_active")
    search_fields = ("user__full_name", "user__email", "expertise")
    raw_id_fields = ("user",)
    list_select_related = ("user",)


def _live_booking(slot) -> bool:
    return slot.bookings.filter(status=OfficeHourBooking.Status.BOOKED).exists()


@admin.register(OfficeHourSlot)
class OfficeHourSlotAdmin(admin.ModelAdmin):
    """Slots are added through ``services.office_hours_publish`` (in the future, 15 minutes to
    4 hours, no overlap with the mentor's own); a published slot is not edited here (a founder
    may have booked it on its time); one without a live booking can be deleted."""

    list_display = ("mentor", "start", "end", "place")
    list_filter = ("mentor",)
    list_select_related = ("mentor__user",)
    date_hierarchy = "start"
    fields = ("mentor", "start", "end", "place")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not _live_booking(obj))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class PublishForm(form):
            def _post_clean(self):
                super()._post_clean()  # the model's own checks (end after start) first
                if obj is None and not self.errors:
                    data = self.cleaned_data
                    try:
                        self._saved = services.office_hours_publish(
                            mentor=data["mentor"],
                            start=data["start"],
                            minutes=int((data["end"] - data["start"]).total_seconds() // 60),
                            place=data.get("place", ""),
                        )
                    except ValidationError as exc:
                        self.add_error(None, exc.messages)

        return PublishForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = form._saved.pk  # saved by the service while the form was validated


@admin.register(OfficeHourBooking)
class OfficeHourBookingAdmin(admin.ModelAdmin):
    """Bookings and the mentors' notes, read-only: founders book and cancel, mentors write notes,
    through the services (the one-booking-per-slot rule and the messages live there)."""

    list_display = ("slot", "startup", "booked_by", "status", "noted_at")
    list_filter = ("status", "slot__mentor")
    list_select_related = ("slot__mentor__user", "startup", "booked_by")
    readonly_fields = (
        "slot",
        "startup",
        "booked_by",
        "topic",
        "status",
        "created_at",
        "cancelled_at",
        "mentor_note",
        "noted_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A live booking is cancelled by its founders (the mentor is told); not deleted here.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status != OfficeHourBooking.Status.BOOKED
        )


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("startup", "month", "revenue_uzs", "active_users", "employees", "jobs_created", "money_raised_uzs")
    list_filter = ("startup__season", "month")
    list_select_related = ("startup",)
    readonly_fields = ("submitted_by", "submitted_at")
