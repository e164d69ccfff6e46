import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MINOR_AGE, User, phone_validator
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
        from django.utils import translation

        # The page's language is the likely choice (Ўзбекча on /uz-cyrl/).
        page_language = translation.get_language()
        codes = [code for code, _name in settings.LANGUAGES]
        self.fields["preferred_language"] = forms.ChoiceField(
            label=_("Preferred language"),
            choices=settings.LANGUAGES,
            initial=page_language if page_language in codes else "uz",
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
    guardian_consent = forms.BooleanField(
        label=_("I am the parent or guardian, or they agree that I use the portal and that it keeps these details."),
        required=False,
    )

    class Meta:
        model = User
        fields = ["full_name", "email", *PROFILE_FIELDS[1:], "guardian_name", "guardian_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()
        self.fields["guardian_name"].help_text = _("Only for people under 16.")
        guardian_phone = self.fields["guardian_phone"]
        guardian_phone.max_length = None  # spaces and dashes are dropped in clean_guardian_phone
        guardian_phone.validators = [v for v in guardian_phone.validators if not isinstance(v, MaxLengthValidator)]
        guardian_phone.widget.attrs.pop("maxlength", None)
        guardian_phone.widget.attrs.update({"placeholder": "+998901234567", "inputmode": "tel"})

    def clean_guardian_phone(self):
        phone = re.sub(r"[\s()-]", "", self.cleaned_data.get("guardian_phone", ""))
        if phone and not re.fullmatch(r"\+998[0-9]{9}", phone):
            raise forms.ValidationError(phone_validator.message, code="invalid")
        return phone

    def clean(self):
        data = super().clean()
        born = data.get("birth_date")
        if born:
            today = timezone.localdate()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age < MINOR_AGE:
                message = _("People under 16 need a parent or guardian: fill this in.")
                if not data.get("guardian_name", "").strip():
                    self.add_error("guardian_name", message)
                if not data.get("guardian_phone"):
                    self.add_error("guardian_phone", message)
                if not data.get("guardian_consent"):
                    self.add_error("guardian_consent", _("People under 16 need their parent's or guardian's consent."))
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("guardian_consent") and user.guardian_name:
            user.guardian_consent_at = timezone.now()
        if commit:
            user.save()
        return user

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


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the message written into the outbox instead of sent inside the
    request: a mail server that is down costs the person no 500 and no lost link (the worker retries),
    and the message is in the account holder's language, its link with that language's prefix."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from notifications.services import notify

        user = context["user"]
        notify(
            user,
            topic="account",  # always by e-mail, whatever the person chose for other messages
            kind="account.password_reset",
            template="registration/messages/password_reset",
            context={"person": user, "email": user.email},
            link=("password_reset_confirm", {"uidb64": context["uid"], "token": context["token"]}),
        )


def axes_username(request, credentials=None):
    """The account a login attempt is for, as django-axes counts failures: the e-mail typed into
    the login form's ``username`` field, lower-cased (so case variants share one counter)."""
    data = credentials or getattr(request, "POST", None) or {}
    typed = data.get("username") or data.get("email") or ""
    return typed.strip().lower() or None


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal details will be deleted and cannot be restored.")
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password
