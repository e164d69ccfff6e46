from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import District, NewsArticle, User

admin.site.site_header = _("Andijan Youth Technopark")
admin.site.site_title = _("Andijan Youth Technopark administration")
admin.site.index_title = _("Portal administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "district", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "gender", "district"]
    search_fields = ["email", "full_name", "phone", "organisation"]
    list_select_related = ["district"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {
                "fields": (
                    "full_name",
                    "phone",
                    "birth_date",
                    "gender",
                    "district",
                    "organisation",
                    "preferred_language",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


@admin.register(District)
class DistrictAdmin(TranslationAdmin):
    list_display = ["name", "is_city", "order"]
    list_editable = ["order"]


@admin.register(NewsArticle)
class NewsArticleAdmin(TranslationAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_at"
