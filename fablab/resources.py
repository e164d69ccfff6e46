from import_export import fields

from technopark.exports import FormulaSafeResource

from .models import Booking


class BookingResource(FormulaSafeResource):
    equipment = fields.Field(attribute="equipment__name", column_name="equipment")
    person = fields.Field(attribute="user__full_name", column_name="person")
    email = fields.Field(attribute="user__email", column_name="email")
    startup = fields.Field(attribute="startup__name", column_name="startup")

    class Meta:
        model = Booking
        fields = ("id", "equipment", "person", "email", "start", "end", "status", "purpose", "startup", "created_at")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("equipment", "user", "startup")

    def filter_export(self, queryset, **kwargs):
        """One query per related table, whatever the number of rows exported."""
        return queryset.select_related("equipment", "user", "startup")
