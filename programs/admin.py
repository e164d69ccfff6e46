from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin

from technopark.admin import MinorColumnsMixin, StatusHistoryInline
from technopark.exports import LabelledExportForm

from . import services
from .forms import EarlyCompletionForm, RevokeForm
from .models import (
    Certificate,
    Course,
    Direction,
    Enrolment,
    EnrolmentStatusChange,
    Intake,
    IntakeStatusChange,
    Masterclass,
    MasterclassAttendance,
    PartnerSchool,
    Session,
    SessionMaterial,
)
from .resources import EnrolmentResource


def _run_service(modeladmin, request, queryset, service, done_message):
    done = 0
    for obj in queryset:
        try:
            service(obj)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {'; '.join(error.messages)}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.register(Direction)
class DirectionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "course_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ["name", "name_uz", "name_ru", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(course_count=Count("courses"))

    @admin.display(description=_("courses"), ordering="course_count")
    def course_count(self, obj):
        return obj.course_count


@admin.register(Course)
class CourseAdmin(TranslationAdmin):
    list_display = ["title", "direction", "level", "language", "min_age", "max_age", "hours", "fee", "is_active"]
    list_filter = ["direction", "level", "language", "is_active"]
    list_select_related = ["direction"]
    search_fields = ["title", "title_uz", "title_ru", "title_en", "slug"]
    prepopulated_fields = {"slug": ("title_en",)}


class IntakeHistoryInline(StatusHistoryInline):
    model = IntakeStatusChange


class EnrolmentHistoryInline(StatusHistoryInline):
    model = EnrolmentStatusChange


def _intake_action(to_status, description):
    """An admin action that moves the selected intakes to ``to_status`` through the service."""

    def action(modeladmin, request, queryset):
        promoted = []

        def move(intake):
            promoted.extend(services.intake_transition(intake, to_status, actor=request.user))

        _run_service(modeladmin, request, queryset, move, _("%(count)s intakes changed."))
        modeladmin.message_promoted(request, promoted)

    action.__name__ = f"move_to_{to_status}"
    return admin.action(description=description, permissions=["change"])(action)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["date", "topic"]


@admin.register(Intake)
class IntakeAdmin(TranslationAdmin):
    list_display = [
        "course",
        "start_date",
        "end_date",
        "instructor_name",
        "status",
        "capacity",
        "seats_taken",
        "waitlist_count",
        "seats_left",
        "attendance_link",
        "feedback_link",
    ]
    # A "Course feedback" button beside "Add intake" for those who may see the results.
    change_list_template = "programs/admin/intake_change_list.html"
    list_filter = ["status", "course__direction", "requires_approval"]
    list_select_related = ["course"]
    search_fields = ["course__title", "instructor_name"]
    date_hierarchy = "start_date"
    raw_id_fields = ["instructor"]
    # The status moves only through the actions below (the transition table, with history).
    readonly_fields = ["status"]
    inlines = [SessionInline, IntakeHistoryInline]
    actions = [
        _intake_action(Intake.Status.ENROLLING, _("Open the selected intakes for enrolment")),
        _intake_action(Intake.Status.PLANNED, _("Close enrolment (back to planned)")),
        _intake_action(Intake.Status.RUNNING, _("Start the selected intakes")),
        _intake_action(Intake.Status.FINISHED, _("Finish the selected intakes")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seats()

    def has_delete_permission(self, request, obj=None):
        # An intake made by mistake may go while its history holds only its creation; once its status
        # has moved, deleting it would delete that history with it (status history is kept: read
        # only for everyone, superusers included).
        if obj is not None and obj.history.exclude(from_status="").exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.INTAKE_WORKFLOW.record(obj, "", obj.status, actor=request.user)
        # More seats must not leave people waiting while seats are free.
        self.message_promoted(request, services.intake_fill_from_waitlist(intake=obj, actor=request.user))

    def message_promoted(self, request, promoted):
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)s person on the waitlist was offered a free seat, held until they answer.",
                    "%(count)s people on the waitlist were offered free seats, held until they answer.",
                    len(promoted),
                )
                % {"count": len(promoted)},
                messages.SUCCESS,
            )

    @admin.display(description=_("seats taken"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("waitlist"), ordering="waitlist_count")
    def waitlist_count(self, obj):
        return obj.waitlist_count

    @admin.display(description=_("seats left"), ordering="seats_left")
    def seats_left(self, obj):
        return obj.seats_left

    @admin.display(description=_("attendance"))
    def attendance_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("programs:intake_attendance", args=[obj.pk]), _("Mark attendance")
        )

    @admin.display(description=_("Course feedback"))
    def feedback_link(self, obj):
        """The intake's survey answers (averages and unsigned comments)."""
        return format_html(
            '<a href="{}">{}</a>', reverse("programs:feedback_intake", args=[obj.pk]), _("Course feedback")
        )


