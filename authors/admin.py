from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin import RichTextAdminMixin, translated
from authors.models import Author


@admin.register(Author)
class AuthorAdmin(RichTextAdminMixin, TabbedTranslationAdmin):
    list_display = ["name", "role", "slug", "user"]
    list_select_related = ["user"]
    search_fields = translated("name", "role")
    autocomplete_fields = ["user", "photo"]
    prepopulated_fields = {"slug": ("name_en",)}
    rich_text_fields = ["long_bio"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "short_bio", "long_bio"]}),
        (
            _("Photo"),
            {"fields": ["photo"]},
        ),
        (_("Public links"), {"fields": ["website", "mastodon", "bluesky", "x", "linkedin"]}),
        (_("Private"), {"fields": ["email", "user"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
