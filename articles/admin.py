import contextlib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters, flatten_fieldsets
from django.contrib.admin.utils import model_ngettext, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from articles import revisions, roles, services, translation_desk
from articles.forms import EditConflictForm, media_with_nonce, rich_text_field
from articles.links import stored_href
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
from articles.templatetags.desk_tags import desk_time
from articles.views import ArticlePreviewView
from newsroom.pagination import DeferredRowPaginator, RememberedCountPaginator
from newsroom.permalinks.models import Redirect

LINK_SEARCH_RESULTS = 10


def translated(*fields):
    """Every language's column of each field, for `search_fields`: the admin does not
    search other languages on its own."""
    return tuple(f"{field}_{code}" for field in fields for code in language_codes())


def slugs_from(source):
    return {f"slug_{code}": (f"{source}_{code}",) for code in language_codes()}


class RichTextAdminMixin:
    """Every language's version of `rich_text_fields` gets the rich text editor."""

    rich_text_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        translated_field = getattr(db_field, "translated_field", None)
        if field is None or translated_field is None:
            return field
        if translated_field.name not in self.rich_text_fields:
            return field
        return rich_text_field(field)

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = media_with_nonce(request, context["media"])
        return super().render_change_form(request, context, *args, **kwargs)


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


class StatusFilter(admin.SimpleListFilter):
    """Draft, in review, scheduled or published: the desk's statuses, where a published
    article whose time is ahead is scheduled. Keeps the `status__exact` address."""

    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [
            ("draft", Article.Status.DRAFT.label),
            ("review", Article.Status.REVIEW.label),
            ("scheduled", _("Scheduled")),
            ("published", Article.Status.PUBLISHED.label),
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() not in dict(self.lookup_choices):
            # The admin's answer to a bad filter: the list again, with a message.
            raise IncorrectLookupParameters(self.value())
        return queryset.in_desk_status(self.value())


class TranslationStateFilter(admin.SimpleListFilter):
    """One language in one state: "French missing", "French outdated"..."""

    title = _("translation state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (
                f"{code}-{state}",
                _("%(language)s %(state)s") % {"language": _(name), "state": state.label},
            )
            for code, name in settings.LANGUAGES
            for state in TranslationState
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() not in dict(self.lookup_choices):
            raise IncorrectLookupParameters(self.value())
        code, _sep, state = self.value().partition("-")
        return queryset.filter(translation_state_filter(code, TranslationState(state)))


class MyArticlesFilter(admin.SimpleListFilter):
    title = _("byline")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My articles"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(bylines__author__user=request.user)
        return queryset


class ScheduleForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publication time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class RestoreForm(forms.Form):
    """Which language a restore puts back: one, or all (empty)."""

    language = forms.ChoiceField(
        choices=[("", _("All languages")), *settings.LANGUAGES], required=False
    )


class ArticleContentInline(admin.TabularInline):
    """Bylines and related links change only with the right to change the whole article."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def may_edit(self, request, article):
        return article is None or roles.can_edit_everything(request.user, article)


class BylineInline(ArticleContentInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    fields = ["author", "position"]


class RelatedArticleInline(ArticleContentInline):
    model = RelatedArticle
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0
    fields = ["target", "position"]


class ArticleForm(EditConflictForm):
    no_translation_impact = forms.BooleanField(
        label=_("No translation impact"),
        required=False,
        help_text=_(
            "Tick for a trivial edit of the original (a typo, a comma): translations are not "
            "flagged as outdated."
        ),
    )


class PublishableAdmin(RichTextAdminMixin, TabbedTranslationAdmin):
    """The desk of a kind of content (`articles.publishable`): the rich text editor, the
    workflow's buttons and actions (`articles.services`), the roles' rules
    (`articles.roles`), revisions with their history and restores, previews, and a
    redirect from each address a slug change leaves. A kind's admin adds its fields."""

    form = EditConflictForm
    change_form_template = "admin/articles/article/change_form.html"
    rich_text_fields = ["body"]
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    # Status and publication time change only through the workflow buttons (services.py).
    workflow_fields = ["status", "publication_time", "activity"]
    # The view showing an item as readers will, before it is public.
    preview_view_class = None

    def url_name(self, view, namespace="admin:"):
        return f"{namespace}{self.opts.app_label}_{self.opts.model_name}_{view}"

    def save_options(self, form):
        """Keyword arguments of the item's save from the desk's form."""
        return {}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_edit(form.instance, by=request.user)
        revisions.save_revision(form.instance, by=request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), *self.workflow_fields]
        if not roles.is_editor(request.user):
            readonly += roles.release_field_names()
        if obj is None or roles.can_edit_everything(request.user, obj):
            return readonly
        editable = {"edit_base"} | {
            name
            for code in roles.translation_languages(request.user, obj)
            for name in roles.translated_field_names(code, self.model)
        }
        every_field = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [*readonly, *(name for name in every_field if name not in editable)]

    def get_prepopulated_fields(self, request, obj=None):
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            target: sources
            for target, sources in super().get_prepopulated_fields(request, obj).items()
            if target not in readonly and not readonly.intersection(sources)
        }

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_edit(request.user, obj))

    def history_view(self, request, object_id, extra_context=None):
        """Revisions of the texts with who and when, a per-language comparison of any two,
        and the workflow log."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        # One more than shown: the oldest row shown is compared with the one before it.
        versions = list(revisions.revisions_of(article)[: HISTORY_LENGTH + 1])
        summaries = [
            revisions.change_summary(older, version)
            for version, older in zip(versions, [*versions[1:], None], strict=False)
        ][:HISTORY_LENGTH]
        versions = versions[:HISTORY_LENGTH]
        by_id = {str(version.pk): version for version in versions}
        older, newer = by_id.get(request.GET.get("from")), by_id.get(request.GET.get("to"))
        if older and newer and older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": _("History: %(article)s") % {"article": article},
            "versions": list(zip(versions, summaries, strict=True)),
            "older": older,
            "newer": newer,
            "changes": revisions.compare(older, newer) if older and newer else None,
            "events": article.events.select_related("by")[:HISTORY_LENGTH],
            "can_restore": roles.can_edit_everything(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def restore_view(self, request, object_id, version_id):
        """A confirmation page with what a restore changes, language by language; the POST
        restores the chosen language, or all."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        version = revisions.revisions_of(article).filter(pk=version_id).first()
        if version is None:
            raise Http404
        if not roles.can_edit_everything(request.user, article):
            raise PermissionDenied
        form = RestoreForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            language = form.cleaned_data["language"] or None
            try:
                revisions.restore(article, version, by=request.user, language=language)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The earlier revision is restored."))
                return redirect(reverse(self.url_name("change"), args=[article.pk]))
        every_language = revisions.restored_texts(article, version, language_codes())
        changes = revisions.compare_texts(revisions.current_texts(article), every_language)
        refusals = revisions.restore_refusals(article, every_language)
        names = dict(settings.LANGUAGES)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "version": version,
            "title": _("Restore a revision: %(article)s") % {"article": article},
            "form": form,
            "changes": [
                (code, names[code], fields, refusals.get(code)) for code, fields in changes
            ],
            "restorable_languages": [
                (code, names[code]) for code, _fields in changes if code not in refusals
            ],
            "every_language_refused": bool(refusals),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def preview_view(self, request, object_id, language):
        """The article page in `language` as readers will see it: the saved version on GET,
        the edit form's unsaved changes on POST. Only for those who may edit the article."""
        article = self.get_object(request, unquote(object_id))
        if article is None or language not in language_codes():
            raise Http404
        if not roles.can_edit(request.user, article):
            raise PermissionDenied
        if request.method == "POST":
            form = self.get_form(request, article, change=True)(
                request.POST, request.FILES, instance=article
            )
            # Valid fields are applied to the (unsaved) article, invalid ones keep their value.
            form.is_valid()
            with contextlib.suppress(ValidationError):
                article.clean_bodies()  # a refused body is previewed empty

        def preview_url(code):
            return reverse(self.url_name("preview"), args=[article.pk, code])

        with translation.override(language):
            return self.preview_view_class.as_view(article=article, preview_url=preview_url)(
                request
            )

    def transition_view(self, request, object_id, transition):
        """A confirmation page for one workflow step; the POST runs it through services.
        A step the user may not take now is refused at once, on the desk, with the reason."""
        article = self.get_object(request, unquote(object_id))
        if article is None or transition not in TRANSITION_LABELS:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": TRANSITION_LABELS[transition],
            "time_zone": timezone.get_current_timezone_name(),
            "now": desk_time(timezone.now()),
        }
        refusal = services.refusal(transition, article, request.user)
        if refusal:
            context["refusal"] = refusal
            return TemplateResponse(
                request, "admin/articles/article/transition.html", context, status=403
            )
        form = ScheduleForm(request.POST or None) if transition == "schedule" else None
        if request.method == "POST" and (form is None or form.is_valid()):
            extra = {"at": form.cleaned_data["published_at"]} if form else {}
            try:
                getattr(services, transition)(article, by=request.user, **extra)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done = {"article": article, "time": desk_time(article.published_at)}
                self.message_user(request, DONE_MESSAGES[transition] % done)
            return redirect(reverse(self.url_name("change"), args=[article.pk]))
        context["form"] = form
        return TemplateResponse(request, "admin/articles/article/transition.html", context)

    def run_transition(self, request, queryset, transition):
        done, refused = 0, []
        for article in queryset:
            try:
                getattr(services, transition)(article, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                messages_ = getattr(error, "messages", None) or [str(error)]
                refused.append(f"{article}: {' '.join(messages_)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d %(name)s updated.", "%(count)d %(name)s updated.", done)
                % {"count": done, "name": model_ngettext(self.opts, done)},
            )
        for refusal in refused:
            self.message_user(request, refusal, messages.WARNING)

    @admin.action(description=_("Submit selected %(verbose_name_plural)s for review"))
    def submit_selected(self, request, queryset):
        self.run_transition(request, queryset, "submit_for_review")

    @admin.action(
        description=_("Publish selected %(verbose_name_plural)s now"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self.run_transition(request, queryset, "publish")

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s"), permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self.run_transition(request, queryset, "unpublish")

    def view_on_site(self, article):
        """The article in a language readers see it in (the admin's own language or the
        original first); its preview while it is live in none."""
        live = article.released_languages()
        for code in [translation.get_language(), article.original_language, *live]:
            if code in live:
                return article.get_absolute_url(code)
        return reverse(self.url_name("preview"), args=[article.pk, article.original_language])

    def has_publish_permission(self, request):
        return roles.is_editor(request.user)

    def save_model(self, request, obj, form, change):
        obj.save(**self.save_options(form))
        if change:
            old_slugs = {code: form.initial.get(f"slug_{code}") for code in language_codes()}
            Redirect.objects.remember_slug_changes(obj, old_slugs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<slug:transition>/",
                self.admin_site.admin_view(self.transition_view),
                name=self.url_name("transition", namespace=""),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=self.url_name("restore", namespace=""),
            ),
            path(
                "<path:object_id>/preview/<slug:language>/",
                self.admin_site.admin_view(self.preview_view),
                name=self.url_name("preview", namespace=""),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if article is not None:
            extra_context["preview_languages"] = language_codes()
            extra_context["transitions"] = [
                (name, TRANSITION_LABELS[name])
                for name in services.available_transitions(article, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        state = "scheduled" if article.is_scheduled else article.status
        return format_html(
            '<span class="status-badge status-{}">{}</span>', state, article.status_label
        )

    @admin.display(description=_("publication time"), ordering="published_at")
    def publication_time(self, article):
        return desk_time(article.published_at)

    @admin.display(description=_("activity"))
    def activity(self, article):
        if article.pk is None:
            return "—"
        events = article.events.select_related("by")[:10]
        return format_html_join(
            mark_safe("<br>"),
            "{} · {} · {}",
            (
                (
                    desk_time(event.at),
                    event.get_action_display(),
                    event.by or "—",
                )
                for event in events
            ),
        )


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    form = ArticleForm
    list_display = [
        "__str__",
        "status_badge",
        "publication_time",
        "readiness",
        "section",
        "byline_names",
    ]
    list_filter = [
        MyArticlesFilter,
        StatusFilter,
        "section",
        ReadinessFilter,
        "original_language",
        "topics",
    ]
    list_select_related = ["section"]
    search_fields = translated("title", "standfirst")
    autocomplete_fields = ["section", "topics", "lead_image"]
    inlines = [BylineInline, RelatedArticleInline]
    date_hierarchy = "published_at"
    # No count of the whole archive on every page load (there can be 100,000 articles).
    paginator = RememberedCountPaginator
    show_full_result_count = False
    prepopulated_fields = slugs_from("title")
    workflow_fields = [*PublishableAdmin.workflow_fields, "length"]
    preview_view_class = ArticlePreviewView
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "ready", "release_at"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "publication_time",
                    "activity",
                    "length",
                    "edit_base",
                    "original_language",
                    "no_translation_impact",
                    "section",
                    "topics",
                ]
            },
        ),
        (
            _("Correction"),
            {"classes": ["collapse"], "fields": ["correction", "corrected_at"]},
        ),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
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

    def get_fieldsets(self, request, obj=None):
        """Without the form-only fields a user cannot use: they have no read-only view."""
        hidden = set()
        if obj is not None and not roles.can_edit_everything(request.user, obj):
            hidden.add("no_translation_impact")
        if obj is not None and not self.has_change_permission(request, obj):
            hidden.add("edit_base")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A new article's byline starts with the user's own author profile, if any."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        profile = getattr(request.user, "author_profile", None)
        is_new = obj.pk is None and request.method != "POST"
        if isinstance(inline, BylineInline) and is_new and profile is not None:
            kwargs["initial"] = [{"author": profile.pk, "position": 0}]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        profile = getattr(request.user, "author_profile", None)
        if not change and profile and not roles.is_editor(request.user):
            # An author's new article carries their name, or they could not edit it again.
            ArticleAuthor.objects.get_or_create(
                article=article, author=profile, defaults={"position": article.bylines.count()}
            )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

    def save_options(self, form):
        return {"translation_impact": not form.cleaned_data.get("no_translation_impact")}

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translation/<str:language>/",
                self.admin_site.admin_view(self.translation_view),
                name="articles_article_translation",
            ),
            path(
                "link-search/",
                self.admin_site.admin_view(self.link_search_view),
                name="articles_article_link_search",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if article is not None:
            extra_context["outdated_translations"] = [
                (name, reverse("admin:articles_article_translation", args=[article.pk, code]))
                for code, name in settings.LANGUAGES
                if article.translation_state(code) == TranslationState.OUTDATED
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def link_search_view(self, request):
        """Articles the user may see whose title or standfirst matches `q`, in any language,
        for linking to them from a body (articles/links.py). Unpublished ones too, marked
        so: their links show as plain text until they are released."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        if not term:
            return JsonResponse({"results": []})
        articles, _may_have_duplicates = self.get_search_results(
            request,
            Article.objects.visible_to(request.user).defer(*translated("body")).order_by("-pk"),
            term,
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": article.pk,
                        "title": str(article),
                        "status": str(article.status_label),
                        "languages": article.released_languages(),
                        "href": stored_href(article.pk),
                    }
                    for article in articles.distinct()[:LINK_SEARCH_RESULTS]
                ]
            }
        )

    def translation_view(self, request, object_id, language):
        return translation_desk.translation_view(self, request, object_id, language)

    @admin.display(description=_("length"))
    def length(self, article):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}: {}",
                (
                    (code.upper(), article.length_display(code))
                    for code in language_codes()
                    if getattr(article, f"body_{code}")
                ),
            )
            or "—"
        )

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
        js = ["js/article-links.js", "js/figures.js"]


HISTORY_LENGTH = 50
TRANSITION_LABELS = {
    "submit_for_review": _("Submit for review"),
    "publish": _("Publish now"),
    "schedule": _("Schedule"),
    "unpublish": _("Unpublish"),
}
DONE_MESSAGES = {
    "submit_for_review": _("“%(article)s” was submitted for review."),
    "publish": _("“%(article)s” is published."),
    "schedule": _("“%(article)s” is scheduled: it goes live on %(time)s."),
    "unpublish": _("“%(article)s” was unpublished: readers no longer see it."),
}


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
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

    list_display = ["article", "status_badge", "original_language"]
    list_display_links = None
    list_filter = [
        TranslationStateFilter,
        "status",
        "section",
        "authors",
        "published_at",
        "original_language",
    ]
    search_fields = translated("title")
    list_per_page = 50
    # The page's rows are found by id first: the states are computed for those 50 only.
    paginator = DeferredRowPaginator
    # Counting all 100,000 rows for "(N total)", or for every filter choice, costs queries
    # for nothing.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    status_badge = ArticleAdmin.status_badge

    @admin.display(description=_("article"))
    def article(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
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
        extra_context = {
            "title": self.opts.verbose_name_plural.capitalize(),
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = changelist.queryset.translation_totals()
            response.context_data["translation_totals"] = [
                (
                    name,
                    [
                        (
                            state,
                            totals[code][state],
                            changelist.get_query_string(
                                {TranslationStateFilter.parameter_name: f"{code}-{state}"},
                                remove=[PAGE_VAR],
                            ),
                        )
                        for state in TranslationState
                    ],
                )
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

    class Media:
        css = {"all": ["css/admin.css"]}
