import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
