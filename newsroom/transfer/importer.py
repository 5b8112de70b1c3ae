"""Import records into the database: check the whole file first, then write it in one
transaction.

A source (`newsroom.transfer.jsonfile.JsonSource`, `newsroom.transfer.wordpress.WxrSource`)
yields `Record`s in dependency order (authors, sections, topics, articles, site pages) and
can be read
twice: once to check, once to write. Both passes stream, so a large file is never held in memory.
"""

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, router, transaction
from django.utils import timezone, translation
from jsonschema import Draft202012Validator
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator
from reversion.models import Revision, Version

from articles import page_contract
from articles.embeds import thumbnails, without_thumbnail
from articles.figures import IMAGE_FIGURE, attributes
from articles.invalidation import mark_articles_changed
from articles.links import store_article_links
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    OriginalText,
    RelatedArticle,
    Section,
    Topic,
    language_codes,
)
from articles.revisions import save_revision_if_changed, versioned_columns
from articles.sanitize import clean_html
from articles.search import refresh_search_index
from articles.services import record_event
from authors.models import Author
from newsroom.characters import remove_unsafe_characters
from newsroom.images.models import Image
from newsroom.images.uploads import verified_image
from newsroom.pagecache.tags import mark_changed
from newsroom.permalinks.models import Redirect, normalize_path
from newsroom.transfer.models import SourceKey
from pages.changes import pages_changed
from pages.models import Page

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "newsroom-articles.schema.json"
MODELS = {"author": Author, "section": Section, "topic": Topic, "article": Article, "page": Page}
# The kinds of content (`articles.publishable`): never brought back once deleted here.
PUBLISHABLE = {"article", "page"}
PLURALS = {
    "author": "authors",
    "section": "sections",
    "topic": "topics",
    "article": "articles",
    "page": "pages",
    "image": "images",
    "redirect": "redirects",
}
# When a language's text last changed travels with it: an import is no edit of the text.
CARRIED_BOOKKEEPING = {"text_modified_at"}
# The translated fields of each kind, as registered with modeltranslation, except internal
# bookkeeping (not editable, such as the original version a translation was confirmed against).
TRANSLATED = {
    kind: [
        name
        for name in translator.get_options_for_model(model).fields
        if model._meta.get_field(name).editable or name in CARRIED_BOOKKEEPING
    ]
    for kind, model in MODELS.items()
}
AUTHOR_LINKS = ["email", "website", "mastodon", "bluesky", "x", "linkedin"]
SLUG_COLUMNS = {
    "author": ["slug"],
    **dict.fromkeys(
        ["section", "topic", "article", "page"], [f"slug_{c}" for c in language_codes()]
    ),
}


@dataclass(frozen=True)
class Record:
    kind: str  # "author", "section", "topic", "article" or "page"
    location: str  # where the item is in the file, for messages
    data: dict


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self):
        return f"{self.location}: {self.message}"


class SourceError(Exception):
    """The file cannot be read at all (truncated, bad encoding, not this format)."""

    def __init__(self, location, message):
        super().__init__(f"{location}: {message}")
        self.problem = Problem(location, message)


# What an import did with an item, in the order the summary gives them.
ACTIONS = ["created", "updated", "unchanged", "kept"]
CHANGED_HERE = "changed here since the last import"
DELETED_HERE = "deleted here since the last import"
# New articles inserted together: an INSERT per article cost a quarter of an import's time.
INSERTED_TOGETHER = 500
# The owner of a slug claimed by a new article not inserted yet (see `Writer.free_slug()`).
NOT_INSERTED_YET = object()
# A figure's image in an imported body: a file in the media folder (see jsonfile.py).
FIGURE_FILE = re.compile(r' data-image="[^"]*"')
EMPTY_GALLERY = re.compile(r"<figure\b[^>]*\sdata-gallery=[^>]*>\s*</figure>")


