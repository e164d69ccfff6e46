from django import forms
from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin, StaticTokenInline
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read only for everyone, superusers included; the database refuses changes anyway."""

    list_display = ["at", "actor_email", "action", "what", "object_id", "path", "ip"]
    list_filter = ["action", "what"]
    search_fields = ["actor_email", "what", "object_id", "path"]
    date_hierarchy = "at"
    readonly_fields = list_display + ["actor_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- django-otp's devices in the portal's languages ------------------------------------------
# django-otp writes its admin in English only (field help, fieldsets, search help, no gettext), so
# the people administrator resetting a lost authenticator saw an English page in Uzbek and
# Russian. Its admins are registered again here with translated labels; the models keep their
# English field options (changing them would make migrations for django-otp's apps), the model
# and app names are set in SecurityConfig.ready().
DEVICE_FIELDS = {
    "user": (_("person"), _("The member of staff who signs in with this device.")),
    "name": (_("name"), _("A name that tells this device from the person's others.")),
    "confirmed": (_("confirmed"), _("Whether the device is ready for use.")),
    "throttling_failure_timestamp": (
        _("last failed attempt"),
        _("When a wrong code was last typed; empty if the last attempt succeeded."),
    ),
    "throttling_failure_count": (_("failed attempts in a row"), _("Wrong codes typed one after another.")),
    "key": (_("secret key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("time step"), _("The time step in seconds.")),
    "t0": (_("start time"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a code.")),
    "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
    "drift": (_("clock drift"), _("The number of time steps the phone is known to deviate from our clock.")),
    "token": (_("recovery code"), ""),
}
FIELDSET_NAMES = {
    "Identity": _("Device"),
    "Timestamps": _("Dates"),
    "Configuration": _("Settings"),
    "State": _("State"),
    "Throttling": _("Wrong codes"),
}


class DeviceForm(forms.ModelForm):
    class Meta:
        labels = {name: capfirst(label) for name, (label, _help) in DEVICE_FIELDS.items()}
        help_texts = {name: help_text for name, (_label, help_text) in DEVICE_FIELDS.items()}


def titled(filter_class, title):
    """``filter_class`` (a field's list filter) under a translated title: Django titles it with
    the model field's verbose name, which django-otp leaves in English."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class TranslatedDeviceAdmin(admin.ModelAdmin):
    """What django-otp's device admins show, with the columns, filters, read-only dates,
    fieldsets and search help in the active language."""

    form = DeviceForm
    list_display = ["person", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = [
        ("created_at", titled(admin.DateFieldListFilter, _("created"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("last used"))),
        ("confirmed", titled(admin.BooleanFieldListFilter, _("confirmed"))),
    ]
    search_fields = ["user__email", "user__full_name"]
    search_help_text = _("Search by the person's e-mail or name.")
    readonly_fields = ["created", "last_used"]

    def get_fieldsets(self, request, obj=None):
        dates = {"created_at": "created", "last_used_at": "last_used"}
        return [
            (
                FIELDSET_NAMES.get(name, name),
                {**options, "fields": [dates.get(field, field) for field in options["fields"]]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("person"), ordering="user__email")
    def person(self, device):
        return device.user

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device):
        return device.name

    # Formatted here: a read-only field that is a method gets its value as it is (an add page
    # showed "None", a change page the UTC "2026-11-30 14:03:47.476802+00:00").
    @admin.display(description=_("created"), ordering="created_at")
    def created(self, device):
        return display_for_value(device.created_at, self.get_empty_value_display())

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return display_for_value(device.last_used_at, self.get_empty_value_display())

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed


class RecoveryCodeForm(forms.ModelForm):
    class Meta:
        labels = {"token": capfirst(DEVICE_FIELDS["token"][0])}


class RecoveryCodeInline(StaticTokenInline):
    form = RecoveryCodeForm


class TranslatedStaticDeviceAdmin(TranslatedDeviceAdmin, StaticDeviceAdmin):
    inlines = [RecoveryCodeInline]


class TranslatedTOTPDeviceAdmin(TranslatedDeviceAdmin, TOTPDeviceAdmin):
    def get_list_display(self, request):
        # django-otp adds its English "QR Code" column unless OTP_ADMIN_HIDE_SENSITIVE_DATA is on
        # (it is: the admin never shows an authenticator's secret).
        return [column for column in super().get_list_display(request) if column != "qrcode_link"]


for model, model_admin in ((StaticDevice, TranslatedStaticDeviceAdmin), (TOTPDevice, TranslatedTOTPDeviceAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
