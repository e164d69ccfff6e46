import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User, phone_validator
from .text import fold_uzbek_apostrophes
from .widgets import IsoDateInput

PROFILE_FIELDS = ["full_name", "phone", "birth_date", "gender", "district", "organisation", "preferred_language"]


class ProfileFieldsMixin:
    """The rules every profile form shares: all fields required, birth date in the past."""

    def _setup_profile_fields(self):
        for name in ("full_name", "phone", "birth_date", "gender", "district", "organisation"):
            self.fields[name].required = True
        phone = self.fields["phone"]
        # The format rule explains every wrong number (a generic "at most 13 characters" would not),
        # and spaces, dashes or brackets typed inside a valid number are dropped in clean_phone.
        phone.max_length = None
        phone.validators = [v for v in phone.validators if not isinstance(v, MaxLengthValidator)]
        phone.widget.attrs.pop("maxlength", None)
        phone.widget.attrs.update({"placeholder": "+998901234567", "inputmode": "tel"})
        self.fields["birth_date"].widget = IsoDateInput()
        from django.conf import settings

        self.fields["preferred_language"] = forms.ChoiceField(
            label=_("Preferred language"), choices=settings.LANGUAGES, initial="uz"
        )

    def clean_full_name(self):
        # One spelling of oʻ, gʻ and the tutuq belgisi, whichever apostrophe the person typed.
        return fold_uzbek_apostrophes(" ".join(self.cleaned_data.get("full_name", "").split()))

    def clean_phone(self):
        phone = re.sub(r"[\s()-]", "", self.cleaned_data.get("phone", ""))
        if not re.fullmatch(r"\+998[0-9]{9}", phone):
            raise forms.ValidationError(phone_validator.message, code="invalid")
        return phone

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born >= timezone.localdate():
            raise forms.ValidationError(_("The birth date must be in the past."))
        if born and born.year < 1900:
            raise forms.ValidationError(_("Enter a real birth date."))
        return born


class SignUpForm(ProfileFieldsMixin, UserCreationForm):
    class Meta:
        model = User
        fields = ["full_name", "email", *PROFILE_FIELDS[1:]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()

    def clean_email(self):
        # No "already exists" error here: sign-up must not tell a stranger who has an account
        # (technopark.accounts.signup e-mails the owner instead).
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self):
        # The e-mail's uniqueness (field and case-insensitive constraint) is handled by
        # accounts.signup, which answers a known address without saying so (see clean_email).
        return {*super()._get_validation_exclusions(), "email"}


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))


def axes_username(request, credentials=None):
    """The account a login attempt is for, as django-axes counts failures: the e-mail typed into
    the login form's ``username`` field, lower-cased (so case variants share one counter)."""
    data = credentials or getattr(request, "POST", None) or {}
    typed = data.get("username") or data.get("email") or ""
    return typed.strip().lower() or None
