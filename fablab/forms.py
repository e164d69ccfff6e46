import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.models import Startup
from technopark.widgets import IsoDateInput, IsoTimeInput

from .models import Clearance, MaintenanceWindow


class BookingForm(forms.Form):
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
