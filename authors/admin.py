from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin import RichTextAdminMixin, translated
from authors.models import Author
from newsroom.images.admin import focal_point_picker


@admin.register(Author)
class AuthorAdmin(RichTextAdminMixin, TabbedTranslationAdmin):
    list_display = ["name", "role", "slug", "user"]
    list_select_related = ["user"]
    search_fields = translated("name", "role")
    autocomplete_fields = ["user"]
    prepopulated_fields = {"slug": ("name_en",)}
    rich_text_fields = ["long_bio"]
    readonly_fields = ["photo_focal_point"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "short_bio", "long_bio"]}),
        (
            _("Photo"),
            {"fields": ["photo", "photo_focal_point", ("photo_focus_x", "photo_focus_y")]},
        ),
        (_("Public links"), {"fields": ["website", "mastodon", "bluesky", "x", "linkedin"]}),
        (_("Private"), {"fields": ["email", "user"]}),
    ]

    @admin.display(description=_("focal point"))
    def photo_focal_point(self, author):
        return focal_point_picker(author.photo)

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/focal-point.js"]
