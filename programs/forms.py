from django import forms
from django.utils.translation import gettext_lazy as _

from technopark.widgets import IsoDateInput

from .models import Course, Session


class CourseFilterForm(forms.Form):
    """The GET filters of the programme list."""

    direction = forms.ChoiceField(label=_("Direction"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Course.Language.choices]
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=5, max_value=99)
    open = forms.BooleanField(label=_("Open for enrolment now"), required=False)

    def __init__(self, *args, directions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", _("All directions")), *((d.slug, d.name) for d in directions)]


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "topic"]
        widgets = {"date": IsoDateInput()}


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(e.pk), e.user.full_name) for e in enrolments]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
