from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import PublishableAdmin, StatusFilter, slugs_from, translated
from pages.models import Page
from pages.views import PagePreviewView


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["__str__", "status_badge", "publication_time", "in_footer", "footer_position"]
    list_editable = ["footer_position"]
    list_filter = [StatusFilter, "in_footer"]
    search_fields = translated("title")
    prepopulated_fields = slugs_from("title")
    preview_view_class = PagePreviewView
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "ready", "release_at"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "publication_time",
                    "activity",
                    "edit_base",
                    "original_language",
                    "in_footer",
                    "footer_position",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/article-links.js"]
