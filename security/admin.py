from django.contrib import admin

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read only for everyone, superusers included; the database refuses changes anyway."""

    list_display = ["at", "actor_email", "action", "what", "object_id", "path", "ip"]
    list_filter = ["action", "what"]
    search_fields = ["actor_email", "what", "object_id", "path"]
    date_hierarchy = "at"
    readonly_fields = list_display + ["actor_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
