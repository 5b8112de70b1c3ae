"""WordPress export files (WXR 1.0 to 1.2) as import records.

Authors become authors; top-level categories (or the ones chosen with `sections`) become
sections and the others topics; tags become topics. Posts become articles and pages site
pages; the posts (or pages) of one Polylang or WPML translation group become one article
(or page) with a translation per language. Attachments give featured images; their own
pages are not imported but redirect to the post or page they belong to. Comments and menus
are not imported: the report counts them.

Nothing the old site did not show becomes public: password-protected, private, pending and
draft posts, and scheduled posts WordPress never published, arrive as drafts (or as an
unreleased translation). Odd posts (no title, nothing to read, no category, an author the
file does not declare) are imported with a fallback and a warning naming them.
"""

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import language_codes
from newsroom.slugs import slugify_text
from newsroom.transfer.importer import Record, SourceError, clean_image
from newsroom.transfer.wordpress_html import convert_body, has_reading_text, shows_images

WP_NAMESPACES = ("http://wordpress.org/export/", "https://wordpress.org/export/")
ATOM_NAMESPACE = "{http://www.w3.org/2005/Atom}"
PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
HEADER_TAGS = {"wp:author", "wp:category", "wp:tag", "wp:term"}
CHANNEL_DEPTH = 3  # rss > channel > link
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
# WordPress status -> (article status, translation released to readers). Any other status
# (trash, auto-draft, inherit, a plugin's own) is skipped.
STATUSES = {
    "publish": ("published", True),
    "future": ("published", True),
    "pending": ("review", False),
    "draft": ("draft", False),
    "private": ("draft", False),
}
UNTITLED_WORDS = 10
STATUS_RANK = {"published": 2, "review": 1, "draft": 0}
# WordPress post type -> what it becomes here.
KINDS = {"post": "article", "page": "page"}
# What a site page keeps of a post's texts.
PAGE_TEXTS = {"title", "slug", "body", "ready"}
# Polylang stores a translation group as a serialized PHP array {language: term or post id}.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
RESIZED = re.compile(r"-\d+x\d+(\.\w+)$")
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
    if namespace.startswith(WP_NAMESPACES):
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
    item["comments"] = sum(1 for child in element if local_name(child.tag) == "wp:comment")
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


def what_the_file_is(path):
    """What a file that could not be read as XML holds, judged by its first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "the file is empty"
    if head[:1] in (b"{", b"["):
        return "JSON, not a WordPress export"
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page, not a WordPress export (save the export file, not the page)"
    if not head.startswith(b"<"):
        return "not XML (a WordPress export starts with '<?xml')"
    return None


def not_an_export(root, has_wp_elements):
    """Why an XML document whose root element is `root` is no WordPress export, or None."""
    if root.startswith(ATOM_NAMESPACE) and root.endswith("feed"):
        return "an Atom feed, not a WordPress export"
    name = local_name(root).split(":")[-1]
    if name.lower() == "html":
        return "an HTML page, not a WordPress export (save the export file, not the page)"
    if name != "rss":
        return f"XML whose root element is <{name}>, not a WordPress export"
    if not has_wp_elements:
        return "an RSS feed without WordPress's export elements, not a WordPress export"
    return None


def site_key(url):
    """ "https://news.example.org/blog/" -> "news.example.org/blog": one blog of a
    multisite, which shares its network's base_site_url with the others."""
    parts = urlsplit(url.strip())
    return (parts.netloc + parts.path.rstrip("/")).lower()


