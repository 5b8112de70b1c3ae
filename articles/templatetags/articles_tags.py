import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.search import highlighted_excerpt
from newsroom.languages import default_language_of

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


@register.filter
def highlighted(excerpt):
    """A search excerpt as safe HTML with the matched words in `<mark>`."""
    return highlighted_excerpt(excerpt or "")


@register.simple_tag
def byline(article):
    """The authors and the date under a title: "By A, B and C" and the publication day.

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
    published_at = article.published_at
    if published_at is None:
        machine_date = shown_date = ""
    else:
        published_at = timezone.localtime(published_at)
        machine_date = dateformat.format(published_at, r"Y-m-d\TH:i:sO")
        shown_date = formats.date_format(published_at, "DATE_FORMAT")
    time_element = format_html('<time datetime="{}">{}</time>', machine_date, shown_date)
    return format_html('<p class="byline">{}\n  {}</p>', names, time_element)
