from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic, language_codes
from newsroom.pagination import RememberedCountPaginator
from permalinks.models import Redirect


def translated(*fields):
    """Every language's column of each field, for `search_fields`: the admin does not
    search other languages on its own."""
    return tuple(f"{field}_{code}" for field in fields for code in language_codes())


def slugs_from(source):
    return {f"slug_{code}": (f"{source}_{code}",) for code in language_codes()}


class ReadinessFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = []
        for code, name in settings.LANGUAGES:
            choices.append((f"{code}-ready", _("%(language)s ready") % {"language": _(name)}))
            choices.append(
                (f"{code}-missing", _("%(language)s not ready") % {"language": _(name)})
            )
        return choices

    def queryset(self, request, queryset):
        code, _sep, state = (self.value() or "").partition("-")
        if code in language_codes() and state in {"ready", "missing"}:
            return queryset.filter(**{f"ready_{code}": state == "ready"})
        return queryset


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    fields = ["author", "position"]


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0
    fields = ["target", "position"]


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = [
        "__str__",
        "status_badge",
        "readiness",
        "section",
        "byline_names",
        "published_at",
    ]
    list_filter = ["status", "section", ReadinessFilter, "original_language", "topics"]
    list_select_related = ["section"]
    search_fields = translated("title", "standfirst")
    autocomplete_fields = ["section", "topics"]
    inlines = [BylineInline, RelatedArticleInline]
    date_hierarchy = "published_at"
    # No count of the whole archive on every page load (there can be 100,000 articles).
    paginator = RememberedCountPaginator
    show_full_result_count = False
    prepopulated_fields = slugs_from("title")
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "ready", "release_at"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "original_language", "section", "topics"]},
        ),
        (
            _("Lead image"),
            {"fields": ["lead_image", "image_alt", "image_caption", "image_credit"]},
        ),
        (
            _("Search engines"),
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            old_slugs = {code: form.initial.get(f"slug_{code}") for code in language_codes()}
            Redirect.objects.remember_slug_changes(obj, old_slugs)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        label = _("Scheduled") if article.is_scheduled else article.get_status_display()
        state = "scheduled" if article.is_scheduled else article.status
        return format_html('<span class="status-badge status-{}">{}</span>', state, label)

    @admin.display(description=_("languages"))
    def readiness(self, article):
        return format_html_join(
            " ",
            '<span class="readiness readiness-{}" title="{}">{}</span>',
            (
                (
                    "ready" if getattr(article, f"ready_{code}") else "missing",
                    _("ready") if getattr(article, f"ready_{code}") else _("not ready"),
                    code.upper(),
                )
                for code in language_codes()
            ),
        )

    @admin.display(description=_("authors"))
    def byline_names(self, article):
        return ", ".join(str(author) for author in article.byline)

    class Media:
        css = {"all": ["css/admin.css"]}


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = translated("name")
    prepopulated_fields = slugs_from("name")


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ["name", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = translated("name")
    autocomplete_fields = ["parent"]
    prepopulated_fields = slugs_from("name")
