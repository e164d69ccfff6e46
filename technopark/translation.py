from modeltranslation.translator import TranslationOptions, register

from .models import District, NewsArticle


@register(District)
class DistrictTranslation(TranslationOptions):
    fields = ("name",)


@register(NewsArticle)
class NewsArticleTranslation(TranslationOptions):
    fields = ("title", "lead", "body")
