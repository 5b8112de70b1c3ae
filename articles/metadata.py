"""What search engines and social networks read in a page's <head>.

Views build one `PageMetadata`; `templates/includes/metadata.html` renders it: the meta
description, canonical URL, OpenGraph and Twitter tags, and JSON-LD (schema.org).
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from articles.figures import figure_pictures
from articles.notes import without_notes
from newsroom.languages import open_graph_locale

# What search engines show of a description, and what we derive from a body.
DESCRIPTION_LENGTH = 160
BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
SPACES = re.compile(r"\s+")


@dataclass
class PageMetadata:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    original_language: str | None = None
    open_graph: list[tuple[str, str]] = field(default_factory=list)
    json_ld: dict = field(default_factory=dict)

    @property
    def locale(self):
        return open_graph_locale(translation.get_language())


def summary(html, limit=DESCRIPTION_LENGTH):
    """The first sentences of an HTML text as plain text, within `limit` characters; a
    first sentence longer than that is cut at a word and ends with "…"."""
    text = SPACES.sub(" ", unescape(strip_tags(BLOCK_END.sub(r"\g<0> ", html or "")))).strip()
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        longer = f"{kept} {sentence}".strip()
        if len(longer) > limit:
            break
        kept = longer
    if kept:
        return kept
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:—–- ") + "…"


def article_description(article):
    """The SEO description, else the standfirst, else the body's first sentences."""
    return article.seo_description or article.standfirst or summary(without_notes(article.body))


def image_fields(request, picture):
    """`PageMetadata` image fields for a `newsroom.images.renditions.Picture` (or None)."""
    if not picture:
        return {}
    return {
        "image": request.build_absolute_uri(picture.src),
        "image_width": picture.width,
        "image_height": picture.height,
    }


def publisher(request):
    return {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:home")),
    }


def crop(image, group):
    """A library image's crop (`newsroom.images.models.Image`), or None without an image."""
    return image.crops.get(group) if image else None


def person(request, author):
    data = {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }
    if author.role:
        data["jobTitle"] = author.role
    if author.short_bio:
        data["description"] = author.short_bio
    photo = crop(author.photo, "square")
    if photo:
        data["image"] = request.build_absolute_uri(photo.src)
    same_as = [url for _label, url in author.public_links]
    if same_as:
        data["sameAs"] = same_as
    return data


def canonical_url(request, path):
    """`path` as an absolute URL, keeping `?page=N` so each list page is its own canonical."""
    page = request.GET.get("page")
    url = request.build_absolute_uri(path)
    return f"{url}?page={page}" if page and page != "1" else url


def article_metadata(request, article):
    code = translation.get_language()
    canonical = canonical_url(request, article.get_absolute_url())
    description = article_description(article)
    # Social networks get the 1200 x 630 crop; search engines the whole picture.
    social = image_fields(request, crop(article.lead_image, "social"))
    lead = [article.lead_image.picture] if article.lead_image else []
    # The lead image, then the body's figures (their images: read once for the page).
    pictures = [*lead, *figure_pictures(article.body, article.body_images(code))]
    published = article.public_since(code)
    modified = article.modified_at(code)
    topics = [topic.name for topic in article.shown_topics]
    open_graph = [
        ("article:published_time", published.isoformat()),
        ("article:modified_time", modified.isoformat()),
        ("article:section", article.section.name),
        *(("article:tag", name) for name in topics),
    ]
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": code,
        "articleSection": article.section.name,
        "author": [person(request, author) for author in article.byline],
        "publisher": publisher(request),
    }
    if topics:
        json_ld["keywords"] = topics
    images = [request.build_absolute_uri(picture.src) for picture in pictures if picture]
    if images:
        json_ld["image"] = list(dict.fromkeys(images))
    return PageMetadata(
        title=article.seo_title or article.title,
        description=description,
        canonical=canonical,
        og_type="article",
        image_alt=article.image_alt,
        original_language=article.original_language,
        open_graph=open_graph,
        json_ld=json_ld,
        **social,
    )


def author_metadata(request, author):
    canonical = canonical_url(request, author.get_absolute_url())
    return PageMetadata(
        title=author.name,
        description=author.short_bio,
        canonical=canonical,
        og_type="profile",
        **image_fields(request, crop(author.photo, "square")),
        json_ld={
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": canonical,
            "inLanguage": translation.get_language(),
            "mainEntity": person(request, author),
        },
    )


def listing_metadata(request, title, description, path):
    """A home, section, topic, archive or search page: a schema.org `CollectionPage`."""
    canonical = canonical_url(request, path)
    return PageMetadata(
        title=title,
        description=description,
        canonical=canonical,
        json_ld={
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": title,
            "description": description,
            "url": canonical,
            "inLanguage": translation.get_language(),
            "isPartOf": {
                "@type": "WebSite",
                "name": settings.NEWSROOM_SITE_NAME,
                "url": request.build_absolute_uri(reverse("articles:home")),
            },
        },
    )


def site_page_metadata(request, page):
    """A site page (About, Contact...): a schema.org `WebPage` of the site."""
    code = translation.get_language()
    canonical = canonical_url(request, page.get_absolute_url())
    description = summary(page.body)
    return PageMetadata(
        title=page.title,
        description=description,
        canonical=canonical,
        original_language=page.original_language,
        json_ld={
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": page.title,
            "description": description,
            "url": canonical,
            "inLanguage": code,
            "dateModified": page.modified_at(code).isoformat(),
            "publisher": publisher(request),
        },
    )
