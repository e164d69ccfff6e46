from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        name_otp_models()


def name_otp_models():
    """django-otp names its apps and models in English only ("Otp_Totp", "TOTP device"): the
    admin's index, titles, breadcrumbs and delete pages show them in the portal's languages with
    these names. Only ``_meta.verbose_name``/``verbose_name_plural`` change, not the options the
    migrations are made from (``Options.original_attrs``), so django-otp's apps need no new
    migration; the permissions' stored names come from ``verbose_name_raw`` (English) as before."""
    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    apps.get_app_config("otp_totp").verbose_name = _("Two-step sign-in: authenticator apps")
    apps.get_app_config("otp_static").verbose_name = _("Two-step sign-in: recovery codes")
    for model, singular, plural in (
        (TOTPDevice, _("authenticator app"), _("authenticator apps")),
        (StaticDevice, _("recovery code set"), _("recovery code sets")),
        (StaticToken, _("recovery code"), _("recovery codes")),
    ):
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
