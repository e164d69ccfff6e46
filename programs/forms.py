import os

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from technopark.uploads import IMAGE_EXTENSIONS, validate_image_upload
from technopark.widgets import IsoDateInput

from .models import Course, Session, SessionMaterial


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


class EarlyCompletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exception"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in each enrolment's history."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. AYT-7K3M9Q2XPA. Capitals, spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class FeedbackForm(forms.Form):
    content = forms.TypedChoiceField(
        label=_("Content: how useful was what you learnt?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    instructor = forms.TypedChoiceField(
        label=_("Instructor: how well did they teach?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    pace = forms.TypedChoiceField(
        label=_("Pace: was the pace right?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The instructor sees the ratings and comments, never who wrote them."),
    )


class MasterclassCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your school"),
        max_length=30,
        help_text=_("Your school received it after the masterclass, e.g. K7M3Q9XP."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def _links_assume_https(db_field, **kwargs):
    """A link typed without a scheme (example.uz/grid) is taken as https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SessionMaterialForm(forms.ModelForm):
    """A material (a link or a file) or a homework link of a session, added by the intake's
    instructor or a coordinator on the staff session page. Files go to the private storage; the
    model's checks (size, allowed kinds, link or file, homework as a link) apply, and a PDF or a
    picture must also be what its extension says (technopark.uploads)."""

    class Meta:
        model = SessionMaterial
        fields = ["kind", "title", "url", "file"]
        formfield_callback = _links_assume_https

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not getattr(upload, "_committed", False):
            extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
            if extension == "pdf":
                upload.seek(0)
                head = upload.read(5)
                upload.seek(0)
                if head != b"%PDF-":
                    raise forms.ValidationError(_("This file is not a PDF, whatever its name says."), code="not_pdf")
            elif extension in IMAGE_EXTENSIONS:
                validate_image_upload(upload)  # Pillow must find the format the name says
        return upload

    def clean(self):
        cleaned = super().clean()
        # Said once, on the form, before the model's own check (and its database constraint).
        if bool(cleaned.get("url")) == bool(cleaned.get("file")) and not self.has_error("file"):
            raise forms.ValidationError(_("Give either a link or a file."), code="link_or_file")
        return cleaned

    def _post_clean(self):
        if self.non_field_errors():
            return  # the model's clean and constraints would repeat the same refusal
        super()._post_clean()
