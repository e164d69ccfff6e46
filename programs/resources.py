from import_export import fields

from technopark.exports import FormulaSafeResource

from .models import Enrolment


class EnrolmentResource(FormulaSafeResource):
    """Enrolments as a flat table for coordinators (CSV/XLSX)."""

    full_name = fields.Field(attribute="user__full_name", column_name="full_name")
    email = fields.Field(attribute="user__email", column_name="email")
    phone = fields.Field(attribute="user__phone", column_name="phone")
    district = fields.Field(attribute="user__district__name", column_name="district")
    direction = fields.Field(attribute="intake__course__direction__name", column_name="direction")
    course = fields.Field(attribute="intake__course__title", column_name="course")
    intake_start = fields.Field(attribute="intake__start_date", column_name="intake_start")
    certificate = fields.Field(column_name="certificate")

    class Meta:
        model = Enrolment
        fields = (
            "id",
            "full_name",
            "email",
            "phone",
            "district",
            "direction",
            "course",
            "intake_start",
            "status",
            "created_at",
            "decided_at",
            "certificate",
        )
        export_order = fields

    def dehydrate_certificate(self, enrolment):
        certificate = getattr(enrolment, "certificate", None)
        return certificate.code if certificate else ""

    def filter_export(self, queryset, **kwargs):
        """One query per related table, whatever the number of rows exported."""
        return queryset.select_related("user__district", "intake__course__direction", "certificate")
