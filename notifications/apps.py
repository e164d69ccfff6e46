from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        from . import registry

        registry.register_topic("account", _("Account and security"), required_email=True)
        registry.register_job("notifications.sweep_outbox", "notifications.services.sweep_outbox", minute="*")
