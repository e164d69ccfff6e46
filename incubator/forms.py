import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from technopark.forms import SignUpForm
from technopark.text import fold_uzbek_apostrophes
from technopark.widgets import IsoDateInput, IsoDateTimeInput

from .models import MAX_TEAM_MEMBERS, SCORE_MAX, SCORE_MIN, Application, Industry, Season, Stage, Startup
from .validators import validate_image, validate_pdf


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["team_name", "project_title", "problem", "solution", "industry", "stage", "pitch_deck", "logo"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "solution": forms.Textarea(attrs={"rows": 4}),
            "pitch_deck": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
        help_texts = {
            "problem": _("What problem do you solve, and for whom in Andijan region or beyond?"),
            "solution": _("How does your product solve it? What exists already?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The logo is checked by our own Pillow validator, with a clearer message.
        self.fields["logo"] = forms.FileField(
            label=capfirst(Application._meta.get_field("logo").verbose_name),
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            help_text=_("Optional. PNG, JPEG or WebP, at most 10 MB."),
        )

    def clean_pitch_deck(self):
        deck = self.cleaned_data.get("pitch_deck")
        if isinstance(deck, UploadedFile):
            validate_pdf(deck)
        return deck

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            validate_image(logo)
        return logo

    def uploads(self) -> dict:
        """Only newly uploaded files go to the service; an untouched field keeps the old file."""
        return {
            name: self.cleaned_data.get(name) if isinstance(self.cleaned_data.get(name), UploadedFile) else None
            for name in ("pitch_deck", "logo")
        }

    def data_fields(self) -> dict:
        data = {
            k: self.cleaned_data[k] for k in ("team_name", "project_title", "problem", "solution", "industry", "stage")
        }
        # One spelling of oʻ, gʻ and the tutuq belgisi, whichever apostrophe the team typed.
        for name in ("team_name", "project_title", "problem", "solution"):
            data[name] = fold_uzbek_apostrophes(data[name])
        return data


class TeamMemberForm(forms.Form):
    """One row of the team. Six rows are shown and empty ones are ignored, so no field is
    required on its own; a row that is used needs both a name and an e-mail."""

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self):
        data = super().clean()
        if any(data.get(f) for f in ("name", "role", "email")):
            if not data.get("name"):
                self.add_error("name", _("Give this team member's name."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give this team member's e-mail."))
        return data


class BaseTeamFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        emails = [m["email"].lower() for m in self.members()]
        if not emails:
            raise forms.ValidationError(_("List at least one team member (usually yourself)."))
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(_("Each team member needs a different e-mail address."))

    def members(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data.get("email") and f.cleaned_data.get("name") and not self._should_delete_form(f)
        ]


TeamMemberFormSet = forms.formset_factory(
    TeamMemberForm,
    formset=BaseTeamFormSet,
    extra=MAX_TEAM_MEMBERS,  # shows six rows (capped by max_num); empty rows are ignored
    min_num=1,
    max_num=MAX_TEAM_MEMBERS,
    absolute_max=MAX_TEAM_MEMBERS,
    validate_min=False,  # BaseTeamFormSet.clean says it in words
    validate_max=True,
    can_delete=True,
)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    shareable = forms.BooleanField(
        label=_("If the team is rejected, they may read this comment (without my name)"), required=False
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(i, str(i)) for i in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (×{criterion.weight})",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([*(f"score_{c.pk}" for c in self.criteria), "comment", "shareable"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not review this application?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class BulkDecisionForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign to reviewer")),
        ("shortlisted", _("Shortlist")),
        ("accepted", _("Accept")),
        ("waitlisted", _("Put on the waiting list")),
        ("rejected", _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=get_user_model().objects.none(), required=False)
    message = forms.CharField(
        label=_("Message to the applicants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Added to the e-mail each applicant receives in their own language."),
    )
    share_feedback = forms.BooleanField(label=_("Share anonymised review feedback with rejected teams"), required=False)
    applications = forms.ModelMultipleChoiceField(queryset=Application.objects.none(), widget=forms.MultipleHiddenInput)

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        from technopark.roles import REVIEWER

        self.fields["reviewer"].queryset = get_user_model().objects.filter(groups__name=REVIEWER).order_by("full_name")
        self.fields["applications"].queryset = Application.objects.non_draft().filter(season=season)

    def bulk_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "application_ids": list(data["applications"].values_list("pk", flat=True)),
            "reviewer": data.get("reviewer"),
            "message": data.get("message", ""),
            "share_feedback": bool(data.get("share_feedback")),
        }

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to assign."))
        return data


class StartupFromApplicationForm(forms.Form):
    name = forms.CharField(label=_("Startup name"), max_length=120)
    one_line_pitch = forms.CharField(label=_("One-line pitch"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    is_public = forms.BooleanField(label=_("Show in the public portfolio"), required=False, initial=True)


class PortfolioFilterForm(forms.Form):
    season = forms.TypedChoiceField(label=_("Season"), required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries"))] + Industry.choices
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages"))] + Stage.choices)

    def __init__(self, *args, seasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].choices = [("", _("All seasons"))] + [(s.number, s.title) for s in seasons]


class TeamInvitationSignUpForm(SignUpForm):
    """Sign-up from a team invitation: the address is the one the invitation was sent to."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = email
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("The address your invitation was sent to.")


class ReassignForm(forms.Form):
    """Give an overdue review to another reviewer (the rules are checked by the service)."""

    reviewer = forms.ModelChoiceField(label=_("New reviewer"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from technopark.roles import REVIEWER

        self.fields["reviewer"].queryset = (
            get_user_model().objects.filter(groups__name=REVIEWER, is_active=True).order_by("full_name")
        )


class PreviewApplicationForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=Application.objects.none(), required=False)

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (
            Application.objects.non_draft().filter(season=season).order_by("team_name", "pk")
        )


class OfficeHourSlotForm(forms.Form):
    start = forms.DateTimeField(label=_("Starts"), widget=IsoDateTimeInput())
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")), (90, _("1.5 hours"))],
        initial=60,
    )
    place = forms.CharField(label=_("Place or video link"), max_length=200, required=False)


class OfficeHourBookingForm(forms.Form):
    startup = forms.ModelChoiceField(label=_("Startup"), queryset=Startup.objects.none(), empty_label=None)
    topic = forms.CharField(label=_("What would you like to discuss?"), max_length=300)

    def __init__(self, *args, startups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = startups


class MentorNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note after the session (read by incubator staff only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MonthlyReportForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=datetime.date.fromisoformat)
    revenue_uzs = forms.DecimalField(label=_("Revenue (UZS)"), min_value=0, max_digits=18, decimal_places=2)
    active_users = forms.IntegerField(label=_("Active users"), min_value=0, max_value=2_000_000_000)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=1_000_000)
    jobs_created = forms.IntegerField(label=_("Jobs created this month"), min_value=0, max_value=1_000_000)
    money_raised_uzs = forms.DecimalField(
        label=_("Money raised this month (UZS)"), min_value=0, max_digits=18, decimal_places=2, initial=0
    )
    money_raised_from = forms.CharField(label=_("Raised from"), max_length=300, required=False)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), date_format(m, "F Y")) for m in months]

    def clean(self):
        data = super().clean()
        if data.get("money_raised_uzs") and not (data.get("money_raised_from") or "").strip():
            self.add_error("money_raised_from", _("Say from whom the money was raised."))
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=IsoDateInput())
