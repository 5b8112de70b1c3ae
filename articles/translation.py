from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Section, Topic
from articles.publishable import PUBLISHABLE_TRANSLATED_FIELDS


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    empty_values = {"slug": None}


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")
    empty_values = {"slug": None}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        *PUBLISHABLE_TRANSLATED_FIELDS,
        "standfirst",
        "seo_title",
        "seo_description",
        "image_alt",
        "image_caption",
        "image_credit",
        "translated_from",
        "correction",
    )
    empty_values = {"slug": None}
    # An article is public only in the languages it is translated into: never fall back.
    fallback_languages = {"default": ()}
