"""WordPress export files (WXR 1.0 to 1.2) as import records.

Authors become authors; top-level categories become sections and nested ones topics; tags
become topics. Posts become articles; the posts of one Polylang or WPML translation group
become one article with a translation per language. Pages, attachments and menus are not
articles: they are counted as skipped (attachments give featured images).
"""

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import language_codes
from newsroom.slugs import slugify_text
from newsroom.transfer.importer import Record, SourceError, clean_image
from newsroom.transfer.wordpress_html import convert_body

WP_NAMESPACE = "http://wordpress.org/export/"
PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
HEADER_TAGS = {"wp:author", "wp:category", "wp:tag", "wp:term"}
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
# WordPress status -> (article status, translation released to readers)
STATUSES = {
    "publish": ("published", True),
    "future": ("published", True),
    "pending": ("review", False),
    "draft": ("draft", False),
    "private": ("draft", False),
}
STATUS_RANK = {"published": 2, "review": 1, "draft": 0}
# Polylang stores a translation group as a serialized PHP array {language: term or post id}.
SERIALIZED_PAIR = re.compile(r's:\d+:"([^"]+)";i:(\d+);')


class Term(NamedTuple):
    """A category or a tag from the export's header."""

    term_id: str
    nicename: str
    parent: str
    name: str
    description: str


def local_name(tag):
    """ "{http://wordpress.org/export/1.2/}post_id" -> "wp:post_id", whatever the version."""
    if not tag.startswith("{"):
        return tag
    namespace, _brace, name = tag[1:].partition("}")
    if namespace.startswith(WP_NAMESPACE):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    else:
        prefix = PREFIXES.get(namespace, "")
    return f"{prefix}:{name}" if prefix else name


def element_fields(element):
    """{child name: text} of the first occurrence of each child of `element`."""
    fields = {}
    for child in element:
        fields.setdefault(local_name(child.tag), (child.text or "").strip())
    return fields


def parse_item(element):
    item = element_fields(element)
    item["content:encoded"] = next(
        (c.text or "" for c in element if local_name(c.tag) == "content:encoded"), ""
    )
    item["categories"] = [
        (c.get("domain", ""), unquote(c.get("nicename", "")), (c.text or "").strip())
        for c in element
        if local_name(c.tag) == "category"
    ]
    item["meta"] = {}
    for meta in element:
        if local_name(meta.tag) == "wp:postmeta":
            fields = element_fields(meta)
            item["meta"][fields.get("wp:meta_key", "")] = fields.get("wp:meta_value", "")
    return item


def language_code(value):
    """ "fr", "fr_FR" or "pt-br" -> "fr", "fr", "pt"."""
    return re.split(r"[-_]", value.strip().lower())[0] if value else ""


def wp_nicename(login):
    """The author archive slug WordPress derives from a login."""
    return re.sub(r"[^a-z0-9_-]+", "-", login.lower()).strip("-")


