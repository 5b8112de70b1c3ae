"""Slug addresses built around the slug are the addresses Django's `reverse()` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from newsroom.addresses import slug_address

ROUTES = [
    "articles:detail",
    "articles:section",
    "articles:section-rss",
    "articles:topic",
    "articles:topic-atom",
    "authors:detail",
    "authors:rss",
]
SLUGS = ["zerno-i-chernoe-more", "a", "2026", "under_score", "UPPER-case", "x" * 200]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_a_slug_address_is_the_reversed_address(route, language):
    for slug in SLUGS:
        with translation.override(language):
            assert slug_address(route, slug) == reverse(route, kwargs={"slug": slug})
        with translation.override("en"):
            expected = slug_address(route, slug, language)
        with translation.override(language):
            assert expected == reverse(route, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", None, 7, "with space", "slash/inside", "ключ", "a?b", "%41"])
def test_any_other_slug_gets_what_reverse_gives(slug):
    """The address, or the NoReverseMatch."""
    try:
        expected = reverse("articles:detail", kwargs={"slug": slug})
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            slug_address("articles:detail", slug)
    else:
        assert slug_address("articles:detail", slug) == expected


def test_the_script_prefix_is_followed():
    before = slug_address("articles:detail", "story")
    set_script_prefix("/mounted/")
    try:
        assert slug_address("articles:detail", "story") == "/mounted" + before
    finally:
        set_script_prefix("/")
    assert slug_address("articles:detail", "story") == before
