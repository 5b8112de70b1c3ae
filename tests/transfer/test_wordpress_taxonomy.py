"""The admin chooses which categories become sections; the others become topics."""

import pytest

from articles.models import Article, Section, Topic
from tests.transfer.conftest import failed_import, run_import
from tests.transfer.wxr import category, export, post, translation_group

pytestmark = pytest.mark.django_db


def blog():
    """World > Europe, Sport (3 posts), Culture (1 post), Empty (none)."""
    return export(
        post(1, categories=("europe", "sport")),
        post(2, categories=("sport",)),
        post(3, categories=("sport", "culture")),
        post(4, categories=("world",)),
        categories=[
            category("world"),
            category("europe", parent="world"),
            category("sport"),
            category("culture"),
            category("empty"),
        ],
    )


def filing(post_id):
    article = Article.objects.get(slug_en=f"post-{post_id}")
    return article.section.slug_en, sorted(t.slug_en for t in article.topics.all())


def test_by_default_top_level_categories_are_sections(write_wxr):
    run_import(write_wxr(blog()))
    assert sorted(Section.objects.values_list("slug_en", flat=True)) == [
        "culture",
        "empty",
        "sport",
        "world",
    ]


def test_chosen_categories_become_sections_and_the_others_nested_topics(write_wxr):
    run_import(write_wxr(blog()), "--sections", "world,sport")
    assert sorted(Section.objects.values_list("slug_en", flat=True)) == ["sport", "world"]
    assert sorted(Topic.objects.values_list("slug_en", flat=True)) == [
        "culture",
        "empty",
        "europe",
    ]
    assert filing(1) == ("world", ["europe"])  # the first category with a section
    assert filing(3) == ("sport", ["culture"])  # a post in several categories keeps all


def test_the_biggest_categories_become_sections(write_wxr):
    run_import(write_wxr(blog()), "--sections", "1")
    sections = sorted(Section.objects.values_list("slug_en", flat=True))
    assert sections == ["sport", "uncategorized"]  # post 4 is only in a topic now
    assert Topic.objects.get(slug_en="europe").parent == Topic.objects.get(slug_en="world")
    assert filing(4) == ("uncategorized", ["world"])


def test_a_chosen_section_that_is_no_category_is_an_error(write_wxr):
    errors = failed_import(write_wxr(blog()), "--sections", "world,sports")
    assert "--sections: 'sports' is not a category of this file" in errors


def polylang_blog():
    return export(
        post(1, "Story", slug="story", language="en", group="pll_a", categories=("world",)),
        post(
            2,
            "Histoire",
            slug="histoire",
            language="fr",
            group="pll_a",
            categories=("monde",),
            link="https://blog.example.org/fr/2023/05/histoire/",
        ),
        authors=("anna",),
        categories=[category("world", term_id=2), category("monde", term_id=3)],
        header=translation_group(10, "pll_a", {"en": 1, "fr": 2})
        + translation_group(11, "pll_t", {"en": 2, "fr": 3}, taxonomy="term_translations"),
    )


@pytest.mark.parametrize(
    ("old_path", "new_path"),
    [
        ("/fr/category/monde/", "/fr/sections/monde/"),
        ("/category/monde/", "/fr/sections/monde/"),
        ("/fr/author/anna/", "/fr/authors/anna/"),
        ("/author/anna/", "/en/authors/anna/"),
        ("/fr/2023/05/histoire/", "/fr/articles/histoire/"),
    ],
)
def test_polylang_addresses_with_a_language_folder_redirect(write_wxr, client, old_path, new_path):
    run_import(write_wxr(polylang_blog()))
    response = client.get(old_path)
    assert response.status_code == 301
    assert response["Location"] == new_path
