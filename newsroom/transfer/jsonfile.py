"""Newsroom's own JSON file format (newsroom/transfer/schema/newsroom-articles.schema.json): read
as a stream for import, written as a stream by export."""

import json
import re
import uuid
from collections import defaultdict
from datetime import datetime
from html import escape

import ijson
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone

from articles.figures import IMAGE_FIGURE, attributes, images_for
from articles.links import STORED_HREF, link_articles, link_targets, linked_article_ids
from articles.models import Article, ArticleAuthor, Section, Topic, language_codes
from authors.models import Author
from newsroom.permalinks.models import Redirect
from newsroom.transfer.importer import (
    AUTHOR_LINKS,
    MODELS,
    PLURALS,
    TRANSLATED,
    Record,
    SourceError,
)
from newsroom.transfer.models import SourceKey
from pages.models import Page

FORMAT_NAME = "newsroom-articles"
FORMAT_VERSION = 1
TOP_LEVEL_KEYS = {"format", "version", "exported_at", *PLURALS.values()}
STORED_IMAGE_ID = re.compile(r' data-image="\d+"')


def parse_error(error):
    """The parser's message and the text around the fault, on one line."""
    text = error.args[0] if error.args else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    near = f" near: {lines[1]}" if len(lines) > 2 else ""
    return lines[0] + near


class JsonSource:
    """Records from a JSON file, read twice as a stream and never loaded whole."""

    suggested_slugs = False

    def __init__(self, path):
        self.path = path

    def records(self, report):
        self.check_envelope()
        for kind, plural in PLURALS.items():
            with open(self.path, "rb") as handle:
                try:
                    for index, item in enumerate(ijson.items(handle, f"{plural}.item")):
                        yield Record(kind, f"{plural}[{index}]", item)
                except (ijson.JSONError, UnicodeDecodeError) as error:
                    raise SourceError("file", f"not valid JSON: {parse_error(error)}") from None

    def check_envelope(self):
        """The whole file parses and says it is this format, before any item is read."""
        header = {}
        with open(self.path, "rb") as handle:
            try:
                events = ijson.parse(handle)
                prefix, event, _value = next(events, ("", None, None))
                if event != "start_map":
                    raise SourceError("file", "not a JSON object")
                for prefix, event, value in events:
                    if prefix == "" and event == "map_key" and value not in TOP_LEVEL_KEYS:
                        raise SourceError(value, "unknown top-level key")
                    if prefix in {"format", "version"}:
                        header[prefix] = value
            except (ijson.JSONError, UnicodeDecodeError) as error:
                raise SourceError("file", f"not valid JSON: {parse_error(error)}") from None
        if header.get("format") != FORMAT_NAME or header.get("version") != FORMAT_VERSION:
            raise SourceError(
                "format",
                f'expected "format": "{FORMAT_NAME}" and "version": {FORMAT_VERSION}, '
                f"found {header.get('format')!r} and {header.get('version')!r}",
            )


def texts(obj, name):
    """{language: text} of a translated field, leaving out empty languages."""
    found = {code: getattr(obj, f"{name}_{code}") for code in language_codes()}
    return {code: text for code, text in found.items() if text}


def ensure_keys(model, pks):
    """{pk: key} for `pks`, giving a new permanent key to objects that have none yet."""
    content_type = ContentType.objects.get_for_model(model)
    keys = SourceKey.objects.ids_to_keys(model)
    kind = next(kind for kind, candidate in MODELS.items() if candidate is model)
    missing = [
        SourceKey(content_type=content_type, object_id=pk, key=f"{kind}-{uuid.uuid4().hex}")
        for pk in pks
        if pk not in keys
    ]
    SourceKey.objects.bulk_create(missing)
    keys.update((source_key.object_id, source_key.key) for source_key in missing)
    return keys


def old_urls_by_object(model):
    """{pk: {language: [old paths]}} of every redirect to an object of `model`."""
    found = defaultdict(lambda: defaultdict(list))
    redirects = Redirect.objects.filter(content_type=ContentType.objects.get_for_model(model))
    for object_id, language, path in redirects.values_list("object_id", "language", "old_path"):
        found[object_id][language].append(path)
    return {pk: dict(by_language) for pk, by_language in found.items()}


def portable_figures(html):
    """Figures naming their image's file in the media folder instead of its id here, as
    lead images are; a figure whose image is gone is left out (readers do not see it)."""
    images = images_for(html)

    def portable(match):
        image = images.get(int(attributes(match["attributes"])["data-image"]))
        if image is None:
            return ""
        name = escape(image.file.name, quote=True)
        return STORED_IMAGE_ID.sub(f' data-image="{name}"', match[0], count=1)

    return IMAGE_FIGURE.sub(portable, html)


def without_empty(item):
    return {name: value for name, value in item.items() if value not in ("", None, {}, [])}


