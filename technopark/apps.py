from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnoparkConfig(AppConfig):
    name = "technopark"
    verbose_name = _("Technopark")
