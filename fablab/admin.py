from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from technopark.admin import MinorColumnsMixin, StatusHistoryInline
from technopark.exports import LabelledExportForm

from . import selectors, services
from .forms import ClearanceAdminForm, MaintenanceAdminForm
from .models import (
    Booking,
    BookingStatusChange,
    BookingSuspension,
    Clearance,
    EngineeringSolution,
    Equipment,
    EquipmentCategory,
    FaultReport,
    FundingProject,
    MaintenanceWindow,
    OpeningException,
    SolutionPhoto,
    TrainingSession,
    TrainingSignup,
    Weekday,
    WeeklyHours,
)
from .resources import BookingResource


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "clearance_valid_days"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(FundingProject)
class FundingProjectAdmin(TranslationAdmin):
    list_display = ["name", "funder", "start", "end"]
    search_fields = ["name", "funder"]
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Equipment)
class EquipmentAdmin(TranslationAdmin):
    list_display = ["name", "category", "model", "status", "requires_clearance", "funding_project", "acquired_on"]
    list_filter = ["category", "status", "requires_clearance", "funding_project"]
    search_fields = ["name", "model"]
    list_select_related = ["category", "funding_project"]
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Clearance)
class ClearanceAdmin(admin.ModelAdmin):
    """Grant through the form (an active clearance of the category is extended); revoke by action."""

    form = ClearanceAdminForm
    list_display = ["user", "category", "granted_at", "expires_on", "granted_by", "revoked_at"]
    list_filter = ["category", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "category", "granted_by"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "category", "granted_at", "granted_by", "revoked_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj:
            return ["user", "category", "expires_on", "granted_at", "granted_by", "revoked_at"]
        return ["user", "category", "expires_on"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["expires_on"])
            return
        try:
            saved = services.clearance_grant(
                user=obj.user, category=obj.category, expires_on=obj.expires_on, by=request.user
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        obj.pk = saved.pk

    @admin.action(description=_("Revoke the selected clearances"), permissions=["change"])
    def revoke(self, request, queryset):
        done = 0
        for clearance in queryset.filter(revoked_at__isnull=True):
            services.clearance_revoke(clearance=clearance, by=request.user)
            done += 1
        self.message_user(
            request, ngettext("%(count)d clearance revoked.", "%(count)d clearances revoked.", done) % {"count": done}
        )


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    """Windows are scheduled and rescheduled through the services, so the machine's time block
    moves with them and a clash is explained instead of failing on the constraint."""

    form = MaintenanceAdminForm
    list_display = ["equipment", "start", "end", "reason", "created_by"]
    list_filter = ["equipment__category", "equipment"]
    list_select_related = ["equipment", "created_by"]
    date_hierarchy = "start"

    def get_readonly_fields(self, request, obj=None):
        # The machine of a window stays: to block another machine, schedule a new window.
        return ["equipment"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        original_clean = form.clean

        def clean(self):
            data = original_clean(self)
            if self.errors:
                return data
            arguments = {
                "start": data["start"],
                "end": data["end"],
                "reason": data["reason"],
                "by": request.user,
                "cancel_conflicting": data.get("cancel_conflicting", False),
            }
            try:
                if obj is None:
                    self._saved = services.maintenance_schedule(equipment=data["equipment"], **arguments)
                else:
                    self._saved = services.maintenance_reschedule(window=obj, **arguments)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
            return data

        form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        # The service saved the window (and its time block) while the form was validated.
        obj.pk = form._saved.pk
        obj.created_by = form._saved.created_by


class BookingHistoryInline(StatusHistoryInline):
    model = BookingStatusChange


@admin.register(Booking)
class BookingAdmin(MinorColumnsMixin, ExportMixin, admin.ModelAdmin):
    """Bookings are made on the site; staff confirm, reject, complete or cancel them here."""

    resource_classes = [BookingResource]
    export_form_class = LabelledExportForm  # the field checkboxes in the person's language
    formats = [CSV, XLSX]
    list_display = ["equipment", "user", "under_16", "start", "end", "status", "startup", "decided_by", "created_at"]
    list_filter = ["status", "equipment__category", "equipment", ("startup", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "purpose", "equipment__name"]
    list_select_related = ["equipment", "user", "startup", "decided_by"]
    date_hierarchy = "start"
    readonly_fields = [
        "equipment",
        "user",
        "start",
        "end",
        "purpose",
        "startup",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
        "checked_in_at",
        "checked_out_at",
        "checked_in_by",
        "guardian",
    ]
    inlines = [BookingHistoryInline]
    actions = ["confirm", "reject", "complete", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a booking ends by the actions (reject, cancel), which free the machine and tell the person

    def _apply(self, request, queryset, func, done_message):
        done, failed = 0, []
        for booking in queryset.select_related("equipment", "user"):
            try:
                func(booking=booking, by=request.user)
                done += 1
            except ValidationError as exc:
                failed.append(f"{booking}: {' '.join(exc.messages)}")
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Confirm the selected bookings (e-mail the people)"), permissions=["confirm"])
    def confirm(self, request, queryset):
        self._apply(request, queryset, services.booking_confirm, _("%(count)d booking(s) confirmed."))

    @admin.action(description=_("Reject the selected bookings (e-mail the people)"), permissions=["confirm"])
    def reject(self, request, queryset):
        self._apply(request, queryset, services.booking_reject, _("%(count)d booking(s) rejected."))

    @admin.action(description=_("Mark the selected bookings as completed"), permissions=["confirm"])
    def complete(self, request, queryset):
        self._apply(request, queryset, services.booking_complete, _("%(count)d booking(s) completed."))

    @admin.action(description=_("Cancel the selected bookings (e-mail the people)"), permissions=["confirm"])
    def cancel(self, request, queryset):
        self._apply(request, queryset, services.booking_cancel_by_staff, _("%(count)d booking(s) cancelled."))

    def has_confirm_permission(self, request):
        return request.user.has_perm("fablab.confirm_booking")


class OutsideHoursWarningMixin:
    """After the hours or holidays change, say how many bookings to come they no longer cover
    (nothing is cancelled by itself) and link to the staff page that lists them."""

    def _warn_outside_hours(self, request):
        count = selectors.bookings_outside_hours().count()
        if count:
            text = ngettext(
                "%(count)d requested or confirmed booking is now outside the opening hours.",
                "%(count)d requested or confirmed bookings are now outside the opening hours.",
                count,
            ) % {"count": count}
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', text, reverse("fablab:staff_outside_hours"), _("Review them")),
                messages.WARNING,
            )

    def response_add(self, request, obj, post_url_continue=None):
        self._warn_outside_hours(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._warn_outside_hours(request)
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        self._warn_outside_hours(request)
        return super().response_delete(request, obj_display, obj_id)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "POST" and response.status_code == 302:  # list_editable saved
            self._warn_outside_hours(request)
        return response


@admin.register(BookingSuspension)
class BookingSuspensionAdmin(admin.ModelAdmin):
    """Self-booking suspensions after no-shows (``services.mark_no_shows``); lift them by action."""

    list_display = ["user", "starts_at", "ends_at", "reason", "lifted_at", "lifted_by"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "lifted_by"]
    autocomplete_fields = ["user"]
    readonly_fields = ["lifted_at", "lifted_by"]
    actions = ["lift"]

    @admin.action(description=_("Lift the selected suspensions"), permissions=["change"])
    def lift(self, request, queryset):
        done = 0
        for suspension in queryset.filter(lifted_at__isnull=True):
            services.suspension_lift(suspension=suspension, by=request.user)
            done += 1
        self.message_user(request, _("%(count)d suspension(s) lifted.") % {"count": done})


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(OutsideHoursWarningMixin, admin.ModelAdmin):
    """The usual week: one row per weekday; empty times mean closed."""

    list_display = ["weekday", "opens", "closes"]
    list_display_links = ["weekday"]
    list_editable = ["opens", "closes"]
    ordering = ["weekday"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and WeeklyHours.objects.count() < 7

    def has_delete_permission(self, request, obj=None):
        return False  # a closed day is a row without times

    def get_readonly_fields(self, request, obj=None):
        return ["weekday"] if obj else []


@admin.register(OpeningException)
class OpeningExceptionAdmin(OutsideHoursWarningMixin, TranslationAdmin):
    """Public holidays, other closed days and days with special (e.g. shortened) hours."""

    list_display = ["date", "weekday", "name", "kind", "opens", "closes"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]

    @admin.display(description=_("day of the week"))
    def weekday(self, obj):
        return Weekday(obj.date.weekday()).label


class SolutionPhotoInline(TranslationTabularInline):
    model = SolutionPhoto
    extra = 1


@admin.register(EngineeringSolution)
class EngineeringSolutionAdmin(TranslationAdmin):
    list_display = ["title", "completed_on", "team", "startup"]
    list_filter = [("completed_on", admin.DateFieldListFilter), "equipment"]
    search_fields = ["title", "description", "team"]
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ["equipment"]
    raw_id_fields = ["startup"]
    list_select_related = ["startup"]
    date_hierarchy = "completed_on"
    inlines = [SolutionPhotoInline]


class TrainingSignupInline(admin.TabularInline):
    """Read-only: people sign up on the site; the trainer marks them on the staff page."""

    model = TrainingSignup
    extra = 0
    can_delete = False
    fields = ["user", "status", "created_at", "marked_at", "marked_by", "clearance"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    """Schedule sessions here (the capacity may grow: the waitlist moves up); sign-ups are made on the
    site, results are marked on the staff page, and a session is called off with the action."""

    list_display = ["category", "start", "end", "trainer", "capacity", "place", "status"]
    list_filter = ["status", "category"]
    date_hierarchy = "start"
    autocomplete_fields = ["trainer"]
    readonly_fields = ["status"]
    inlines = [TrainingSignupInline]
    actions = ["cancel_sessions"]

    def save_model(self, request, obj, form, change):
        capacity = obj.capacity
        if change and "capacity" in form.changed_data:
            obj.capacity = form.initial["capacity"]
            super().save_model(request, obj, form, change)
            moved = services.training_set_capacity(session=obj, capacity=capacity)
            obj.capacity = capacity
            if moved:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person moved up from the waitlist.",
                        "%(count)d people moved up from the waitlist.",
                        len(moved),
                    )
                    % {"count": len(moved)},
                )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cancel the selected sessions (tell the people)"), permissions=["change"])
    def cancel_sessions(self, request, queryset):
        done = 0
        for session in queryset:
            try:
                services.training_session_cancel(session=session, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{session}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)d session(s) cancelled.") % {"count": done})


@admin.register(FaultReport)
class FaultReportAdmin(admin.ModelAdmin):
    """Reports come from the site; staff handle them on the staff page ("Fault reports")."""

    list_display = ["equipment", "reported_by", "created_at", "status", "maintenance", "handled_by"]
    list_filter = ["status", "equipment__category"]
    date_hierarchy = "created_at"
    fields = [
        "equipment",
        "reported_by",
        "text",
        "photo",
        "status",
        "created_at",
        "maintenance",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