@dataclass
class Report:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # (kind, action) -> n
    languages: Counter = field(default_factory=Counter)  # (kind, language) -> n written
    notes: Counter = field(default_factory=Counter)  # (heading, reason) -> n
    overwritten: list = field(default_factory=list)  # Problems: what --overwrite replaced
    records: int = 0

    def error(self, location, message):
        self.errors.append(Problem(location, message))

    def warn(self, location, message):
        self.warnings.append(Problem(location, message))

    def note(self, heading, reason):
        """Count something the summary tells apart, e.g. ("kept as drafts", "private")."""
        self.notes[(heading, reason)] += 1

    def count(self, kind, action, languages=()):
        """One item of `kind` (or, for "skipped", one item skipped for reason `action`);
        `languages`: the translations written."""
        self.counts[(kind, action)] += 1
        for language in languages:
            self.languages[(kind, language)] += 1

    def summary_lines(self):
        """One line per kind, e.g. "articles: 2 created, 1 kept (translations written:
        en 2, fr 1)", then the reasons: what was skipped, kept or imported as a draft."""
        lines = []
        for kind in PLURALS:
            actions = [
                f"{self.counts[(kind, action)]} {action}"
                for action in ACTIONS
                if self.counts[(kind, action)]
            ]
            if not actions:
                continue
            languages = sorted(
                (language, number)
                for (counted, language), number in self.languages.items()
                if counted == kind
            )
            written = ", ".join(f"{language} {number}" for language, number in languages)
            lines.append(
                f"{PLURALS[kind]}: {', '.join(actions)}"
                + (f" (translations written: {written})" if written else "")
            )
        skipped = Counter(
            {reason: n for (kind, reason), n in self.counts.items() if kind == "skipped"}
        )
        by_heading = defaultdict(Counter, {"skipped": skipped} if skipped else {})
        for (heading, reason), number in self.notes.items():
            by_heading[heading][reason] += number
        for heading, reasons in by_heading.items():
            lines.append(
                f"{heading}: "
                + ", ".join(f"{number} {reason}" for reason, number in sorted(reasons.items()))
            )
        return lines


@cache
def validators():
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return {
        kind: Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"})
        for kind in MODELS
    }


@cache
def constant_translated_defaults(model):
    """{column: default} of `model`'s translated columns whose default is no callable, given
    to a new object: modeltranslation otherwise computes each one per object, under its
    language's `translation.override()`, a cost an archive pays ten thousand times."""
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if isinstance(field, TranslationField)
        and not (field.has_default() and callable(field.default))
    }


def parse_time(value):
    """An aware datetime from ISO 8601, or ValueError."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("it has no time zone")
    return moment


def strings_in(value):
    """Every string in a record's data, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def image_path(media_dir, relative):
    """The file `relative` names inside `media_dir`, or ValueError saying what is wrong."""
    if media_dir is None:
        raise ValueError("images need --media-dir")
    base = Path(media_dir).resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"{relative!r} is outside the media folder")
    if not path.is_file():
        raise ValueError(f"{relative!r} not found in {base}")
    return path


def clean_image(media_dir, relative):
    """The image `relative` names, checked and re-encoded as an upload is (its limits, and
    no metadata kept: a photo's GPS position stays out of the site), as a ContentFile; or
    ValueError saying what is wrong."""
    path = image_path(media_dir, relative)
    with path.open("rb") as handle:
        try:
            return verified_image(File(handle))
        except ValidationError as error:
            with translation.override("en"):
                reason = " ".join(error.messages)
            raise ValueError(f"{relative!r}: {reason}") from None


def existing_keys():
    """{kind: {key: pk}} for objects still in the database."""
    keys = {}
    for kind, model in MODELS.items():
        alive = set(model.objects.values_list("pk", flat=True))
        keys[kind] = {
            key: pk for key, pk in SourceKey.objects.keys_to_ids(model).items() if pk in alive
        }
    return keys


def import_states():
    """{kind: {key: (digest, fingerprint)}} of what earlier imports wrote, deleted or not."""
    return {
        kind: {
            key: (digest, fingerprint)
            for key, digest, fingerprint in SourceKey.objects.filter(
                content_type=ContentType.objects.get_for_model(model)
            ).values_list("key", "imported_digest", "written_fingerprint")
        }
        for kind, model in MODELS.items()
    }


