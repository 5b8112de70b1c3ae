from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from articles.models import Article, Section, Topic, active_language, language_codes
from articles.publishable import as_shown
from articles.sanitize import EDITOR_EXTENSIONS, clean_html
from authors.models import Author
from newsroom.pagecache.remembered import remembered_until_changed

MAX_QUERY_LENGTH = 200


def start_of_day(day):
    """Midnight starting `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class PlainSelect(forms.Select):
    """A select whose options are written in Python: rendering a template per option cost
    the search page more than its query."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) == chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class ListedChoiceField(forms.ChoiceField):
    """A choice among objects read once: the list is the widget's options and the
    validation both, so a chosen filter costs no query of its own."""

    widget = PlainSelect

    def __init__(self, *, empty_label, key="pk", **kwargs):
        super().__init__(required=False, **kwargs)
        self.empty_label = empty_label
        self.key = key
        self.objects = {}

    def set_objects(self, objects):
        self.objects = {str(getattr(item, self.key)): item for item in objects}
        self.choices = [("", self.empty_label), *((k, str(v)) for k, v in self.objects.items())]

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


def filter_options(language):
    """The sections, topics and authors (those with articles live in `language`) that the
    search form offers, remembered until one of them or an article changes, or the next
    scheduled publication: reading them cost more than many searches."""
    names = ["name", *[f"name_{code}" for code in language_codes()]]

    def read():
        return (
            list(Section.objects.only("pk", *names)),
            list(Topic.objects.only("pk", "parent_id", *names)),
            list(
                Author.objects.with_live_articles(language)
                .only("slug", *names)
                .order_by(as_shown("name", language), "pk")
            ),
        )

    return remembered_until_changed(
        f"search-filter-options:{language}",
        [Section, Topic, Author, Article],
        read,
        expires_at=Article.objects.next_visibility_change,
    )


class SearchForm(forms.Form):
    """The reader's search: words, and optional section, topic, author and date filters."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    section = ListedChoiceField(label=_("Section"), empty_label=_("All sections"))
    topic = ListedChoiceField(label=_("Topic"), empty_label=_("All topics"))
    author = ListedChoiceField(label=_("Author"), empty_label=_("All authors"), key="slug")
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections, self.topics, authors = filter_options(active_language())
        self.fields["section"].set_objects(sections)
        self.fields["topic"].set_objects(self.topics)
        self.fields["author"].set_objects(authors)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date must come before the end date."))
        return cleaned

    def filters_in_use(self):
        """Whether the reader asked for a filter (the form shows them unfolded)."""
        return any(self.data.get(name) for name in self.fields if name != "q")

    def chosen_articles(self):
        """The articles the chosen filters allow, or None when no filter is chosen (the form
        must be valid)."""
        data = self.cleaned_data
        conditions = []
        if data["section"]:
            conditions.append(Q(section=data["section"]))
        if data["topic"]:
            conditions.append(data["topic"].tags_article(self.topics))
        if data["author"]:
            conditions.append(Q(pk__in=data["author"].articles.values("pk")))
        # Bounds in time rather than on the date of each article: an index can answer them.
        if data["since"]:
            conditions.append(Q(published_at__gte=start_of_day(data["since"])))
        if data["until"]:
            conditions.append(Q(published_at__lt=start_of_day(data["until"] + timedelta(days=1))))
        return Article.objects.filter(*conditions) if conditions else None


def edit_token(updated_at):
    return updated_at.isoformat() if updated_at else ""


class EditConflictForm(forms.ModelForm):
    """A form of an article (or any kind of content) that refuses to save over someone
    else's save made since it was opened (`edit_base` holds the update time it was opened
    with). The refusal names who saved, links to what changed, and keeps what was typed.
    Every form that edits an existing item derives from it."""

    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_base"].initial = edit_token(self.instance.updated_at)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        saved = (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
        )
        if cleaned_data.get("edit_base") != edit_token(saved.first()):
            last = self.instance.events.select_related("by").first()
            opts = self.instance._meta
            history = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk]
            )
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "%(who)s saved this article after you opened it, so your changes were "
                        "not saved, to keep theirs. Copy what you need, reload the page, and "
                        "apply your changes again."
                    )
                    % {"who": (last and last.by) or _("Someone else")},
                    history,
                    _("See what changed"),
                )
            )
        return cleaned_data


def rich_text_field(field):
    """`field` (a body or bio's plain form field) as the rich text editor, offering what
    `clean_html()` keeps: the one editor of every desk form."""
    return ProseEditorFormField(
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=clean_html,
        label=field.label,
        help_text=field.help_text,
        required=False,
        # Keep modeltranslation's classes: they put the field in its language tab.
        widget=AdminProseEditorWidget(attrs=field.widget.attrs),
    )


def media_with_nonce(request, media):
    """The editor's import map is an inline script: it runs under the CSP with the nonce."""
    return Media.from_media(media, nonce=request.csp_nonce)
