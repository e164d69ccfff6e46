from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    """One staff view or export of personal data: who, what, when.

    Append-only: a PostgreSQL trigger (migration 0001) refuses every UPDATE and DELETE, so
    neither the admin, nor the application's code, nor a staff member with a database shell
    through the application's connection can rewrite the trail. The actor is stored by id and
    e-mail without a foreign key, so deleting or anonymising a person never needs to touch a
    record (which the trigger would refuse).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        CHANGE = "change", _("changed")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("staff member's id"), db_index=True)
    actor_email = models.CharField(_("staff member"), max_length=254)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    what = models.CharField(_("what"), max_length=200, help_text=_("the model or staff page"))
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    path = models.CharField(_("address"), max_length=1000)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.what}"