def record_digest(data):
    """A digest of an item as a file gives it: equal digests, nothing new at the source."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def json_value(value):
    if isinstance(value, datetime):
        return value.timestamp()
    return str(value)


def object_fingerprint(obj):
    """A digest of what an object holds (but its bookkeeping times and derived image
    sizes): a different fingerprint, a change since it was written. Articles read their
    topics and byline from `prefetch_related("topics", "bylines")` when given."""
    # A translated field's own name reads the active language's column: only the
    # per-language columns say what is stored.
    skipped = {"created_at", "updated_at", *translator.get_options_for_model(type(obj)).fields}
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not (field.primary_key or field.name in skipped or field.name.endswith("_renditions"))
    }
    if isinstance(obj, Article):
        values["topics"] = sorted(topic.pk for topic in obj.topics.all())
        credits = sorted(obj.bylines.all(), key=lambda credit: credit.position)
        values["byline"] = [credit.author_id for credit in credits]
    text = json.dumps(values, sort_keys=True, default=json_value)
    return hashlib.sha256(text.encode()).hexdigest()


class Checker:
    """Finds every problem in a file without writing anything.

    With `suggested_slugs` (WordPress), a slug that is taken is a suggestion the import
    replaces with a free one; otherwise (our own format) it is an error.
    """

    def __init__(self, report, media_dir=None, suggested_slugs=False):
        self.report = report
        self.media_dir = media_dir
        self.suggested_slugs = suggested_slugs
        self.languages = set(language_codes())
        self.known = existing_keys()
        self.seen = {kind: {} for kind in MODELS}  # key -> location
        self.item_languages = defaultdict(dict)  # (kind, key) -> {language: location}
        # (kind, key) -> (location, status, original, ready languages) of articles and pages
        self.item_state = {}
        self.slugs = defaultdict(dict)  # (kind, language) -> {slug: (key, location)}
        self.old_paths = {}  # path -> location
        self.references = []  # (location, kind, key, is_required)

    def check(self, record):
        self.report.records += 1
        location, data = record.location, record.data
        errors = sorted(validators()[record.kind].iter_errors(data), key=lambda e: e.path)
        for error in errors:
            where = "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path
            )
            self.report.error(f"{location}{where}", error.message)
        if errors:
            return
        strings = list(strings_in(data))
        if any("\x00" in text for text in strings):
            self.report.error(location, "contains a NUL character, which no text may hold")
            return
        unsafe = sum(len(text) - len(remove_unsafe_characters(text)) for text in strings)
        if unsafe:
            self.report.warn(
                location,
                f"{unsafe} control or bidirectional override character(s) removed: no text "
                "may hold them",
            )
        self.check_languages(location, data)
        getattr(self, f"check_{record.kind}")(location, data)
        for language, paths in data.get("old_urls", {}).items():
            for old_url in paths:
                path = normalize_path(old_url)
                if path in self.old_paths and self.old_paths[path] != location:
                    self.report.error(
                        f"{location}.old_urls.{language}",
                        f"{path} is also claimed by {self.old_paths[path]}",
                    )
                self.old_paths[path] = location

    def check_languages(self, location, data):
        for name in ["name", "role", "short_bio", "long_bio", "slug", "description"]:
            self.only_configured(f"{location}.{name}", data.get(name))
        self.only_configured(f"{location}.translations", data.get("translations"))
        self.only_configured(f"{location}.old_urls", data.get("old_urls"))
        if "original_language" in data:
            self.only_configured(
                f"{location}.original_language", {data["original_language"]: None}
            )

    def only_configured(self, location, by_language):
        if not isinstance(by_language, dict):
            return
        for language in by_language.keys() - self.languages:
            self.report.error(
                location,
                f"unknown language {language!r} (this site has {', '.join(language_codes())})",
            )

    def first_definition(self, kind, location, key):
        if key in self.seen[kind]:
            self.report.error(
                location, f"duplicate {kind} key {key!r}, first at {self.seen[kind][key]}"
            )
            return False
        self.seen[kind][key] = location
        return True

    def needs_default_name(self, location, data):
        default = settings.LANGUAGE_CODE
        if not data["name"].get(default):
            self.report.error(f"{location}.name", f"a name in {default!r} is required")

    def check_slug(self, kind, language, slug, key, location):
        taken = self.slugs[(kind, language)].get(slug)
        if taken and taken[0] != key and not self.suggested_slugs:
            self.report.error(location, f"duplicate slug {slug!r}, also used at {taken[1]}")
        self.slugs[(kind, language)].setdefault(slug, (key, location))

    def check_time(self, location, value):
        if not value:
            return
        try:
            parse_time(value)
        except ValueError as error:
            self.report.error(
                location, f"{value!r} is not a date and time with a time zone ({error})"
            )

    def check_image(self, location, relative):
        try:
            clean_image(self.media_dir, relative)
        except ValueError as error:
            self.report.error(location, str(error))

    def check_author(self, location, data):
        self.first_definition("author", location, data["key"])
        self.needs_default_name(location, data)
        if data.get("slug"):
            self.check_slug("author", "", data["slug"], data["key"], f"{location}.slug")
        if data.get("photo"):
            self.check_image(f"{location}.photo", data["photo"])

    def check_section(self, location, data):
        self.first_definition("section", location, data["key"])
        self.needs_default_name(location, data)
        for language, slug in data.get("slug", {}).items():
            self.check_slug("section", language, slug, data["key"], f"{location}.slug.{language}")

    def check_topic(self, location, data):
        key = data["key"]
        self.first_definition("topic", location, key)
        self.needs_default_name(location, data)
        for language, slug in data.get("slug", {}).items():
            self.check_slug("topic", language, slug, key, f"{location}.slug.{language}")
        parent = data.get("parent")
        if parent == key:
            self.report.error(f"{location}.parent", "a topic cannot be its own parent")
        elif parent and parent not in self.seen["topic"] and parent not in self.known["topic"]:
            self.report.error(
                f"{location}.parent", f"unknown topic {parent!r}: define parents first"
            )

    def check_article(self, location, data):
        self.check_publishable("article", location, data)
        self.references.append((f"{location}.section", "section", data["section"], True))
        for index, topic in enumerate(data.get("topics", [])):
            self.references.append((f"{location}.topics[{index}]", "topic", topic, True))
        for index, author in enumerate(data["authors"]):
            self.references.append((f"{location}.authors[{index}]", "author", author, True))
        for index, related in enumerate(data.get("related", [])):
            self.references.append((f"{location}.related[{index}]", "article", related, False))
        if data.get("lead_image"):
            self.check_image(f"{location}.lead_image", data["lead_image"])

    def check_page(self, location, data):
        self.check_publishable("page", location, data)

    def check_publishable(self, kind, location, data):
        """What an article and a site page share: their translations, dates and slugs."""
        key = data["key"]
        languages = self.item_languages[(kind, key)]
        for language in data["translations"]:
            if language in languages:
                self.report.error(
                    f"{location}.translations.{language}",
                    f"{kind} {key!r} already has this translation at {languages[language]}",
                )
            languages[language] = location
        self.seen[kind].setdefault(key, location)
        self.check_time(f"{location}.published_at", data.get("published_at"))
        self.check_time(f"{location}.modified_at", data.get("modified_at"))
        ready = set()
        for language, texts in data["translations"].items():
            self.check_time(
                f"{location}.translations.{language}.release_at", texts.get("release_at")
            )
            complete = bool(texts.get("title") and texts.get("body"))
            if texts.get("ready") and not complete:
                self.report.error(
                    f"{location}.translations.{language}.ready",
                    "a translation needs a title and a body to be ready",
                )
            if texts.get("ready") and complete:
                ready.add(language)
            try:
                clean_html(texts.get("body"))
            except ValidationError as error:
                self.report.error(
                    f"{location}.translations.{language}.body", " ".join(error.messages)
                )
            if texts.get("slug"):
                self.check_slug(
                    kind, language, texts["slug"], key, f"{location}.translations.{language}.slug"
                )
        previous = self.item_state.get((kind, key))
        if previous:
            ready |= previous[3]
        self.item_state[(kind, key)] = (location, data["status"], data["original_language"], ready)

    def finish(self):
        """Checks that need the whole file: references, required translations, slugs in use."""
        for location, kind, key, is_required in self.references:
            if key in self.seen[kind] or key in self.known[kind]:
                continue
            if is_required:
                self.report.error(location, f"unknown {kind} {key!r}")
            else:
                self.report.warn(location, f"unknown {kind} {key!r}: link left out")
        for (kind, key), (location, status, original, ready) in self.item_state.items():
            if key in self.known[kind]:
                continue
            if status == Article.Status.PUBLISHED and original not in ready:
                self.report.error(
                    f"{location}.translations.{original}",
                    f"a published {kind} needs its original language translated and ready "
                    "(title, body and ready: true)",
                )
        if not self.suggested_slugs:
            self.check_slugs_in_use()

    def check_slugs_in_use(self):
        for (kind, language), slugs in self.slugs.items():
            column = f"slug_{language}" if language else "slug"
            owners = self.known[kind]
            for chunk in chunked(list(slugs), 500):
                for pk, slug in (
                    MODELS[kind]
                    .objects.filter(**{f"{column}__in": chunk})
                    .values_list("pk", column)
                ):
                    key, location = slugs[slug]
                    if owners.get(key) != pk:
                        self.report.error(
                            location, f"slug {slug!r} is already used by another {kind}"
                        )


def chunked(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def save_first_revisions(items, comment):
    """The first revision of each of these items (of one kind, as read from the database),
    in bulk, as `save_revision()` keeps one (its texts serialized by django-reversion's
    format)."""
    if not items:
        return
    model = type(items[0])
    revisions = Revision.objects.bulk_create(
        [Revision(date_created=timezone.now(), comment=comment) for _item in items]
    )
    content_type = ContentType.objects.get_for_model(model)
    Version.objects.bulk_create(
        Version(
            revision=revision,
            object_id=str(item.pk),
            content_type=content_type,
            db=router.db_for_write(model),
            format="json",
            serialized_data=serializers.serialize("json", [item], fields=versioned_columns(model)),
            object_repr=str(item),
        )
        for revision, item in zip(revisions, items, strict=True)
    )


class Writer:
    """Creates or updates one object per record; call `finish()` after the last record.

    What the desk changed or deleted since the last import is kept (unless `overwrite`),
    what did not change at the source is left untouched: an import writes only what is new
    there and unchanged here. A deleted author, section or topic is made again when the
    file still needs it.
    """

    def __init__(
        self, report, media_dir=None, suggested_slugs=False, write_files=True, overwrite=False
    ):
        self.report = report
        self.media_dir = media_dir
        self.suggested_slugs = suggested_slugs
        self.write_files = write_files
        self.overwrite = overwrite
        self.ids = existing_keys()
        self.states = import_states()
        self.related = {}  # article key -> related article keys
        self.written_articles = set()
        self.written = []  # (kind, key, object, digest) of every object written
        # New articles with what their records say, inserted together by `insert_pending()`.
        self.pending = []  # (article, data)
        self.new_items = defaultdict(list)  # kind -> ids created, for their first revisions
        self.modified_at = defaultdict(dict)  # kind -> {id: last modification at the source}
        self.old_addresses = {}  # old path -> (content type id, object id, language)
        self.slug_owners = {}  # (model, column) -> {slug: pk}, read when first needed
        self.location = None

    def write(self, record):
        self.location = record.location
        kind, data = record.kind, record.data
        digest = record_digest(data)
        action, reason = self.decide(kind, data["key"], digest)
        if action != "write":
            self.report.count(kind, action)
            if reason:
                self.report.note(action, reason)
            return
        if reason:
            self.report.overwritten.append(Problem(record.location, reason))
        if kind != "article":
            self.insert_pending()
        with translation.override(settings.LANGUAGE_CODE):
            obj = getattr(self, f"write_{kind}")(data)
        self.written.append((kind, data["key"], obj, digest))

    def decide(self, kind, key, digest):
        """("write", None), ("unchanged", None) or ("kept", why); with `overwrite`, what
        would be kept is written, with the reason it overrides."""
        state = self.states[kind].get(key)
        if state is None:
            return "write", None
        imported_digest, fingerprint = state
        if key not in self.ids[kind]:
            if kind not in PUBLISHABLE:
                return "write", None
            reason = DELETED_HERE
        else:
            current = object_fingerprint(MODELS[kind].objects.get(pk=self.ids[kind][key]))
            if fingerprint and current != fingerprint:
                reason = CHANGED_HERE
            elif imported_digest == digest:
                return "unchanged", None
            else:
                return "write", None
        return ("write", reason) if self.overwrite else ("kept", reason)

    def fetch(self, kind, key):
        """(object, created) for `key`: the imported object, or a new unsaved one."""
        model = MODELS[kind]
        pk = self.ids[kind].get(key)
        found = model.objects.filter(pk=pk).first() if pk else None
        return (found, False) if found else (model(**constant_translated_defaults(model)), True)

    def remember(self, kind, data, obj):
        """Know the object by its key (stored by `finish()`) and point the item's old
        addresses at it."""
        self.ids[kind][data["key"]] = obj.pk
        content_type_id = ContentType.objects.get_for_model(obj).pk
        for language, paths in data.get("old_urls", {}).items():
            for path in paths:
                self.old_addresses[normalize_path(path)] = (content_type_id, obj.pk, language)
        self.claim_slugs(kind, obj)

    def claim_slugs(self, kind, obj):
        """The object's slugs are no longer free (see `free_slug()`), even before it is
        inserted."""
        for column in SLUG_COLUMNS[kind]:
            if (type(obj), column) in self.slug_owners and getattr(obj, column):
                owner = NOT_INSERTED_YET if obj.pk is None else obj.pk
                self.slug_owners[(type(obj), column)][getattr(obj, column)] = owner

    def store_old_addresses(self):
        """Point each written item's old addresses at it, whatever they led to before (as
        `Redirect.objects.point()` does), a chunk of addresses at a time."""
        for paths in chunked(list(self.old_addresses), 500):
            before = {
                path: tuple(target)
                for path, *target in Redirect.objects.filter(old_path__in=paths).values_list(
                    "old_path", "content_type_id", "object_id", "language"
                )
            }
            for path in paths:
                target = before.get(path)
                action = "created" if target is None else "updated"
                if target == self.old_addresses[path]:
                    action = "unchanged"
                self.report.count("redirect", action)
            Redirect.objects.bulk_create(
                [
                    Redirect(
                        old_path=path,
                        content_type_id=self.old_addresses[path][0],
                        object_id=self.old_addresses[path][1],
                        language=self.old_addresses[path][2],
                    )
                    for path in paths
                ],
                update_conflicts=True,
                unique_fields=["old_path"],
                update_fields=["content_type", "object_id", "language"],
            )

    def free_slug(self, model, column, slug, obj):
        """`slug` unless another object has it and slugs are only suggestions."""
        if not self.suggested_slugs:
            return slug
        if (model, column) not in self.slug_owners:
            # Every slug in use, read once: a query per slug would cost an archive dearly.
            self.slug_owners[(model, column)] = dict(
                model.objects.filter(**{f"{column}__isnull": False}).values_list(column, "pk")
            )
        owner = self.slug_owners[(model, column)].get(slug)
        return None if owner is not None and owner != obj.pk else slug

    def library_image(self, relative, folder, title):
        """The library image of a clean copy of `relative`, its file named by the source's
        content so that importing it again reuses the image; ValueError when it cannot be
        made. A dry run makes none (None) but finds the same faults."""
        source = image_path(self.media_dir, relative)
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:20]
        name = f"{folder}/imported/{digest}{source.suffix.lower()}"
        image = Image.objects.filter(file=name).first()
        if image is not None:
            self.report.count("image", "unchanged")
            return image
        if not self.write_files:
            if not default_storage.exists(name):
                clean_image(self.media_dir, relative)
            return None
        if not default_storage.exists(name):
            name = default_storage.save(name, clean_image(self.media_dir, relative))
        self.report.count("image", "created")
        return Image.objects.create(
            title=title[: Image._meta.get_field("title").max_length], file=name
        )

    def with_embed_thumbnails(self, html, key):
        """The body with its embeds' thumbnails copied from the media folder as images are
        (under the same name); one that cannot be is left out of its embed, with a warning:
        readers never get a broken image. A dry run copies none but finds the same faults."""
        for name in thumbnails(html):
            if default_storage.exists(name):
                continue
            try:
                copy = clean_image(self.media_dir, name)
                if self.write_files:
                    default_storage.save(name, copy)
                    self.report.count("image", "created")
            except ValueError as error:
                self.report.warn(f"article {key}", f"embed thumbnail left out: {error}")
                html = without_thumbnail(html, name)
        return html

    def with_library_figures(self, html, kind, key, title):
        """The body with each figure's image file (named in the media folder) as a library
        image's id, reusing one already imported; a figure whose file cannot be read is
        left out, with a warning (and a gallery left with none): readers never get a broken
        image."""

        def library_figure(match):
            data = attributes(match["attributes"])
            try:
                image = self.library_image(
                    data.get("data-image", ""), "articles", data.get("data-alt") or title
                )
            except ValueError as error:
                self.report.warn(f"{kind} {key}", f"figure left out: {error}")
                return ""
            if image is None:
                return match[0]
            return FIGURE_FILE.sub(f' data-image="{image.pk}"', match[0], count=1)

        return EMPTY_GALLERY.sub("", IMAGE_FIGURE.sub(library_figure, html))

    def write_author(self, data):
        author, created = self.fetch("author", data["key"])
        if data.get("slug"):
            author.slug = self.free_slug(Author, "slug", data["slug"], author) or author.slug
        self.set_translated(author, data, TRANSLATED["author"])
        for name in AUTHOR_LINKS:
            if name in data:
                setattr(author, name, data[name])
        if data.get("photo") and self.write_files:
            author.photo = self.library_image(data["photo"], "authors", author.name)
        author.save()
        return self.finish_item("author", data, author, created)

    def write_section(self, data):
        section, created = self.fetch("section", data["key"])
        if "position" in data:
            section.position = data["position"]
        if "in_navigation" in data:
            section.in_navigation = data["in_navigation"]
        return self.write_taxonomy("section", section, created, data)

    def write_topic(self, data):
        topic, created = self.fetch("topic", data["key"])
        if "parent" in data:
            topic.parent_id = self.ids["topic"].get(data["parent"]) if data["parent"] else None
        return self.write_taxonomy("topic", topic, created, data)

    def write_taxonomy(self, kind, obj, created, data):
        old_slugs = {code: getattr(obj, f"slug_{code}") for code in language_codes()}
        self.set_translated(obj, data, ["name", "description"])
        for language, slug in data.get("slug", {}).items():
            column = f"slug_{language}"
            setattr(
                obj, column, self.free_slug(type(obj), column, slug, obj) or old_slugs[language]
            )
        obj.save()
        if not created:
            Redirect.objects.remember_slug_changes(obj, old_slugs)
        return self.finish_item(kind, data, obj, created)

    def set_translated(self, obj, data, names):
        for name in names:
            for language, text in data.get(name, {}).items():
                setattr(obj, f"{name}_{language}", text)

    def write_article(self, data):
        """A new article waits to be inserted with others (`insert_pending()`), unless it
        takes a slug from its title: then it is inserted alone, after those waiting."""
        article, created = self.fetch("article", data["key"])
        if not created:
            self.insert_pending()
        article.section_id = self.ids["section"][data["section"]]
        if data.get("lead_image") and self.write_files:
            original_texts = data["translations"].get(data["original_language"], {})
            article.lead_image = self.library_image(
                data["lead_image"], "articles", original_texts.get("title", "")
            )
        old_slugs, was_scheduled_at = self.fill_publishable("article", article, data)
        if created:
            # A slug taken from the title is free of the inserted articles' only.
            slug_from_title = article.needs_slug_from_title()
            if slug_from_title:
                self.insert_pending()
            self.pending.append((article, data))
            self.claim_slugs("article", article)
            if slug_from_title or len(self.pending) >= INSERTED_TOGETHER:
                self.insert_pending()
            return article
        article.save(stamp_text_changes=False)
        self.saved_publishable("article", article, False, data, old_slugs, was_scheduled_at)
        self.write_byline(article, [self.ids["author"][key] for key in data["authors"]])
        if "topics" in data:
            article.topics.set(self.topic_ids(data))
        return self.article_written(article, False, data)

    def insert_pending(self):
        """Insert the new articles waiting, then what needs their ids."""
        if not self.pending:
            return
        articles = [article for article, _data in self.pending]
        with translation.override(settings.LANGUAGE_CODE):
            Article.objects.insert_new(articles)
            bylines, topics = [], []
            for article, data in self.pending:
                self.saved_publishable("article", article, True, data, {}, None)
                author_ids = dict.fromkeys(self.ids["author"][key] for key in data["authors"])
                bylines += [
                    ArticleAuthor(article=article, author_id=author_id, position=position)
                    for position, author_id in enumerate(author_ids)
                ]
                topics += [
                    Article.topics.through(article_id=article.pk, topic_id=topic_id)
                    for topic_id in self.topic_ids(data)
                ]
                self.article_written(article, True, data)
        ArticleAuthor.objects.bulk_create(bylines)
        Article.topics.through.objects.bulk_create(topics)
        self.pending.clear()

    def topic_ids(self, data):
        return [self.ids["topic"][key] for key in dict.fromkeys(data.get("topics", []))]

    def article_written(self, article, created, data):
        if "related" in data:
            self.related[data["key"]] = data["related"]
        self.written_articles.add(article.pk)
        return self.finish_item("article", data, article, created, data["translations"])

    def write_page(self, data):
        page, created = self.fetch("page", data["key"])
        if "in_footer" in data:
            page.in_footer = data["in_footer"]
        old_slugs, was_scheduled_at = self.fill_publishable("page", page, data)
        page.save(stamp_text_changes=False)
        self.saved_publishable("page", page, created, data, old_slugs, was_scheduled_at)
        return self.finish_item("page", data, page, created, data["translations"])

    def fill_publishable(self, kind, item, data):
        """What an article and a site page share: status, dates, translations. Returns
        what `saved_publishable()` needs to know of the item before."""
        old_slugs = {code: getattr(item, f"slug_{code}") for code in language_codes()}
        was_scheduled_at = item.published_at if item.is_scheduled else None
        item.status = data["status"]
        item.original_language = data["original_language"]
        if data.get("published_at"):
            item.published_at = parse_time(data["published_at"])
        for language, texts in data["translations"].items():
            for name in TRANSLATED[kind]:
                if name not in texts:
                    continue
                value = texts[name]
                if name in ("release_at", "text_modified_at"):
                    value = parse_time(value) if value else None
                elif name == "slug":
                    value = self.free_slug(type(item), f"slug_{language}", value, item)
                    value = value or old_slugs[language]
                elif name == "body" and value:
                    value = self.with_embed_thumbnails(value, data["key"])
                    value = self.with_library_figures(
                        value, kind, data["key"], texts.get("title", "")
                    )
                setattr(item, f"{name}_{language}", value)
        return old_slugs, was_scheduled_at

    def saved_publishable(self, kind, item, created, data, old_slugs, was_scheduled_at):
        """Once an article or a site page is saved (as an import, which is no edit of its
        text: readers' "updated" times stay as they were): the history's first steps,
        redirects after a slug change."""
        if item.is_scheduled and item.published_at != was_scheduled_at:
            # As when an editor schedules it: `publish_scheduled` performs what follows
            # its going live, and the history shows it.
            record_event(
                item,
                by=None,
                action=ArticleEvent.Action.SCHEDULED,
                published_at=item.published_at,
            )
        # The history starts with the imported texts: the first edit on the desk can be
        # compared with them (a new item's first revision is written by `finish()`).
        if created:
            self.new_items[kind].append(item.pk)
        else:
            save_revision_if_changed(item, by=None, comment="Imported")
        if data.get("modified_at"):
            # The source's own last change, not the moment of the import (auto_now would
            # set that): readers, feeds and sitemaps date the item by it.
            self.modified_at[kind][item.pk] = parse_time(data["modified_at"])
        if not created:
            Redirect.objects.remember_slug_changes(item, old_slugs)

    def write_byline(self, article, author_ids):
        author_ids = list(dict.fromkeys(author_ids))
        current = list(article.bylines.values_list("author_id", flat=True))
        if current == author_ids:
            return
        article.bylines.all().delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author_id=author_id, position=position)
            for position, author_id in enumerate(author_ids)
        )

    def finish_item(self, kind, data, obj, created, languages=()):
        self.remember(kind, data, obj)
        self.report.count(kind, "created" if created else "updated", languages)
        return obj

    def finish(self):
        """Curated related links, once every article of the file exists; then the pages
        showing imported articles go stale (bylines and links are bulk-written)."""
        self.insert_pending()
        for key, related_keys in self.related.items():
            source = self.ids["article"][key]
            targets = [self.ids["article"].get(target) for target in dict.fromkeys(related_keys)]
            RelatedArticle.objects.filter(source_id=source).delete()
            RelatedArticle.objects.bulk_create(
                RelatedArticle(source_id=source, target_id=target, position=position)
                for position, target in enumerate(t for t in targets if t and t != source)
            )
        self.store_forward_links()
        self.store_old_addresses()
        # The source's last change is that of the texts it carries, in every language.
        text_times = [f"text_modified_at_{code}" for code in language_codes()]
        for kind in PUBLISHABLE:
            model = MODELS[kind]
            model.objects.bulk_update(
                [
                    model(pk=pk, updated_at=moment, **dict.fromkeys(text_times, moment))
                    for pk, moment in self.modified_at[kind].items()
                ],
                ["updated_at", *text_times],
                batch_size=500,
            )
        self.store_written_states()
        for article_ids in chunked(sorted(self.written_articles), 500):
            mark_articles_changed(article_ids)
        if self.written_articles:
            # New articles are inserted without save signals: a section may have its first.
            mark_changed(page_contract.navigation())
        # Their dates were written in bulk, after the saves that marked them.
        pages_changed(self.modified_at["page"])

    def store_written_states(self):
        """Each written object's key, with the digest of its item and the fingerprint of
        the object as written; a new item's first revision, a new article's search
        documents. Each object is read back once for all three (links and times are
        stored after the save)."""
        by_kind = defaultdict(dict)  # kind -> {pk: (key, digest)}
        for kind, key, obj, digest in self.written:
            by_kind[kind][obj.pk] = (key, digest)
        states = []
        for kind, written in by_kind.items():
            model = MODELS[kind]
            content_type = ContentType.objects.get_for_model(model)
            objects = model.objects.all()
            if kind == "article":
                objects = objects.prefetch_related("topics", "bylines")
            new_items = set(self.new_items[kind])
            for pks in chunked(sorted(written), 500):
                read = list(objects.filter(pk__in=pks))
                created = [obj for obj in read if obj.pk in new_items]
                save_first_revisions(created, comment="Imported")
                if kind == "article" and created:
                    refresh_search_index([obj.pk for obj in created], articles=created)
                for obj in read:
                    key, digest = written[obj.pk]
                    states.append(
                        SourceKey(
                            content_type=content_type,
                            object_id=obj.pk,
                            key=key,
                            imported_digest=digest,
                            written_fingerprint=object_fingerprint(obj),
                        )
                    )
        SourceKey.objects.bulk_create(
            states,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["content_type", "key"],
            update_fields=["object_id", "imported_digest", "written_fingerprint"],
        )

    def store_forward_links(self):
        """Links to articles that came later in the file, or were inserted with theirs,
        could not be stored by id when their article was saved; now every target exists.
        A new article's original text, which translators' diffs start from, gets them too."""
        bodies = [f"body_{code}" for code in language_codes()]
        new_articles = set(self.new_items["article"])
        for article_ids in chunked(sorted(self.written_articles), 500):
            for pk, original, *htmls in Article.objects.filter(pk__in=article_ids).values_list(
                "pk", "original_language", *bodies
            ):
                stored = dict(
                    zip(bodies, [store_article_links(html) for html in htmls], strict=True)
                )
                if list(stored.values()) == htmls:
                    continue
                Article.objects.filter(pk=pk).update(**stored)
                if pk in new_articles:
                    OriginalText.objects.filter(article_id=pk).update(
                        body=stored[f"body_{original}"] or ""
                    )


def run_import(
    source, *, media_dir=None, dry_run=False, strict=False, overwrite=False, progress=None
):
    """Check `source` whole, then write it in one transaction (rolled back for a dry run).

    Returns the `Report`; nothing is written when it has errors (with `strict`, when it has
    warnings either). `progress(iterable, total)`
    wraps the record streams (e.g. with a progress bar).
    """
    progress = progress or (lambda iterable, total, description: iterable)
    report = Report()
    suggested = getattr(source, "suggested_slugs", False)
    checker = Checker(report, media_dir=media_dir, suggested_slugs=suggested)
    try:
        for record in progress(source.records(report), None, "Checking"):
            checker.check(record)
    except SourceError as error:
        report.errors.append(error.problem)
        return report
    checker.finish()
    if strict:
        report.errors.extend(report.warnings)
        report.warnings.clear()
    if report.errors:
        return report
    total, report.counts = (
        report.records,
        Counter({k: v for k, v in report.counts.items() if k[0] == "skipped"}),
    )
    writer = Writer(
        report,
        media_dir=media_dir,
        suggested_slugs=suggested,
        write_files=not dry_run,
        overwrite=overwrite,
    )
    try:
        with transaction.atomic():
            for record in progress(source.records(Report()), total, "Importing"):
                writer.write(record)
            writer.finish()
            transaction.set_rollback(dry_run)
    except (IntegrityError, SourceError) as error:
        report.error(writer.location or "file", f"nothing was imported: {error}")
    return report
