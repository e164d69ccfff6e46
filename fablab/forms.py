import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.models import Startup
from technopark.widgets import IsoDateInput, IsoTimeInput

from .models import Clearance, Equipment, FaultReport, MaintenanceWindow


class DayAndHoursMixin:
    """A form with a ``day`` and ``start_time``/``end_time``: the booking's aware start and end."""

    def _aware(self, name):
        day, moment = self.cleaned_data.get("day"), self.cleaned_data.get(name)
        if day is None or moment is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    @property
    def start(self):
        return self._aware("start_time")

    @property
    def end(self):
        return self._aware("end_time")


class BookingForm(DayAndHoursMixin, forms.Form):
    """Day, start and end time in Andijan local time, purpose and optionally the startup.

    The form only parses the input; every rule is checked by ``services.booking_request``.
    """

    day = forms.DateField(label=_("Day"), widget=IsoDateInput())
    start_time = forms.TimeField(label=_("From"), widget=IsoTimeInput(attrs={"step": 900}))
    end_time = forms.TimeField(label=_("Until"), widget=IsoTimeInput(attrs={"step": 900}))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What are you going to make?"),
    )
    startup = forms.ModelChoiceField(label=_("Startup"), queryset=Startup.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["startup"].queryset = Startup.objects.filter(founders__user=user).distinct().order_by("name")
        if not self.fields["startup"].queryset.exists():
            del self.fields["startup"]


class ClearanceAdminForm(forms.ModelForm):
    class Meta:
        model = Clearance
        fields = ["user", "category", "expires_on"]

    def clean_expires_on(self):
        # The same rule as services.clearance_grant, said on the form so nothing half-saves.
        expires_on = self.cleaned_data["expires_on"]
        if self.instance.pk is None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."), code="expired")
        return expires_on


class MaintenanceAdminForm(forms.ModelForm):
    cancel_conflicting = forms.BooleanField(
        label=_("Cancel overlapping bookings"),
        required=False,
        help_text=_("Active bookings in this window are cancelled and their people told by e-mail."),
    )

    class Meta:
        model = MaintenanceWindow
        fields = ["equipment", "start", "end", "reason"]


class FaultReportForm(forms.ModelForm):
    """What is wrong and, if possible, a photo (checked by technopark.uploads, stored privately)."""

    class Meta:
        model = FaultReport
        fields = ["text", "photo"]
        labels = {"text": _("What is wrong?"), "photo": _("Photo (optional)")}
        help_texts = {"photo": _("PNG, JPEG, WebP or GIF. Only the FabLab staff see it.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}


class FaultMaintenanceForm(forms.Form):
    """Staff turn a fault report into a maintenance window: from / until (local time) and why."""

    start_day = forms.DateField(label=_("From (day)"), widget=IsoDateInput())
    start_time = forms.TimeField(label=_("From (time)"), widget=IsoTimeInput(attrs={"step": 900}))
    end_day = forms.DateField(label=_("Until (day)"), widget=IsoDateInput())
    end_time = forms.TimeField(label=_("Until (time)"), widget=IsoTimeInput(attrs={"step": 900}))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if all(data.get(k) is not None for k in ("start_day", "start_time", "end_day", "end_time")):
            self.start = timezone.make_aware(datetime.datetime.combine(data["start_day"], data["start_time"]))
            self.end = timezone.make_aware(datetime.datetime.combine(data["end_day"], data["end_time"]))
            if self.end <= self.start:
                raise forms.ValidationError(_("The end must be after the start."), code="reversed")
        return data


class StaffBookingForm(DayAndHoursMixin, forms.Form):
    """A FabLab manager books for a person: found by their exact e-mail address (no list of
    people), the machine, day, time and purpose. Rules: ``services.booking_for_person``."""

    email = forms.EmailField(
        label=_("The person's e-mail address"),
        help_text=_("Exactly as they signed up with it."),
    )
    equipment = forms.ModelChoiceField(
        label=_("Machine"), queryset=Equipment.objects.bookable().select_related("category").order_by("name")
    )
    day = forms.DateField(label=_("Day"), widget=IsoDateInput())
    start_time = forms.TimeField(label=_("From"), widget=IsoTimeInput(attrs={"step": 900}))
    end_time = forms.TimeField(label=_("Until"), widget=IsoTimeInput(attrs={"step": 900}))
    purpose = forms.CharField(label=_("Purpose"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No one has signed up with this e-mail address."), code="unknown")
        self.person = person
        return email
