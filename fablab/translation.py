from modeltranslation.translator import TranslationOptions, register

from .models import (
    EngineeringSolution,
    Equipment,
    EquipmentCategory,
    FundingProject,
    OpeningException,
    SolutionPhoto,
)


@register(EquipmentCategory)
class EquipmentCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(FundingProject)
class FundingProjectTranslation(TranslationOptions):
    fields = ("name", "funder", "description")


@register(Equipment)
class EquipmentTranslation(TranslationOptions):
    fields = ("name", "purpose")


@register(EngineeringSolution)
class EngineeringSolutionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SolutionPhoto)
class SolutionPhotoTranslation(TranslationOptions):
    fields = ("caption",)


@register(OpeningException)
class OpeningExceptionTranslation(TranslationOptions):
    fields = ("name",)