class IntakeListFilter(admin.RelatedFieldListFilter):
    """The intake filter, naming each intake by its course without a query per intake."""

    def field_choices(self, field, request, model_admin):
        intakes = Intake.objects.select_related("course").order_by("-start_date", "course__title")
        return [(intake.pk, str(intake)) for intake in intakes]


@admin.register(Enrolment)
class EnrolmentAdmin(MinorColumnsMixin, ExportActionMixin, admin.ModelAdmin):
    resource_classes = [EnrolmentResource]
    export_form_class = LabelledExportForm  # the field checkboxes in the person's language
    formats = [CSV, XLSX]
    list_display = ["user", "under_16", "intake", "status", "created_at", "decided_at", "district"]
    list_filter = [
        "status",
        "intake__course__direction",
        "intake__status",
        "user__district",
        ("intake", IntakeListFilter),
    ]
    list_select_related = ["user__district", "intake__course"]
    search_fields = ["user__full_name", "user__email", "intake__course__title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user", "intake"]
    readonly_fields = ["user", "intake", "status", "created_at", "decided_at"]
    inlines = [EnrolmentHistoryInline]
    actions = [
        "enrol_selected",
        "reject_selected",
        "complete_selected",
        "complete_early_selected",
        "drop_selected",
        "issue_certificates",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("user__district", "intake__course__direction", "certificate")
        )

    def get_readonly_fields(self, request, obj=None):
        # Every field is read only: an enrolment moves only through the actions, which call the
        # state machine (enrolment_transition) and keep the seats and the waitlist right.
        return [*(f.name for f in self.model._meta.concrete_fields if f.name != "id"), "guardian"]

    def has_delete_permission(self, request, obj=None):
        return False  # deleting would free a seat behind the waitlist's back: drop instead

    def has_add_permission(self, request):
        # Enrolments are made through the enrolment service (the course page), which keeps the seat count.
        return False

    @admin.display(description=_("district"), ordering="user__district__order")
    def district(self, obj):
        return obj.user.district

    @admin.action(description=_("Enrol the selected people"), permissions=["change"])
    def enrol_selected(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            lambda e: services.enrolment_approve(enrolment=e, actor=request.user),
            _("%(count)s enrolments confirmed."),
        )

    @admin.action(description=_("Reject the selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            lambda e: services.enrolment_reject(enrolment=e, actor=request.user),
            _("%(count)s rejected."),
        )

    @admin.action(description=_("Mark the selected as completed"), permissions=["change"])
    def complete_selected(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            lambda e: services.enrolment_complete(enrolment=e, actor=request.user),
            _("%(count)s marked as completed."),
        )

    @admin.action(
        description=_("Complete before the intake ends (an exception, with a reason)"), permissions=["complete_early"]
    )
    def complete_early_selected(self, request, queryset):
        form = EarlyCompletionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            _run_service(
                self,
                request,
                queryset,
                lambda e: services.enrolment_complete(enrolment=e, actor=request.user, reason=reason, exception=True),
                _("%(count)s marked as completed."),
            )
            return None
        return TemplateResponse(
            request,
            "programs/admin/complete_early.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Complete before the intake ends"),
                "form": form,
                "enrolments": queryset.select_related("user", "intake__course"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_complete_early_permission(self, request):
        return request.user.has_perm("programs.complete_early")

    @admin.action(description=_("Mark the selected as dropped (frees their seats)"), permissions=["change"])
    def drop_selected(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            lambda e: services.enrolment_withdraw(enrolment=e, actor=request.user),
            _("%(count)s marked as dropped."),
        )

    @admin.action(description=_("Issue certificates for the selected completed enrolments"), permissions=["issue"])
    def issue_certificates(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            lambda e: services.certificate_issue(enrolment=e),
            _("%(count)s certificates issued."),
        )

    def has_issue_permission(self, request):
        return request.user.has_perm("programs.issue_certificate")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder", "course", "issued_at", "revoked_at", "verify_link"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "enrolment__intake__course__direction"]
    list_select_related = ["enrolment__user", "enrolment__intake__course"]
    search_fields = ["code", "enrolment__user__full_name", "enrolment__user__email"]
    readonly_fields = ["enrolment", "code", "issued_at", "revoked_at", "revoke_reason"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        # Certificates are issued from the enrolment list ("Issue certificates"), only for completed enrolments.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an issued certificate is kept (its code is verifiable): revoke instead

    @admin.display(description=_("holder"), ordering="enrolment__user__full_name")
    def holder(self, obj):
        return obj.enrolment.user.full_name

    @admin.display(description=_("course"))
    def course(self, obj):
        return obj.enrolment.intake.course

    @admin.display(description=_("verification"))
    def verify_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))

    @admin.action(description=_("Revoke the selected certificates"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            _run_service(
                self,
                request,
                queryset,
                lambda c: services.certificate_revoke(certificate=c, reason=reason),
                _("%(count)s certificates revoked."),
            )
            return None
        return TemplateResponse(
            request,
            "programs/admin/revoke_certificates.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke certificates"),
                "form": form,
                "certificates": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_revoke_permission(self, request):
        return request.user.has_perm("programs.revoke_certificate")


@admin.register(PartnerSchool)
class PartnerSchoolAdmin(TranslationAdmin):
    list_display = ["name", "kind", "district", "students"]
    list_filter = ["kind", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "name_uz", "name_ru", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(students=Coalesce(Sum("masterclass_attendances__headcount"), 0))

    @admin.display(description=_("students attended"), ordering="students")
    def students(self, obj):
        return obj.students


class MasterclassAttendanceInline(admin.TabularInline):
    model = MasterclassAttendance
    extra = 1
    autocomplete_fields = ["school"]
    # The code the school receives for its students (programs:masterclass_register).
    readonly_fields = ["code"]


@admin.register(Masterclass)
class MasterclassAdmin(TranslationAdmin):
    list_display = ["title", "direction", "date", "host", "instructor", "school_count", "students"]
    list_filter = ["direction", "date"]
    list_select_related = ["direction", "host_school"]
    search_fields = ["title", "title_uz", "title_ru", "title_en", "instructor"]
    date_hierarchy = "date"
    autocomplete_fields = ["host_school"]
    inlines = [MasterclassAttendanceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                students=Coalesce(Sum("attendances__headcount"), 0),
                school_count=Count("attendances", filter=Q(attendances__headcount__gt=0)),
            )
        )

    @admin.display(description=_("host school or venue"))
    def host(self, obj):
        return obj.host_school or obj.venue

    @admin.display(description=_("schools"), ordering="school_count")
    def school_count(self, obj):
        return obj.school_count

    @admin.display(description=_("students"), ordering="students")
    def students(self, obj):
        return obj.students


class SessionMaterialInline(admin.TabularInline):
    model = SessionMaterial
    extra = 1
    fields = ["kind", "title", "url", "file", "order"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """A session's topic, materials (links or private files) and homework links."""

    list_display = ["date", "intake", "topic", "material_count"]
    list_filter = ["intake__course__direction", "intake__status"]
    list_select_related = ["intake__course"]
    search_fields = ["topic", "intake__course__title"]
    raw_id_fields = ["intake"]
    date_hierarchy = "date"
    inlines = [SessionMaterialInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(material_count=Count("materials"))

    @admin.display(description=_("materials"), ordering="material_count")
    def material_count(self, obj):
        return obj.material_count
