"""Accounts: sign-up that tells a stranger nothing, e-mail confirmation, and the rule that an
unconfirmed person may browse and fill drafts but not enrol, apply or book."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.services import notify

from .models import User

CONFIRM_SALT = "technopark.email-confirmation"
CONFIRM_MAX_AGE = timedelta(days=3)
RESEND_INTERVAL = timedelta(minutes=2)
RESEND_PER_DAY = 5


def confirmation_token(user: User) -> str:
    # Bound to the address: a token sent to an old address does not confirm a new one.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT, compress=True)


def send_confirmation(user: User) -> None:
    notify(
        user,
        topic="account",
        kind="account.confirm_email",
        template="registration/messages/confirm_email",
        context={"person": user},
        link=("confirm_email", {"token": confirmation_token(user)}),
    )


def signup(form) -> User | None:
    """Create the account from a valid sign-up form and send the confirmation; or, when the address
    already has an account, create nothing and tell its owner by e-mail. The caller answers both the
    same way, so the page does not reveal who has an account."""
    email = form.cleaned_data["email"]
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            make_password(form.cleaned_data["password1"])  # the same work as for a new account
            notify(
                existing,
                topic="account",
                kind="account.signup_existing",
                template="registration/messages/signup_existing",
                context={"person": existing},
                link=("password_reset", {}),
            )
            return None
        user = form.save()
        send_confirmation(user)
        return user


def confirm_email(token: str) -> User | None:
    """The person the token was made for, now confirmed; None for a wrong, expired or stale token."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
        if user is None or user.email != data.get("e"):
            return None
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at"])
    return user


def resend_confirmation(user: User) -> None:
    """Send the confirmation again: at most once every two minutes and five times a day."""
    if user.email_confirmed:
        raise ValidationError(_("Your e-mail address is already confirmed."), code="confirmed")
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # one resend at a time per person
        sent = Notification.objects.filter(recipient=user, kind="account.confirm_email")
        if sent.filter(created_at__gt=now - RESEND_INTERVAL).exists():
            raise ValidationError(
                _("We have just sent you the link. Please wait two minutes before asking again."), code="too_soon"
            )
        if sent.filter(created_at__gt=now - timedelta(days=1)).count() >= RESEND_PER_DAY:
            raise ValidationError(
                _("We have sent the link five times today. Please try again tomorrow."), code="too_many"
            )
        send_confirmation(user)


def require_confirmed_email(user) -> None:
    """Enrolling, applying and booking need a confirmed address (staff accounts are vouched for)."""
    if user.is_staff or getattr(user, "email_confirmed_at", None) is not None:
        return
    raise ValidationError(
        _(
            "Please confirm your e-mail address first: open the link we sent you, "
            "or ask for a new one in My technopark."
        ),
        code="email_unconfirmed",
    )
