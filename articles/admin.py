from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles import translation_desk
from articles.models import (
    Article,
    ArticleAuthor,
    RelatedArticle,
    Section,
    Topic,
    TranslationMatrix,
    TranslationState,
    language_codes,
    translation_state_filter,
)
from images.admin import focal_point_picker
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
            choices.append(
                (f"{code}-outdated", _("%(language)s outdated") % {"language": _(name)})
            )
        return choices

    def queryset(self, request, queryset):
        code, _sep, state = (self.value() or "").partition("-")
        if code not in language_codes():
            return queryset
        if state in {"ready", "missing"}:
            return queryset.filter(**{f"ready_{code}": state == "ready"})
        if state == "outdated":
            return queryset.filter(translation_state_filter(code, TranslationState.OUTDATED))
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


class ArticleForm(forms.ModelForm):
    no_translation_impact = forms.BooleanField(
        label=_("No translation impact"),
        required=False,
        help_text=_(
            "Tick for a trivial edit of the original (a typo, a comma): translations are not "
            "flagged as outdated."
        ),
    )


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    form = ArticleForm
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
    readonly_fields = ["lead_image_focal_point"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "ready", "release_at"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "original_language",
                    "no_translation_impact",
                    "section",
                    "topics",
                ]
            },
        ),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    "lead_image_focal_point",
                    ("lead_image_focus_x", "lead_image_focus_y"),
                    "image_alt",
                    "image_caption",
                    "image_credit",
                ]
            },
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
        obj.save(translation_impact=not form.cleaned_data.get("no_translation_impact"))
        if change:
            old_slugs = {code: form.initial.get(f"slug_{code}") for code in language_codes()}
            Redirect.objects.remember_slug_changes(obj, old_slugs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translation/<str:language>/",
                self.admin_site.admin_view(self.translation_view),
                name="articles_article_translation",
            ),
            *super().get_urls(),
        ]

    def translation_view(self, request, object_id, language):
        return translation_desk.translation_view(self, request, object_id, language)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        outdated = [
            (name, reverse("admin:articles_article_translation", args=[article.pk, code]))
            for code, name in settings.LANGUAGES
            if article and article.translation_state(code) == TranslationState.OUTDATED
        ]
        return super().change_view(
            request,
            object_id,
            form_url,
            extra_context={"outdated_translations": outdated, **(extra_context or {})},
        )

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        label = _("Scheduled") if article.is_scheduled else article.get_status_display()
        state = "scheduled" if article.is_scheduled else article.status
        return format_html('<span class="status-badge status-{}">{}</span>', state, label)

    @admin.display(description=_("focal point"))
    def lead_image_focal_point(self, article):
        return focal_point_picker(article.lead_image)

    @admin.display(description=_("languages"))
    def readiness(self, article):
        return format_html_join(
            " ",
            '<span class="readiness readiness-{}" title="{}">{}</span>',
            (
                (state, state.label, code.upper())
                for code in language_codes()
                for state in [article.translation_state(code)]
            ),
        )

    @admin.display(description=_("authors"))
    def byline_names(self, article):
        return ", ".join(str(author) for author in article.byline)

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/focal-point.js"]


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


@admin.register(TranslationMatrix)
class TranslationMatrixAdmin(admin.ModelAdmin):
    """Articles against languages: what is missing, in progress, ready or outdated."""

    list_display = ["__str__", "status_badge", "original_language"]
    list_filter = ["status", "section", "authors", "published_at", "original_language"]
    search_fields = translated("title")
    list_per_page = 50
    # Counting all 100,000 rows for "(N total)" costs a query for nothing.
    show_full_result_count = False
    status_badge = ArticleAdmin.status_badge

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_translation_states()
            .only("pk", "original_language", "status", "published_at", *translated("title"))
        )

    def get_list_display(self, request):
        return [
            *self.list_display,
            *(self.state_column(code, name) for code, name in settings.LANGUAGES),
        ]

    @staticmethod
    def state_column(code, name):
        @admin.display(description=name)
        def column(article):
            state = TranslationState(getattr(article, f"state_{code}"))
            if code == article.original_language:
                url = reverse("admin:articles_article_change", args=[article.pk])
                label = _("%(state)s (original)") % {"state": state.label}
            else:
                url = reverse("admin:articles_article_translation", args=[article.pk, code])
                label = state.label
            return format_html(
                '<a class="translation-state translation-{}" href="{}">{}</a>', state, url, label
            )

        return column

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = changelist.queryset.translation_totals()
            response.context_data["translation_totals"] = [
                (name, [(state, totals[code][state]) for state in TranslationState])
                for code, name in settings.LANGUAGES
            ]
        return response

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.change_article"
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
