import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.search import highlighted_excerpt
from newsroom.languages import default_language_of, open_graph_locale

register = template.Library()

# The escapes of Django's `json_script`: nothing in the data can close the <script> element.
SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


@register.filter
def json_ld(data):
    """`data` as a `<script type="application/ld+json">` element, escaped like `json_script`."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def x_default_url(language_links, preferred_language=None):
    """The URL for `hreflang="x-default"` among the language versions that exist."""
    urls = {link.code: link.url for link in language_links if link.url}
    default = default_language_of(urls, preferred_language)
    return urls.get(default)


register.filter("open_graph_locale", open_graph_locale)


@register.filter
def highlighted(excerpt):
    """A search excerpt as safe HTML with the matched words in `<mark>`."""
    return highlighted_excerpt(excerpt or "")


def moment(value):
    """A `<time>` element: the day and time of day in the newsroom's time zone, written
    the reader's way ("6 December 2026, 14:05 CET")."""
    value = timezone.localtime(value)
    shown = gettext("%(date)s, %(time)s %(zone)s") % {
        "date": formats.date_format(value, "DATE_FORMAT"),
        "time": dateformat.format(value, "H:i"),
        "zone": dateformat.format(value, "T"),
    }
    return format_html(
        '<time datetime="{}">{}</time>', dateformat.format(value, r"Y-m-d\TH:i:sO"), shown
    )


@register.simple_tag(takes_context=True)
def teaser(context, pk, kind):
    """The teaser of the article `pk` of this `kind` (`articles.teasers.kind()`), kept
    rendered across requests: the page's `teasers` loaded it."""
    return context["teasers"].html(pk, kind)


@register.simple_tag
def byline(article, show_update=False):
    """The authors and the time under a title: "By A, B and C", the publication time and,
    with `show_update`, the time of a later correction or edit of this language version.

    Written in Python: as a template included once per teaser, it cost a listing page
    more than all of its queries.
    """
    authors = article.byline
    names = ""
    if authors:
        links = [format_html('<a href="{}">{}</a>', a.get_absolute_url(), a.name) for a in authors]
        if len(links) > 1:
            links[-2:] = [format_html("{} {} {}", links[-2], gettext("and"), links[-1])]
        names = format_html(
            '<span class="byline__authors">{} {}</span>',
            gettext("By"),
            format_html_join(", ", "{}", ((link,) for link in links)),
        )
    published_at = article.public_since() if article.published_at else None
    published = moment(published_at) if published_at else ""
    updated = ""
    updated_at = show_update and published_at and article.updated_after_release()
    if updated_at:
        updated = format_html(
            ' <span class="byline__updated">{}</span>',
            format_html(gettext("Updated {time}"), time=moment(updated_at)),
        )
    return format_html('<p class="byline">{}\n  {}{}</p>', names, published, updated)
