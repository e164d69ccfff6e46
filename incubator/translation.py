from modeltranslation.translator import TranslationOptions, register

from .models import Competition, Investor, InvestorDay, ScoreCriterion, Season, Startup


@register(Season)
class SeasonTranslation(TranslationOptions):
    fields = ("title", "description")


@register(ScoreCriterion)
class ScoreCriterionTranslation(TranslationOptions):
    fields = ("name",)


@register(Startup)
class StartupTranslation(TranslationOptions):
    fields = ("one_line_pitch", "description")


@register(Investor)
class InvestorTranslation(TranslationOptions):
    """An organisation's name in each language ("Yoshlar ishlari agentligi", "Агентство по делам
    молодёжи", "Youth Affairs Agency"); a person's or a brand's name is the same in all three.
    The name is unique in each language, so a language left empty is stored as NULL (never as "",
    which two investors would share) and the page falls back to the Uzbek name."""

    fields = ("name",)
    empty_values = {"name": None}


@register(Competition)
class CompetitionTranslation(TranslationOptions):
    fields = ("name", "organiser")


@register(InvestorDay)
class InvestorDayTranslation(TranslationOptions):
    fields = ("title", "venue", "description")
