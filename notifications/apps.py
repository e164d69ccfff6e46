from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        from technopark import registry as technopark_registry

        from . import privacy as notifications_privacy

        technopark_registry.register_erasure("notifications", notifications_privacy.erase, order=1000)

        from . import registry

        registry.register_topic("account", _("Account and security"), required_email=True)
        registry.register_job("notifications.sweep_outbox", "notifications.services.sweep_outbox", minute="*")
        registry.register_job(
            "notifications.rescue_lost_tasks", "notifications.services.rescue_lost_tasks", minute="*/5"
        )
        registry.register_job(
            "notifications.prune_tasks", "notifications.services.prune_finished_tasks", hour="3", minute="40"
        )

        from technopark import registry as core_registry

        from . import selectors

        core_registry.register_dashboard_panel(
            "notifications", template="notifications/_dashboard.html", context=selectors.dashboard_context, order=10
        )
        from technopark import page_cache

        page_cache.watch_person(self.get_model("Notification"), lambda n: [n.recipient_id])
