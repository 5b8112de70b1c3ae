"""Revisions of an article's texts (django-reversion): kept on every desk save, compared
per language, restored by those who may edit the whole article.

Only the texts are versioned: restoring never changes status, dates, slugs (addresses) or
which languages are ready, so it cannot publish, unpublish or move anything.
"""

import difflib
import re

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext as _
from modeltranslation.translator import translator
from reversion.models import Version

from articles import roles, services
from articles.models import Article, ArticleEvent, language_codes

NOT_VERSIONED = {"slug", "ready", "release_at", "translated_from"}
BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote)>|<br\s*/?>", re.IGNORECASE)


def versioned_fields():
    """The translated text fields, without those deciding addresses and visibility."""
    fields = translator.get_options_for_model(Article).fields
    return [field for field in fields if field not in NOT_VERSIONED]


def versioned_columns():
    return [f"{field}_{code}" for field in versioned_fields() for code in language_codes()]


reversion.register(Article, fields=versioned_columns())


def save_revision(article, *, by, comment=""):
    """Keep the article's current texts as a revision by `by`."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def save_revision_if_changed(article, *, by, comment=""):
    """`save_revision()`, unless the newest revision already holds these texts."""
    newest = revisions_of(article).first()
    texts = {column: getattr(article, column) for column in versioned_columns()}
    if newest is None or any(newest.field_dict.get(k) != v for k, v in texts.items()):
        save_revision(article, by=by, comment=comment)


def revisions_of(article):
    """The article's revisions, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def compare(older, newer):
    """[(language code, [(field label, diff html), ...]), ...] for what changed between two
    versions, language by language; unchanged fields and languages are left out."""
    changes = []
    for code in language_codes():
        fields = []
        for field in versioned_fields():
            column = f"{field}_{code}"
            before = older.field_dict.get(column) or ""
            after = newer.field_dict.get(column) or ""
            if before != after:
                label = Article._meta.get_field(field).verbose_name
                fields.append((label, word_diff(before, after)))
        if fields:
            changes.append((code, fields))
    return changes


def plain_words(html):
    """The words of `html`, with block ends kept as word boundaries."""
    return strip_tags(BLOCK_END.sub(r"\g<0> ", html)).split()


def word_diff(before, after):
    """The words of `after` against `before` (HTML tags dropped), as <del>/<ins> markup."""
    old, new = plain_words(before), plain_words(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
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
def restore(article, version, *, by):
    """Put back the texts of `version`; the restore is itself a new revision."""
    if not roles.can_edit_everything(by, article):
        raise PermissionDenied(_("Only those who may edit the whole article can restore it."))
    if not revisions_of(article).filter(pk=version.pk).exists():
        raise PermissionDenied(_("This revision belongs to another article."))
    for column in versioned_columns():
        if column in version.field_dict:
            setattr(article, column, version.field_dict[column])
    article.save()
    saved_on = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    save_revision(
        article, by=by, comment=_("Restored the revision of %(date)s") % {"date": saved_on}
    )
    services.content_changed(article, by=by, action=ArticleEvent.Action.RESTORED)
    return article
