from modeltranslation.translator import TranslationOptions, register

from newsroom.notices.models import SiteNotice


@register(SiteNotice)
class SiteNoticeTranslationOptions(TranslationOptions):
    # Falls back to English (MODELTRANSLATION_FALLBACK_LANGUAGES) where not translated.
    fields = ("message",)
