from import_export import fields

from technopark.exports import FormulaSafeResource

from .models import Application, Investment, Review


class ApplicationResource(FormulaSafeResource):
    season = fields.Field(attribute="season__number", column_name="season")
    applicant_email = fields.Field(attribute="applicant__email", column_name="applicant_email")

    class Meta:
        model = Application
        fields = (
            "id",
            "season",
            "applicant_email",
            "team_name",
            "project_title",
            "industry",
            "stage",
            "status",
            "submitted_at",
            "decision_message",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        """One query per related table, whatever the number of rows exported."""
        return queryset.select_related("season", "applicant")


class ReviewResource(FormulaSafeResource):
    application_team = fields.Field(attribute="application__team_name", column_name="team_name")
    reviewer_email = fields.Field(attribute="reviewer__email", column_name="reviewer_email")
    scores = fields.Field(column_name="scores")

    class Meta:
        model = Review
        fields = ("id", "application", "application_team", "reviewer_email", "submitted_at", "scores", "comment")
        export_order = fields

    def dehydrate_scores(self, review):
        return "; ".join(f"{s.criterion.name_en or s.criterion.name}={s.score}" for s in review.scores.all())

    def filter_export(self, queryset, **kwargs):
        """One query per related table, whatever the number of rows exported."""
        return queryset.select_related("application", "reviewer").prefetch_related("scores__criterion")


class InvestmentResource(FormulaSafeResource):
    startup_name = fields.Field(attribute="startup__name", column_name="startup")
    investor_name = fields.Field(attribute="investor__name", column_name="investor")

    class Meta:
        model = Investment
        fields = ("id", "startup_name", "investor_name", "amount", "currency", "date", "kind", "uzs_value", "note")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        """One query per related table, whatever the number of rows exported."""
        return queryset.select_related("startup", "investor")
