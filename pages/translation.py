from modeltranslation.translator import TranslationOptions, register

from articles.publishable import PUBLISHABLE_TRANSLATED_FIELDS
from pages.models import Page


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = PUBLISHABLE_TRANSLATED_FIELDS
    empty_values = {"slug": None}
    # Public only in the languages it is written in: never fall back.
    fallback_languages = {"default": ()}
