"""The EN | FR | RU switcher: where each language version of the current page lives."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


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
    """One link per configured language; `url_for(code)` gives its URL or None if absent."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        with translation.override(code):
            url = url_for(code)
        links.append(LanguageLink(code, info["name_local"], url, code == current))
    return links


def same_path_links(request):
    """Default for pages whose address differs only by the language prefix."""
    return language_links(lambda code: translate_url(request.get_full_path(), code))


def default_language_of(available, preferred=None):
    """The `x-default` language among `available` codes: the site's default language,
    else `preferred` (an article's original language), else the first available."""
    for code in (settings.LANGUAGE_CODE, preferred):
        if code in available:
            return code
    return next(iter(available), None)