def uploads_path(url):
    """The path below the uploads folder of an attachment's URL, or "": self-hosted
    `.../wp-content/uploads/2022/01/a.jpg`, or WordPress.com's
    `blog.files.wordpress.com/2022/01/a.jpg`."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path)
    if "/wp-content/uploads/" in path:
        return path.split("/wp-content/uploads/", 1)[1]
    if parts.netloc.endswith(".files.wordpress.com"):
        return path.lstrip("/")
    return ""


class FoundImage(NamedTuple):
    path: str | None  # below the media folder; None when not found there
    error: str = ""
    alt: str = ""
    caption: str = ""
    title: str = ""


class PostImages:
    """The images a post's body shows, found in the media folder as featured images are:
    the attachment's `_wp_attached_file`, or the address's path below the uploads folder."""

    def __init__(self, source, post_id):
        self.source = source
        self.post_id = post_id
        self.attached = source.attached_images.get(post_id, [])

    @staticmethod
    def is_upload(url):
        return bool(uploads_path(url))

    def find(self, attachment_id, url=""):
        file, alt, caption, title = self.source.attachments.get(attachment_id, ("", "", "", ""))
        candidates = [file] if file else []
        if uploads_path(url):
            # A resized copy's address (a-300x200.jpg) names its original too.
            candidates += [uploads_path(url), RESIZED.sub(r"\1", uploads_path(url))]
        if not candidates and not url:
            return FoundImage(None, f"attachment {attachment_id} is not in the file")
        if not candidates:
            return FoundImage(None, f"{url!r} is not an upload")
        error = ""
        for candidate in dict.fromkeys(candidates):
            try:
                clean_image(self.source.media_dir, candidate)
            except ValueError as problem:
                error = error or str(problem)
                continue
            return FoundImage(candidate, alt=alt, caption=caption, title=title)
        return FoundImage(None, error)


def untitled_title(text, date):
    """A title for an untitled post: its first words, or its date."""
    words = text.split()
    if words:
        return " ".join(words[:UNTITLED_WORDS]) + ("…" if len(words) > UNTITLED_WORDS else "")
    return f"Untitled post of {date[:10]}" if date[:4] not in ("", "0000") else "Untitled post"


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

    def __init__(
        self, path, media_dir=None, language="en", default_section="Uncategorized", sections=None
    ):
        self.path = path
        self.media_dir = media_dir
        self.language = language
        self.default_section = default_section
        # None: top-level categories; an int: the N biggest; a list: these nicenames.
        self.chosen_sections = sections
        self.scanned = False
        # (content, footnotes[, post id when it shows images]) -> (body, notes), or the
        # sanitizer's refusal
        self.bodies = {}

    def converted_body(self, item, images=False):
        """The post's body as stored here, with its conversion notes; with `images`, its
        images as figures naming their files (known once the scan has read the
        attachments). Converted once, though the scan, the check and the write all read it
        (a fifth of an import's time): a body that shows no image converts the same with
        and without its images looked for."""
        source = (item["content:encoded"], item["meta"].get("footnotes", ""))
        finder = None
        if images and shows_images(source[0]):
            finder = PostImages(self, item.get("wp:post_id", ""))
            source = (*source, finder.post_id)
        if source not in self.bodies:
            try:
                self.bodies[source] = convert_body(source[0], source[1], finder)
            except ValidationError as error:
                self.bodies[source] = error
        converted = self.bodies[source]
        if isinstance(converted, ValidationError):
            raise converted
        return converted

    def elements(self):
        """(name, element) for the channel's header entries and its items, as they end;
        the channel's own link is named "channel:link"."""
        depth, root, has_wp_elements = 0, None, False
        try:
            for event, element in iterparse(str(self.path), events=("start", "end")):
                if event == "start":
                    depth += 1
                    if root is None:
                        root = element.tag
                        reason = not_an_export(root, has_wp_elements=True)
                        if reason:
                            raise SourceError("file", reason)
                    continue
                depth -= 1
                name = local_name(element.tag)
                if name == "item" or name in HEADER_TAGS:
                    has_wp_elements = has_wp_elements or name != "item"
                    yield name, element
                    element.clear()
                elif name.startswith("wp:"):
                    has_wp_elements = True
                    if name.startswith("wp:base_") or name == "wp:wxr_version":
                        yield name, element
                elif name == "link" and depth == CHANNEL_DEPTH - 1:
                    yield "channel:link", element
            reason = not_an_export(root or "", has_wp_elements)
            if reason:
                raise SourceError("file", reason)
        except ParseError as error:
            reason = what_the_file_is(self.path)
            if reason:
                raise SourceError("file", reason) from None
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
        self.site = None
        base_urls = {}
        self.authors, self.categories, self.tags = [], [], []
        self.undeclared_authors = {}  # login -> location of its first post
        self.term_groups = {}  # term id -> (group name, language)
        self.posts = {}  # post id -> metadata of a post that becomes a translation
        self.attachments = {}  # attachment id -> (file, alt text, caption, title)
        self.attached_images = defaultdict(list)  # post id -> its attached images' ids
        self.attachment_pages = defaultdict(list)  # post id -> old paths of its attachments
        self.category_posts = Counter()  # nicename -> number of posts filed under it
        self.language_folders = set()  # languages whose addresses start with /<code>/
        index = 0
        for name, element in self.elements():
            text = (element.text or "").strip()
            if name == "wp:wxr_version":
                self.version = text
            elif name == "channel:link":
                self.site = self.site or site_key(text)
            elif name.startswith("wp:base_"):
                base_urls[name] = text
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
        self.site = (
            self.site
            or site_key(base_urls.get("wp:base_blog_url") or base_urls.get("wp:base_site_url", ""))
            or "wordpress"
        )
        self.plan_groups()
        self.plan_taxonomy(report)
        self.plan_filing(report)
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
        for _comment in range(item["comments"]):
            report.count("skipped", "comment")
        if post_type == "attachment":
            self.attachments[post_id] = (
                item["meta"].get("_wp_attached_file", "")
                or uploads_path(item.get("wp:attachment_url", "")),
                item["meta"].get("_wp_attachment_image_alt", ""),
                item.get("excerpt:encoded", ""),
                strip_tags(item.get("title", "")).strip(),
            )
            parent = item.get("wp:post_parent", "0")
            if parent != "0" and self.attachments[post_id][0].lower().endswith(IMAGE_SUFFIXES):
                self.attached_images[parent].append(post_id)
            if parent != "0":
                report.count("skipped", "attachment page (redirected to its post or page)")
                self.attachment_pages[parent] += [
                    local_path(item.get("link", "")),
                    f"/?attachment_id={post_id}",
                ]
            return
        if post_type not in KINDS or status not in STATUSES:
            report.count("skipped", f"{post_type} ({status or 'no status'})")
            return
        language = self.post_language(item)
        if language not in language_codes():
            report.warn(location, f"language {language!r} is not one of this site's: skipped")
            report.count("skipped", f"post in {language or 'no language'}")
            return
        article_status, ready = STATUSES[status]
        hidden = self.hidden_reason(item, status)
        if hidden:
            report.warn(location, f"{hidden}: imported as a draft")
        try:
            body, _notes = self.converted_body(item)
        except ValidationError:
            body = ""  # refused by the sanitizer: reported with the post's translation
        title = strip_tags(item.get("title", "")).strip()
        fallback_title = None
        if not title:
            body_text = strip_tags(body).strip()
            fallback_title = untitled_title(body_text, item.get("wp:post_date", ""))
            origin = "its body" if body_text else "its date"
            report.warn(location, f"untitled: titled from {origin}, kept as a draft")
            hidden = hidden or "untitled"
        if not has_reading_text(body):
            report.warn(location, "no text once converted: kept as a draft")
            hidden = hidden or "nothing to read"
        if hidden:
            article_status, ready = "draft", False
            report.note("kept as drafts", hidden)
        creator = item.get("dc:creator", "")
        declared = {author.get("wp:author_login", "") for author in self.authors}
        bylined = KINDS[post_type] == "article"
        if (
            bylined
            and creator
            and creator not in declared
            and creator not in self.undeclared_authors
        ):
            report.warn(
                location, f"author {creator!r} is not declared in the file: made from the login"
            )
            self.undeclared_authors[creator] = location
        translations = [
            value for domain, value, _ in item["categories"] if domain == "post_translations"
        ]
        if translations:
            group = f"pll/{translations[0]}"
        elif item["meta"].get("_wpml_import_translation_group"):
            group = f"wpml/{item['meta']['_wpml_import_translation_group']}"
        else:
            group = f"post/{post_id}"
        categories = [v for domain, v, _ in item["categories"] if domain == "category"]
        self.category_posts.update(categories)
        link_path = local_path(item.get("link", ""))
        first_folder = link_path.strip("/").split("/", 1)[0]
        if first_folder in language_codes():
            self.language_folders.add(first_folder)
        self.posts[post_id] = {
            "kind": KINDS[post_type],
            "index": index,
            "location": location,
            "group": group,
            "language": language,
            "status": article_status,
            "ready": ready,
            "title": fallback_title,
            "post_date": item.get("wp:post_date", ""),
            "post_date_gmt": item.get("wp:post_date_gmt", ""),
            "modified_gmt": item.get("wp:post_modified_gmt", ""),
            "creator": creator,
            "categories": categories,
            "tags": [v for domain, v, _ in item["categories"] if domain == "post_tag"],
            "thumbnail": item["meta"].get("_thumbnail_id", ""),
            "link": item.get("link", ""),
        }

    @staticmethod
    def hidden_reason(item, status):
        """Why the old site never showed this post to a reader, or None."""
        if item.get("wp:post_password"):
            return "password-protected"
        if status == "private":
            return "private"
        if status == "future":
            moment = wp_time(item.get("wp:post_date_gmt", ""), UTC) or wp_time(
                item.get("wp:post_date", ""), timezone.get_default_timezone()
            )
            try:
                missed = moment is None or datetime.fromisoformat(moment) <= timezone.now()
            except ValueError:
                missed = False  # the check reports the date
            if missed:
                return "scheduled for a time already past (WordPress never published it)"
        return None

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

    def plan_taxonomy(self, report):
        """Which categories become sections (the chosen ones, or the top-level ones) and
        which become topics, and the section of each."""
        by_nicename = {category.nicename: category for category in self.categories}
        self.chains = {
            nicename: self.ancestry(c, by_nicename) for nicename, c in by_nicename.items()
        }
        self.category_groups = {
            nicename: self.term_group(c, "category") for nicename, c in by_nicename.items()
        }
        keys = {nicename: group[0] for nicename, group in self.category_groups.items()}
        chosen = self.chosen_sections
        if chosen is None:
            section_keys = {keys[n] for n, chain in self.chains.items() if len(chain) == 1}
        elif isinstance(chosen, int):
            sizes = Counter()
            for nicename, number in self.category_posts.items():
                if nicename in keys:
                    sizes[keys[nicename]] += number
            section_keys = {key for key, _number in sizes.most_common(chosen)}
        else:
            section_keys = set()
            for name in chosen:
                found = [
                    n for n, c in by_nicename.items() if name in (n, c.name, slugify_text(c.name))
                ]
                if not found:
                    report.error("--sections", f"{name!r} is not a category of this file")
                section_keys |= {keys[n] for n in found}
        self.category_keys = {}  # nicename -> (kind, key, key of its section or None)
        for nicename, chain in self.chains.items():
            kind = "section" if keys[nicename] in section_keys else "topic"
            section = next((keys[a] for a in reversed(chain) if keys[a] in section_keys), None)
            self.category_keys[nicename] = (kind, keys[nicename], section)
        default = self.default_section
        matching = [
            key
            for n, c in by_nicename.items()
            if (key := keys[n]) in section_keys
            and default in (n, c.name, slugify_text(c.name), slugify_text(n))
        ]
        self.default_section_key = (
            matching[0]
            if matching
            else f"{self.site}/section/{slugify_text(default) or 'default'}"
        )
        self.default_section_needed = False
        self.tag_keys = {tag.nicename: self.term_group(tag, "tag")[0] for tag in self.tags}

    def plan_filing(self, report):
        self.filings = {
            group: self.filing(self.posts[original], report)
            for group, original in self.originals.items()
            if self.posts[original]["kind"] == "article"
        }

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
                self.author_data(login, name, email=author.get("wp:author_email", "")),
            )
        for login, location in self.undeclared_authors.items():
            yield Record("author", f"{location}, dc:creator", self.author_data(login, login))

    def author_data(self, login, name, **links):
        nicename = wp_nicename(login)
        return {
            "key": f"{self.site}/author/{login}",
            "slug": nicename[:140] or "author",
            "name": {settings.LANGUAGE_CODE: name[:120]},
            **links,
            "old_urls": self.in_folders(self.language, f"/author/{nicename}/", everywhere=True),
        }

    def in_folders(self, language, path, everywhere=False):
        """{language: old paths}: `path`, and with the language folder Polylang puts in
        front of addresses (`/fr/category/monde/`), for `language` or for `everywhere`."""
        paths = {language: [path]}
        for code in sorted(self.language_folders):
            if everywhere or code == language:
                paths.setdefault(code, []).append(f"/{code}{path}")
        return paths

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
        groups = {}  # (kind, key) -> record data
        by_depth = sorted(self.categories, key=lambda c: len(self.chains[c.nicename]))
        for category in by_depth:
            chain = self.chains[category.nicename]
            kind, key, _section = self.category_keys[category.nicename]
            language = self.category_groups[category.nicename][1]
            item = groups.setdefault((kind, key), {"key": key})
            if kind == "topic":
                # Nested under its parent if that is a topic too; translations may be
                # nested differently: the deepest nesting wins.
                parent = self.category_keys.get(chain[-2]) if len(chain) > 1 else None
                parent_key = parent[1] if parent and parent[0] == "topic" else None
                if parent_key or "parent" not in item:
                    item["parent"] = parent_key
            self.add_term_texts(item, language, category, "/category/" + "/".join(chain) + "/")
        if self.default_section_needed and ("section", self.default_section_key) not in groups:
            groups[("section", self.default_section_key)] = {
                "key": self.default_section_key,
                "name": {settings.LANGUAGE_CODE: self.default_section[:80]},
                "slug": {settings.LANGUAGE_CODE: slugify_text(self.default_section, 100)}
                if slugify_text(self.default_section, 100)
                else {},
            }
        for tag in self.tags:
            key, language = self.term_group(tag, "tag")
            item = groups.setdefault(("topic", key), {"key": key, "parent": None})
            self.add_term_texts(item, language, tag, f"/tag/{tag.nicename}/")
        for kind in ("section", "topic"):
            for index, ((item_kind, key), item) in enumerate(groups.items(), start=1):
                if item_kind == kind:
                    names = item.setdefault("name", {})
                    if names and settings.LANGUAGE_CODE not in names:
                        names[settings.LANGUAGE_CODE] = next(iter(names.values()))
                    if not item.get("slug"):
                        item.pop("slug", None)
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
        for code, paths in self.in_folders(language, old_path).items():
            item.setdefault("old_urls", {}).setdefault(code, []).extend(paths)

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
            post_id = item["wp:post_id"]
            plain = f"/?page_id={post_id}" if post["kind"] == "page" else f"/?p={post_id}"
            old_urls[post["language"]] = sorted(
                {local_path(post["link"]), plain, *self.attachment_pages[post_id]} - {"/"}
            )
            if len(read) < len(self.members[post["group"]]):
                continue
            del waiting[post["group"]]
            record = self.article_record(post["group"], read, translations, old_urls, report)
            kind = self.posts[self.originals[post["group"]]]["kind"]
            yield Record(kind, ", ".join(p["location"] for p in read), record)

    def article_record(self, group, posts, translations, old_urls, report):
        """The article (or site page) of a translation group, filed and dated as its
        original post."""
        original = self.posts[self.originals[group]]
        record = {
            "key": f"{self.site}/{group}",
            "status": original["status"],
            "original_language": original["language"],
            "translations": translations,
            "old_urls": old_urls,
        }
        if original["kind"] == "page":
            record["translations"] = {
                language: {name: value for name, value in texts.items() if name in PAGE_TEXTS}
                for language, texts in translations.items()
            }
        else:
            record["authors"] = (
                [f"{self.site}/author/{original['creator']}"] if original["creator"] else []
            )
            record.update(self.filings[group])
        published_at = wp_time(original["post_date_gmt"], UTC) or (
            wp_time(original["post_date"], timezone.get_default_timezone())
            if original["status"] == "published"
            else None
        )
        if published_at:
            record["published_at"] = published_at
        modified = [wp_time(post["modified_gmt"], UTC) for post in posts]
        modified = [moment for moment in modified if moment]
        if modified:
            record["modified_at"] = max(modified)
        image = self.lead_image(original, report) if original["kind"] == "article" else None
        if image:
            record["lead_image"] = image
        return record

    def translation(self, item, post, report):
        try:
            body, notes = self.converted_body(item, images=True)
        except ValidationError as error:
            report.error(post["location"], "body refused: " + " ".join(error.messages))
            body, notes = "", []
        for note in notes:
            report.warn(post["location"], note)
        texts = {
            "title": post["title"] or strip_tags(item.get("title", "")).strip(),
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
        """Section and topics of a post: the section of its first category that has one,
        or the default section."""
        sections, topics = [], []
        for nicename in post["categories"]:
            if nicename not in self.category_keys:
                report.warn(post["location"], f"unknown category {nicename!r} left out")
                continue
            kind, key, section = self.category_keys[nicename]
            if kind == "topic":
                topics.append(key)
            if section:
                sections.append(section)
        sections = list(dict.fromkeys(sections))
        if len(sections) > 1:
            report.warn(
                post["location"],
                f"filed under several sections' categories; its section is the first, "
                f"{sections[0]!r}",
            )
        if not sections:
            reason = "no category" if not post["categories"] else "no section among its categories"
            report.warn(post["location"], f"{reason}: filed under {self.default_section!r}")
            self.default_section_needed = True
            sections = [self.default_section_key]
        topics += [self.tag_keys[tag] for tag in post["tags"] if tag in self.tag_keys]
        return {"section": sections[0], "topics": list(dict.fromkeys(topics))}

    def lead_image(self, post, report):
        attachment = self.attachments.get(post["thumbnail"])
        if not attachment:
            return None
        if not attachment[0]:
            report.warn(post["location"], "featured image left out: its address is not an upload")
            return None
        try:
            clean_image(self.media_dir, attachment[0])
        except ValueError as error:
            report.warn(post["location"], f"featured image left out: {error}")
            return None
        return attachment[0]