def local_path(url):
    parts = urlsplit(url)
    return unquote(parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def wp_time(value, default_timezone):
    """ISO 8601 for a WordPress "Y-m-d H:i:s", None for its zero date, the value itself if
    it is not a date (so that the check reports it)."""
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return value
    return moment.replace(tzinfo=default_timezone).isoformat()


class WxrSource:
    """Records from a WXR file, parsed as a stream with a hardened XML parser.

    A first scan keeps only what the records need from other items (translation groups,
    categories, featured image files); bodies are read in the later passes.
    """

    suggested_slugs = True

    def __init__(self, path, media_dir=None, language="en"):
        self.path = path
        self.media_dir = media_dir
        self.language = language
        self.scanned = False

    def elements(self):
        """(name, element) for the channel's header entries and its items, as they end."""
        try:
            for _event, element in iterparse(str(self.path), events=("end",)):
                name = local_name(element.tag)
                if name == "item" or name in HEADER_TAGS or name.startswith("wp:base_"):
                    yield name, element
                    if name == "item" or name in HEADER_TAGS:
                        element.clear()
                elif name == "wp:wxr_version":
                    yield name, element
        except ParseError as error:
            line, column = error.position
            reason = str(error).rsplit(": line", 1)[0]
            raise SourceError(
                f"line {line}, column {column}", f"not well-formed XML: {reason}"
            ) from None
        except DefusedXmlException as error:
            raise SourceError("file", f"refused: {error}") from None

    def records(self, report):
        if not self.scanned:
            self.scan(report)
        yield from self.author_records()
        yield from self.taxonomy_records()
        yield from self.article_records(report)

    # The first scan -------------------------------------------------------------------

    def scan(self, report):
        self.version = None
        self.site = "wordpress"
        self.authors, self.categories, self.tags = [], [], []
        self.term_groups = {}  # term id -> (group name, language)
        self.posts = {}  # post id -> metadata of a post that becomes a translation
        self.attachments = {}  # attachment id -> (file, alt text, caption)
        index = 0
        for name, element in self.elements():
            if name == "wp:wxr_version":
                self.version = (element.text or "").strip()
            elif name == "wp:base_site_url":
                self.site = urlsplit((element.text or "").strip()).netloc or self.site
            elif name == "wp:author":
                self.authors.append(element_fields(element))
            elif name == "wp:category":
                fields = element_fields(element)
                self.categories.append(
                    Term(
                        fields.get("wp:term_id", ""),
                        unquote(fields.get("wp:category_nicename", "")),
                        unquote(fields.get("wp:category_parent", "")),
                        fields.get("wp:cat_name", ""),
                        fields.get("wp:category_description", ""),
                    )
                )
            elif name == "wp:tag":
                fields = element_fields(element)
                self.tags.append(
                    Term(
                        fields.get("wp:term_id", ""),
                        unquote(fields.get("wp:tag_slug", "")),
                        "",
                        fields.get("wp:tag_name", ""),
                        fields.get("wp:tag_description", ""),
                    )
                )
            elif name == "wp:term":
                self.scan_term(element_fields(element))
            elif name == "item":
                index += 1
                self.scan_item(index, parse_item(element), report)
        if self.version not in SUPPORTED_VERSIONS:
            raise SourceError(
                "wp:wxr_version",
                f"not a WordPress export of a supported version (found {self.version!r}, "
                f"expected one of {', '.join(sorted(SUPPORTED_VERSIONS))})",
            )
        self.plan_groups()
        self.scanned = True

    def scan_term(self, term):
        if term.get("wp:term_taxonomy") != "term_translations":
            return
        group = term.get("wp:term_slug", "")
        for language, term_id in SERIALIZED_PAIR.findall(term.get("wp:term_description", "")):
            self.term_groups[term_id] = (group, language_code(language))

    def scan_item(self, index, item, report):
        post_id = item.get("wp:post_id", "")
        location = f"item {index} (post {post_id})"
        post_type, status = item.get("wp:post_type", "post"), item.get("wp:status", "")
        if post_type == "attachment":
            self.attachments[post_id] = (
                item["meta"].get("_wp_attached_file", ""),
                item["meta"].get("_wp_attachment_image_alt", ""),
                item.get("excerpt:encoded", ""),
            )
            return
        if post_type != "post" or status not in STATUSES:
            report.count("skipped", f"{post_type} ({status or 'no status'})")
            return
        language = self.post_language(item)
        if language not in language_codes():
            report.warn(location, f"language {language!r} is not one of this site's: skipped")
            report.count("skipped", f"post in {language or 'no language'}")
            return
        if status == "private":
            report.warn(location, "private post imported as a draft")
        translations = [
            value for domain, value, _ in item["categories"] if domain == "post_translations"
        ]
        if translations:
            group = f"{self.site}/pll/{translations[0]}"
        elif item["meta"].get("_wpml_import_translation_group"):
            group = f"{self.site}/wpml/{item['meta']['_wpml_import_translation_group']}"
        else:
            group = f"{self.site}/post/{post_id}"
        self.posts[post_id] = {
            "index": index,
            "location": location,
            "group": group,
            "language": language,
            "status": STATUSES[status][0],
            "ready": STATUSES[status][1],
            "post_date": item.get("wp:post_date", ""),
            "post_date_gmt": item.get("wp:post_date_gmt", ""),
            "creator": item.get("dc:creator", ""),
            "categories": [v for domain, v, _ in item["categories"] if domain == "category"],
            "tags": [v for domain, v, _ in item["categories"] if domain == "post_tag"],
            "thumbnail": item["meta"].get("_thumbnail_id", ""),
            "link": item.get("link", ""),
        }

    def post_language(self, item):
        for domain, value, _text in item["categories"]:
            if domain == "language":
                return language_code(value)
        return language_code(item["meta"].get("_wpml_import_language_code", "")) or self.language

    def plan_groups(self):
        """Each translation group's original post: the earliest among the most published."""
        self.members = defaultdict(list)
        for post_id, post in self.posts.items():
            self.members[post["group"]].append(post_id)
        self.originals = {}
        for group, post_ids in self.members.items():
            best = max(STATUS_RANK[self.posts[p]["status"]] for p in post_ids)
            candidates = [p for p in post_ids if STATUS_RANK[self.posts[p]["status"]] == best]
            self.originals[group] = min(candidates, key=int)

    # Authors, sections and topics -----------------------------------------------------

    def author_records(self):
        for index, author in enumerate(self.authors, start=1):
            login = author.get("wp:author_login", "")
            full_name = " ".join(
                part
                for part in (author.get("wp:author_first_name"), author.get("wp:author_last_name"))
                if part
            )
            name = author.get("wp:author_display_name") or full_name or login
            yield Record(
                "author",
                f"wp:author {index} ({login})",
                {
                    "key": f"{self.site}/author/{login}",
                    "slug": wp_nicename(login)[:140] or "author",
                    "name": {settings.LANGUAGE_CODE: name[:120]},
                    "email": author.get("wp:author_email", ""),
                    "old_urls": {self.language: [f"/author/{wp_nicename(login)}/"]},
                },
            )

    def term_group(self, term, taxonomy):
        """(key, language) of a category or tag: Polylang's translations share one key."""
        group, language = self.term_groups.get(term.term_id, (term.nicename, self.language))
        return f"{self.site}/{taxonomy}/{group}", language or self.language

    def ancestry(self, category, by_nicename):
        """Nicenames from the top-level category down to `category`."""
        chain, parent = [category.nicename], category.parent
        while parent in by_nicename and parent not in chain:
            chain.insert(0, parent)
            parent = by_nicename[parent].parent
        return chain

    def taxonomy_records(self):
        by_nicename = {category.nicename: category for category in self.categories}
        self.category_keys = {}  # nicename -> (kind, key, top-level nicename)
        self.tag_keys = {}  # nicename -> key
        groups = {}  # (kind, key) -> record data
        depth = {c.nicename: len(self.ancestry(c, by_nicename)) for c in self.categories}
        for category in sorted(self.categories, key=lambda c: depth[c.nicename]):
            chain = self.ancestry(category, by_nicename)
            key, language = self.term_group(category, "category")
            kind = "topic" if len(chain) > 1 else "section"
            self.category_keys[category.nicename] = (kind, key, chain[0])
            item = groups.setdefault((kind, key), {"key": key})
            if kind == "topic":
                # Translations may be nested differently: the deepest nesting wins.
                parent_kind, parent_key, _top = self.category_keys.get(chain[-2], ("", None, ""))
                if parent_kind == "topic" or "parent" not in item:
                    item["parent"] = parent_key if parent_kind == "topic" else None
            self.add_term_texts(item, language, category, "/category/" + "/".join(chain) + "/")
        for tag in self.tags:
            key, language = self.term_group(tag, "tag")
            self.tag_keys[tag.nicename] = key
            item = groups.setdefault(("topic", key), {"key": key, "parent": None})
            self.add_term_texts(item, language, tag, f"/tag/{tag.nicename}/")
        for kind in ("section", "topic"):
            for index, ((item_kind, key), item) in enumerate(groups.items(), start=1):
                if item_kind == kind:
                    names = item.setdefault("name", {})
                    if names and settings.LANGUAGE_CODE not in names:
                        names[settings.LANGUAGE_CODE] = next(iter(names.values()))
                    yield Record(kind, f"wp:term {index} ({key})", item)

    def add_term_texts(self, item, language, term, old_path):
        if language not in language_codes():
            return
        item.setdefault("name", {})[language] = term.name[:80]
        slug = slugify_text(term.nicename, 100)
        if slug:
            item.setdefault("slug", {})[language] = slug
        if term.description:
            item.setdefault("description", {})[language] = term.description
        item.setdefault("old_urls", {}).setdefault(language, []).append(old_path)

    # Articles -------------------------------------------------------------------------

    def article_records(self, report):
        """One record per translation group, once its last post has been read: the posts of
        a story are usually close together in an export, so few wait in memory."""
        waiting = {}  # group -> [posts read, {language: texts}, {language: old paths}]
        for name, element in self.elements():
            if name != "item":
                continue
            item = parse_item(element)
            post = self.posts.get(item.get("wp:post_id", ""))
            if post is None:
                continue
            read, translations, old_urls = waiting.setdefault(post["group"], [[], {}, {}])
            if post["language"] in translations:
                report.error(
                    post["location"],
                    f"a second {post['language']!r} post in the translation group of "
                    f"{read[0]['location']}",
                )
            read.append(post)
            translations[post["language"]] = self.translation(item, post, report)
            old_urls[post["language"]] = sorted(
                {local_path(post["link"]), f"/?p={item['wp:post_id']}"} - {"/"}
            )
            if len(read) < len(self.members[post["group"]]):
                continue
            del waiting[post["group"]]
            record = self.article_record(post["group"], translations, old_urls, report)
            if record:
                yield Record("article", ", ".join(p["location"] for p in read), record)

    def article_record(self, group, translations, old_urls, report):
        """The article of a translation group, filed and dated as its original post; None
        if it cannot be filed."""
        original = self.posts[self.originals[group]]
        filing = self.filing(original, report)
        if filing is None:
            return None
        record = {
            "key": group,
            "status": original["status"],
            "original_language": original["language"],
            "authors": [f"{self.site}/author/{original['creator']}"],
            "translations": translations,
            "old_urls": old_urls,
            **filing,
        }
        published_at = wp_time(original["post_date_gmt"], UTC) or (
            wp_time(original["post_date"], timezone.get_default_timezone())
            if original["status"] == "published"
            else None
        )
        if published_at:
            record["published_at"] = published_at
        image = self.lead_image(original, report)
        if image:
            record["lead_image"] = image
        return record

    def translation(self, item, post, report):
        body, notes = convert_body(item.get("content:encoded", ""))
        for note in notes:
            report.warn(post["location"], note)
        texts = {
            "title": strip_tags(item.get("title", "")).strip(),
            "standfirst": strip_tags(item.get("excerpt:encoded", "")).strip(),
            "body": body,
            "ready": post["ready"],
        }
        slug = slugify_text(unquote(item.get("wp:post_name", "")))
        if slug:
            texts["slug"] = slug
        attachment = self.attachments.get(post["thumbnail"])
        if attachment:
            texts["image_alt"] = attachment[1][:250]
            texts["image_caption"] = strip_tags(attachment[2]).strip()[:300]
        return {name: value for name, value in texts.items() if value != ""}

    def filing(self, post, report):
        """Section (the first top-level category) and topics of a post; None if it has
        no category."""
        sections, topics = [], []
        for nicename in post["categories"]:
            if nicename not in self.category_keys:
                report.warn(post["location"], f"unknown category {nicename!r} left out")
                continue
            kind, key, top = self.category_keys[nicename]
            if kind == "section":
                sections.append(key)
            else:
                topics.append(key)
                sections.append(self.category_keys[top][1])
        sections = list(dict.fromkeys(sections))
        if len(sections) > 1:
            report.warn(
                post["location"],
                f"filed under several top-level categories; its section is the first, "
                f"{sections[0]!r}",
            )
        topics += [self.tag_keys[tag] for tag in post["tags"] if tag in self.tag_keys]
        if not sections:
            report.error(post["location"], "the post has no category, so no section")
            return None
        return {"section": sections[0], "topics": list(dict.fromkeys(topics))}

    def lead_image(self, post, report):
        attachment = self.attachments.get(post["thumbnail"])
        if not attachment or not attachment[0]:
            return None
        try:
            clean_image(self.media_dir, attachment[0])
        except ValueError as error:
            report.warn(post["location"], f"featured image left out: {error}")
            return None
        return attachment[0]
