from modeltranslation.translator import TranslationOptions, register

from .models import Competition, InvestorDay, ScoreCriterion, Season, Startup


@register(Season)
class SeasonTranslation(TranslationOptions):
    fields = ("title", "description")


@register(ScoreCriterion)
class ScoreCriterionTranslation(TranslationOptions):
    fields = ("name",)


@register(Startup)
class StartupTranslation(TranslationOptions):
    fields = ("one_line_pitch", "description")


@register(Competition)
class CompetitionTranslation(TranslationOptions):
    fields = ("name",)


@register(InvestorDay)
class InvestorDayTranslation(TranslationOptions):
    fields = ("title", "description")
