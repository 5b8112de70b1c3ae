from modeltranslation.translator import TranslationOptions, register

from authors.models import Author


@register(Author)
class AuthorTranslationOptions(TranslationOptions):
    fields = ("name", "role", "short_bio", "long_bio")
