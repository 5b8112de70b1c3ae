"""Revisions of the texts of an article, or of any kind of content registered here
(django-reversion): kept on every desk save, compared per language, restored by those who
may edit the whole item.

Only the texts are versioned: restoring never changes status, dates, slugs (addresses) or
which languages are ready, so it cannot publish, unpublish or move anything.
"""

import re

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from modeltranslation.translator import translator
from reversion.models import Version

from articles import roles, services
from articles.diffs import bounded_opcodes, plain_text
from articles.models import Article, ArticleEvent, language_codes

NOT_VERSIONED = {"slug", "ready", "release_at", "translated_from", "text_modified_at"}
WORD_OR_BREAK = re.compile(r"\S+|\n")


def versioned_fields(model=Article):
    """The translated text fields of `model`, without those deciding addresses and
    visibility, in the model's order."""
    translated = translator.get_options_for_model(model).fields
    return [
        field.name
        for field in model._meta.fields
        if field.name in translated and field.name not in NOT_VERSIONED
    ]


def versioned_columns(model=Article):
    return [f"{field}_{code}" for field in versioned_fields(model) for code in language_codes()]


def register(model):
    """Keep revisions of `model`'s texts: once for each kind of content."""
    reversion.register(model, fields=versioned_columns(model))


register(Article)


def save_revision(article, *, by, comment=""):
    """Keep the article's current texts as a revision by `by`."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def save_revision_if_changed(article, *, by, comment=""):
    """`save_revision()`, unless the newest revision already holds these texts."""
    newest = revisions_of(article).first()
    texts = current_texts(article)
    if newest is None or any(newest.field_dict.get(k) != v for k, v in texts.items()):
        save_revision(article, by=by, comment=comment)


def revisions_of(article):
    """The article's revisions, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def compare(older, newer):
    """[(language code, [(field label, diff html), ...]), ...] for what changed between two
    versions, language by language; unchanged fields and languages are left out."""
    return compare_texts(older.field_dict, newer.field_dict, model=newer._model)


def compare_texts(before, after, languages=None, model=Article):
    """`compare()` of two {column: text} dicts of `model`, over `languages` (default: all)."""
    return [
        (
            code,
            [
                (label, word_diff(before.get(column) or "", after.get(column) or ""))
                for label, column in fields
            ],
        )
        for code, fields in changed_columns(before, after, languages, model)
    ]


def changed_columns(before, after, languages=None, model=Article):
    """[(language code, [(field label, column), ...]), ...] of the texts that differ."""
    changes = []
    for code in languages or language_codes():
        fields = [
            (model._meta.get_field(field).verbose_name, f"{field}_{code}")
            for field in versioned_fields(model)
            if (before.get(f"{field}_{code}") or "") != (after.get(f"{field}_{code}") or "")
        ]
        if fields:
            changes.append((code, fields))
    return changes


def change_summary(older, newer):
    """What `newer` changed since `older` (None: the first revision), for the history:
    "EN: title, body · FR: body"."""
    if older is None:
        return _("First revision")
    changes = changed_columns(older.field_dict, newer.field_dict, model=newer._model)
    if not changes:
        return _("No change to the texts")
    return " · ".join(
        f"{code.upper()}: {', '.join(str(label) for label, _column in fields)}"
        for code, fields in changes
    )


def current_texts(article):
    return {column: getattr(article, column) for column in versioned_columns(type(article))}


def restored_texts(article, version, languages):
    """The article's texts once `version`'s are put back in `languages`."""
    texts = current_texts(article)
    for code in languages:
        for field in versioned_fields(type(article)):
            column = f"{field}_{code}"
            if column in version.field_dict:
                texts[column] = version.field_dict[column]
    return texts


def restore_refusals(article, texts):
    """{language: reason} for each language that `texts` would take offline: a language
    ready for readers keeps a title and a body, or its readiness (and, once published, its
    page) would go with them."""
    refusals = {}
    for code in language_codes():
        if getattr(article, f"ready_{code}") and not (
            texts[f"title_{code}"] and texts[f"body_{code}"]
        ):
            refusals[code] = _(
                "This revision has no %(language)s title or body, and the %(language)s "
                "version is ready for readers: restoring it would take that language "
                "offline. Restore another language, or untick %(language)s readiness first."
            ) % {"language": language_name(code)}
    return refusals


def language_name(code):
    return str(dict(settings.LANGUAGES)[code])


def plain_words(html):
    """The words of `html`'s text, with a line break after each paragraph, subheading and
    list item, so that blocks stay apart in the diff."""
    return WORD_OR_BREAK.findall(plain_text(html))


def word_diff(before, after):
    """The words of `after` against `before` (HTML tags dropped), as <del>/<ins> markup."""
    old, new = plain_words(before), plain_words(after)
    parts = []
    for operation, old_start, old_end, new_start, new_end in bounded_opcodes(old, new):
        if operation == "equal":
            parts.append(("{}", " ".join(new[new_start:new_end])))
            continue
        if old_end > old_start:
            parts.append(("<del>{}</del>", " ".join(old[old_start:old_end])))
        if new_end > new_start:
            parts.append(("<ins>{}</ins>", " ".join(new[new_start:new_end])))
    return format_html_join(
        " ", "{}", ((format_html(template, words),) for template, words in parts)
    )


@transaction.atomic
def restore(article, version, *, by, language=None):
    """Put back the texts of `version`, in `language` or in every language; the restore is
    itself a new revision. Status, dates, slugs and readiness never change: a restore that
    would empty a ready language is refused (`ValidationError`)."""
    if not roles.can_edit_everything(by, article):
        raise PermissionDenied(_("Only those who may edit the whole article can restore it."))
    if not revisions_of(article).filter(pk=version.pk).exists():
        raise PermissionDenied(_("This revision belongs to another article."))
    languages = [language] if language else language_codes()
    texts = restored_texts(article, version, languages)
    refusals = restore_refusals(article, texts)
    if refusals:
        raise ValidationError(list(refusals.values()))
    for column, text in texts.items():
        setattr(article, column, text)
    article.save()
    saved_on = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    if language:
        comment = _("Restored the %(language)s texts of the revision of %(date)s") % {
            "language": language_name(language),
            "date": saved_on,
        }
    else:
        comment = _("Restored the revision of %(date)s") % {"date": saved_on}
    save_revision(article, by=by, comment=comment)
    services.record_event(
        article, by=by, action=ArticleEvent.Action.RESTORED, language=language or ""
    )
    return article
