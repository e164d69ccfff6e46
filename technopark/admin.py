from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import MINOR_AGE, District, NewsArticle, TransliterationOverride, User

admin.site.site_header = _("Andijan Youth Technopark")
admin.site.site_title = _("Andijan Youth Technopark administration")
admin.site.index_title = _("Portal administration")


class MinorFilter(admin.SimpleListFilter):
    """People under 16 today, who signed up with a parent's or guardian's consent."""

    title = _("age")
    parameter_name = "minor"

    def lookups(self, request, model_admin):
        return [("yes", _("Under 16")), ("no", _("16 or older"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        try:
            born_after = today.replace(year=today.year - MINOR_AGE)
        except ValueError:  # 29 February
            born_after = today.replace(year=today.year - MINOR_AGE, day=28)
        if self.value() == "yes":
            return queryset.filter(birth_date__gt=born_after)
        if self.value() == "no":
            return queryset.filter(birth_date__lte=born_after)
        return queryset


# The names Django gives the four permissions of every model ("Can add course"): stored in
# English in the database, so the group and user forms show them through these.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def permission_label(permission: Permission) -> str:
    """A permission as Django shows it ("app | model | name"), with the name in the active
    language: a permission's name is stored in English when it is created, so Django's own label
    shows "Can see course feedback results" on an Uzbek or Russian page. A model's own
    permissions are translated by their msgid (the apps mark them with gettext_lazy in
    Meta.permissions), the four default ones are composed from the model's verbose name."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.removesuffix(f"_{content_type.model}")
    if model is not None and action in DEFAULT_PERMISSION_NAMES and action != permission.codename:
        name = DEFAULT_PERMISSION_NAMES[action] % {"name": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{content_type} | {name}"


class TranslatedPermissionsMixin:
    """The permission pickers of the group and user forms with :func:`permission_label`."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.remote_field.model is Permission:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "district", "under_16", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", MinorFilter, "groups", "gender", "district"]
    search_fields = ["email", "full_name", "phone", "organisation"]
    list_select_related = ["district"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {
                "fields": (
                    "full_name",
                    "phone",
                    "birth_date",
                    "gender",
                    "district",
                    "organisation",
                    "preferred_language",
                )
            },
        ),
        (
            _("Parent or guardian (people under 16)"),
            {"fields": ("guardian_name", "guardian_phone", "guardian_consent_at")},
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    # Least privilege: the accounts open only to superusers and the people administrator (the
    # "view user" permission); nobody else on the staff browses the register of young people.
    # A people administrator grants roles but makes no superuser and edits no superuser.
    SUPERUSER_ONLY_FIELDS = ["is_superuser", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.SUPERUSER_ONLY_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A person is anonymised through "My technopark" or by a superuser, never deleted by staff.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def _person_lookup(self, request) -> bool:
        """The admin's autocomplete asking for a person for a form the staff member may fill in
        (e.g. the FabLab manager granting a safety clearance)."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "autocomplete":
            return False
        app_label, model_name = request.GET.get("app_label", ""), request.GET.get("model_name", "")
        return any(request.user.has_perm(f"{app_label}.{action}_{model_name}") for action in ("add", "change"))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or (obj is None and self._person_lookup(request))

    def get_search_results(self, request, queryset, search_term):
        if self._person_lookup(request) and not super().has_view_permission(request):
            # Without the register, a person is found only by the exact e-mail or phone they gave.
            term = search_term.strip()
            if not term:
                return queryset.none(), False
            return queryset.filter(Q(email__iexact=term) | Q(phone=term.replace(" ", ""))), False
        return super().get_search_results(request, queryset, search_term)

    readonly_fields = ["guardian_consent_at", "email_confirmed_at", "anonymised_at"]

    @admin.display(description=_("under 16"), boolean=True)
    def under_16(self, obj):
        return obj.is_minor


@admin.register(District)
class DistrictAdmin(TranslationAdmin):
    list_display = ["name", "is_city", "order"]
    list_editable = ["order"]


@admin.register(NewsArticle)
class NewsArticleAdmin(TranslationAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_at"


@admin.register(TransliterationOverride)
class TransliterationOverrideAdmin(admin.ModelAdmin):
    """Ўзбекча: staff correct a word or phrase the transliteration rules write wrongly."""

    list_display = ("latin", "cyrillic", "generated", "updated_at")
    search_fields = ("latin", "cyrillic")
    readonly_fields = ("generated", "updated_at")
    fields = ("latin", "cyrillic", "generated", "updated_at")

    @admin.display(description=_("What the rules write"))
    def generated(self, obj):
        from .text import latin_to_cyrillic

        return latin_to_cyrillic(obj.latin) if obj and obj.latin else "—"


def guardian_contact(person) -> str:
    """What the staff who work with a person under 16 need: the parent's or guardian's name and phone
    given at sign-up (empty for anyone 16 or older). Shown by the admins of the people's own work
    (enrolments, bookings), which the coordinators and the FabLab managers open; the user admin
    stays with the people administrator."""
    if not person.is_minor:
        return ""
    return ", ".join(part for part in (person.guardian_name, person.guardian_phone) if part) or gettext("not given")


class MinorColumnsMixin:
    """For the admin of a person's own work (``obj.user``): whether they are under 16, and their
    parent's or guardian's contact (``guardian_contact``)."""

    @admin.display(description=_("under 16"), boolean=True)
    def under_16(self, obj):
        return obj.user.is_minor

    @admin.display(description=_("parent or guardian"))
    def guardian(self, obj):
        return guardian_contact(obj.user)


class StatusHistoryInline(admin.TabularInline):
    """A status history (``technopark.workflow.StatusChangeBase``), read only: statuses change
    through the admin actions, which call the apps' transition functions and log here."""

    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")