class Exporter:
    """Writes the JSON format to a text stream, item by item.

    Without `include_unpublished`, only what readers can see now goes out: articles live in
    at least one language, with only their live translations.
    """

    def __init__(self, stream, since=None, include_unpublished=False):
        self.stream = stream
        self.since = since
        self.include_unpublished = include_unpublished
        self.counts = {}

    def articles(self, model=Article):
        """The articles (or items of another kind, `model`) to write."""
        articles = model.objects.all()
        if not self.include_unpublished:
            articles = articles.live_in_any_language()
        if self.since:
            articles = articles.filter(updated_at__gte=self.since)
        return articles.order_by("pk")

    def write(self):
        articles = self.articles()
        pages = self.articles(Page)
        keys = {
            "author": ensure_keys(Author, Author.objects.values_list("pk", flat=True)),
            "section": ensure_keys(Section, Section.objects.values_list("pk", flat=True)),
            "topic": ensure_keys(Topic, Topic.objects.values_list("pk", flat=True)),
            "article": ensure_keys(Article, articles.values_list("pk", flat=True)),
            "page": ensure_keys(Page, pages.values_list("pk", flat=True)),
        }
        self.keys = keys
        self.exported_articles = set(articles.values_list("pk", flat=True))
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
        }
        self.stream.write("{\n")
        for name, value in header.items():
            self.stream.write(f" {json.dumps(name)}: {json.dumps(value)},\n")
        sections = [
            ("authors", self.authors()),
            ("sections", self.sections()),
            ("topics", self.topics()),
            ("articles", self.article_items(articles)),
            ("pages", self.page_items(pages)),
        ]
        for index, (plural, items) in enumerate(sections):
            self.stream.write(f' "{plural}": [')
            count = 0
            for item in items:
                self.stream.write(("," if count else "") + "\n  ")
                self.stream.write(json.dumps(item, ensure_ascii=False))
                count += 1
            self.counts[plural] = count
            self.stream.write("\n ]" + ("," if index < len(sections) - 1 else "") + "\n")
        self.stream.write("}\n")

    def authors(self):
        old_urls = old_urls_by_object(Author)
        authors = Author.objects.select_related("photo").order_by("pk")
        for author in authors.iterator(chunk_size=500):
            item = {"key": self.keys["author"][author.pk], "slug": author.slug}
            item.update({name: texts(author, name) for name in TRANSLATED["author"]})
            item.update({name: getattr(author, name) for name in AUTHOR_LINKS})
            item["photo"] = author.photo.file.name if author.photo else None
            item["old_urls"] = old_urls.get(author.pk)
            yield without_empty(item)

    def sections(self):
        old_urls = old_urls_by_object(Section)
        for section in Section.objects.order_by("pk"):
            item = {
                "key": self.keys["section"][section.pk],
                "position": section.position,
                "in_navigation": section.in_navigation,
            }
            item.update({name: texts(section, name) for name in TRANSLATED["section"]})
            item["old_urls"] = old_urls.get(section.pk)
            yield without_empty(item) | {"in_navigation": section.in_navigation}

    def topics(self):
        """Parents before their children, as the import expects."""
        old_urls = old_urls_by_object(Topic)
        topics = list(Topic.objects.order_by("pk"))
        children = defaultdict(list)
        for topic in topics:
            children[topic.parent_id].append(topic)
        queue = list(children[None])
        while queue:
            topic = queue.pop(0)
            queue.extend(children[topic.pk])
            item = {
                "key": self.keys["topic"][topic.pk],
                "parent": self.keys["topic"][topic.parent_id] if topic.parent_id else None,
            }
            item.update({name: texts(topic, name) for name in TRANSLATED["topic"]})
            item["old_urls"] = old_urls.get(topic.pk)
            yield without_empty(item)

    def article_items(self, articles):
        old_urls = old_urls_by_object(Article)
        articles = articles.select_related("lead_image").prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.order_by("position", "pk")),
            "topics",
            "related_links",
        )
        for article in articles.iterator(chunk_size=200):
            languages = self.exported_languages(article)
            related = [
                self.keys["article"][link.target_id]
                for link in article.related_links.all()
                if link.target_id in self.exported_articles
            ]
            item = {
                "key": self.keys["article"][article.pk],
                "status": article.status,
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "original_language": article.original_language,
                "section": self.keys["section"][article.section_id],
                "topics": [self.keys["topic"][topic.pk] for topic in article.topics.all()],
                "authors": [self.keys["author"][b.author_id] for b in article.bylines.all()],
                "related": related,
                "lead_image": article.lead_image.file.name if article.lead_image else None,
                "translations": {code: self.translation(article, code) for code in languages},
                "old_urls": {
                    code: paths
                    for code, paths in old_urls.get(article.pk, {}).items()
                    if code in languages
                },
            }
            yield without_empty(item) | {"authors": item["authors"]}

    def page_items(self, pages):
        old_urls = old_urls_by_object(Page)
        for page in pages:
            languages = self.exported_languages(page)
            item = {
                "key": self.keys["page"][page.pk],
                "status": page.status,
                "published_at": page.published_at.isoformat() if page.published_at else None,
                "original_language": page.original_language,
                "in_footer": page.in_footer,
                "translations": {
                    code: self.translation(page, code, kind="page") for code in languages
                },
                "old_urls": {
                    code: paths
                    for code, paths in old_urls.get(page.pk, {}).items()
                    if code in languages
                },
            }
            yield without_empty(item) | {"in_footer": page.in_footer}

    def exported_languages(self, item):
        """The languages of `item` written: those readers see, or with
        `include_unpublished` every language it has a title in."""
        return [
            code
            for code in language_codes()
            if getattr(item, f"title_{code}") and (self.include_unpublished or item.is_live(code))
        ]

    def translation(self, article, code, kind="article"):
        texts = {"ready": getattr(article, f"ready_{code}")}
        for name in TRANSLATED[kind]:
            value = getattr(article, f"{name}_{code}")
            if isinstance(value, datetime):
                value = value.isoformat()
            if name == "body" and value:
                value = portable_figures(self.portable_links(value, code))
            if value not in ("", None):
                texts[name] = value
        return texts

    def portable_links(self, html, code):
        """Links to other articles as public addresses, which the import turns back into
        links by id on the other side. Without `include_unpublished`, exactly what a reader
        of `code` gets: links to unpublished articles become their text."""
        if not self.include_unpublished:
            return link_articles(html, code)
        targets = link_targets(linked_article_ids(html))

        def address(match):
            target = targets.get(int(match[1]))
            if target is None:
                return match[0]
            return f'href="{target.get_absolute_url(target.original_language)}"'

        return STORED_HREF.sub(address, html)
