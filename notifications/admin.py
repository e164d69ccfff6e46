from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Delivery, Notification, TelegramLink


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "address", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "language", "created_at", "read_at"]
    list_filter = ["kind", "language", "topic"]
    search_fields = ["subject", "recipient__email", "email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every message's every channel: staff see what failed and why, and send it again."""

    list_display = [
        "notification",
        "recipient",
        "kind",
        "channel",
        "language",
        "status",
        "attempts",
        "short_error",
        "created_at",
    ]
    list_filter = ["status", "channel", "notification__kind", "notification__language"]
    search_fields = ["address", "notification__subject", "notification__recipient__email"]
    list_select_related = ["notification__recipient"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["resend"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient or obj.notification.email

    @admin.display(description=_("kind"), ordering="notification__kind")
    def kind(self, obj):
        return obj.notification.kind

    @admin.display(description=_("language"))
    def language(self, obj):
        return obj.notification.language

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected messages again"), permissions=["view"])
    def resend(self, request, queryset):
        count = 0
        for delivery in queryset.select_related("notification"):
            services.resend(delivery)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(TelegramLink)
class TelegramLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "chat_id", "linked_at"]
    search_fields = ["user__email"]
    fields = ["user", "chat_id", "linked_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
