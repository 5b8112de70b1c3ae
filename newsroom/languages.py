"""The EN | FR | RU switcher: where each language version of the current page lives."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst

# The language the code's and templates' strings are written in: it needs no catalogue.
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str | None
    is_current: bool

    @property
    def label(self):
        return self.code.upper()


def language_links(url_for):
    """One link per configured language; `url_for(code)` gives its URL or None if absent.

    `url_for` runs with `code` active, so `reverse()` in it gives that language's prefix.
    """
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        with translation.override(code):
            url = url_for(code)
        links.append(LanguageLink(code, info["name_local"], url, code == current))
    return links


def open_graph_locale(code):
    """A language as OpenGraph names it (`en_GB`): from `NEWSROOM_LOCALES`, else the
    language's own country (`de` → `de_DE`)."""
    return settings.NEWSROOM_LOCALES.get(code) or f"{code}_{code.upper()}"


def site_languages():
    """The languages the site publishes in, each in its own name ("English, Français,
    Русский"), for the footer and the feeds' description."""
    return ", ".join(
        capfirst(translation.get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    )


def home_links():
    """Each language's front page: where an error page's switcher leads."""
    return language_links(lambda code: reverse("articles:home"))


def same_path_links(request, keep_query=()):
    """Default for pages whose address differs only by the language prefix.

    The path is resolved once, in the page's own language (a prefix resolves only in its
    language), then reversed in each language. Query parameters are dropped but those in
    `keep_query`: a page number or a filter may not exist in another language.
    An address that resolves to no page gets the front pages.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return home_links()
    kept = [(name, value) for name, value in request.GET.items() if name in keep_query]
    query = f"?{urlencode(kept)}" if kept else ""
    return language_links(
        lambda code: reverse(match.view_name, args=match.args, kwargs=match.kwargs) + query
    )


def default_language_of(available, preferred=None):
    """The `x-default` language among `available` codes: the site's default language,
    else `preferred` (an article's original language), else the first available."""
    for code in (settings.LANGUAGE_CODE, preferred):
        if code in available:
            return code
    return next(iter(available), None)


def translated_locales():
    """The locale folders the site's catalogues need: every language but the one the
    source strings are written in."""
    return [
        translation.to_locale(code)
        for code, _name in settings.LANGUAGES
        if code != SOURCE_LANGUAGE
    ]


if __name__ == "__main__":
    # `make messages`: one `--locale` option per translated language, read from settings.
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    if sys.argv[1:] == ["--makemessages-locales"]:
        print(" ".join(f"--locale {locale}" for locale in translated_locales()))
