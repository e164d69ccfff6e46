from modeltranslation.translator import TranslationOptions, register

from .models import Course, Direction, Intake, Masterclass, PartnerSchool


@register(Direction)
class DirectionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Intake)
class IntakeTranslation(TranslationOptions):
    fields = ("schedule",)


@register(PartnerSchool)
class PartnerSchoolTranslation(TranslationOptions):
    fields = ("name",)


@register(Masterclass)
class MasterclassTranslation(TranslationOptions):
    fields = ("title", "venue", "description")
