"""Real archives hold odd posts: each is imported with a fallback and a warning naming it."""

import pytest

from articles.models import Article, Section
from authors.models import Author
from tests.transfer.conftest import failed_import, run_import
from tests.transfer.wxr import category, export, post

pytestmark = pytest.mark.django_db

ONLY_A_PHOTO = (
    '<!-- wp:image {"id":9} -->\n<figure class="wp-block-image"><img src="https://blog.'
    'example.org/wp-content/uploads/2023/05/x.jpg" alt=""/></figure>\n<!-- /wp:image -->'
)


def odd_posts():
    return export(
        post(1, "", "<p>Ministers met on Tuesday to agree a budget for the ports.</p>"),
        post(2, "", "", date="2021-07-14 08:00:00"),
        post(3, "No content", ""),
        post(4, "Only a photo", ONLY_A_PHOTO),
        post(5, "Only a heading", "<!-- wp:heading -->\n<h2>Soon</h2>\n<!-- /wp:heading -->"),
        post(6, "No category", categories=()),
        post(7, "Unknown author", creator="ghost.writer"),
        post(8, "An ordinary post"),
    )


@pytest.fixture
def imported(write_wxr):
    return run_import(write_wxr(odd_posts()))


def test_an_untitled_post_is_titled_from_its_body_and_kept_as_a_draft(imported):
    _output, warnings = imported
    article = Article.objects.get(slug_en="post-1")
    assert article.title_en == "Ministers met on Tuesday to agree a budget for the…"
    assert article.status == Article.Status.DRAFT
    assert "item 1 (post 1): untitled: titled from its body, kept as a draft" in warnings


def test_an_untitled_empty_post_is_titled_from_its_date(imported):
    article = Article.objects.get(slug_en="post-2")
    assert article.title_en == "Untitled post of 2021-07-14"
    assert article.status == Article.Status.DRAFT


@pytest.mark.parametrize("post_id", [3, 4, 5])
def test_a_post_with_nothing_to_read_is_kept_as_a_draft(imported, post_id):
    _output, warnings = imported
    article = Article.objects.get(slug_en=f"post-{post_id}")
    assert article.status == Article.Status.DRAFT
    assert f"item {post_id} (post {post_id}): no text once converted: kept as a draft" in warnings


def test_a_post_without_a_category_goes_to_the_default_section(imported):
    _output, warnings = imported
    article = Article.objects.get(slug_en="post-6")
    assert article.section.name_en == "Uncategorized"
    assert article.is_live("en")
    assert "item 6 (post 6): no category: filed under 'Uncategorized'" in warnings


def test_the_default_section_can_be_named_and_may_be_a_category_of_the_file(write_wxr):
    text = export(post(1, categories=()), post(2), categories=["news", category("misc", "Misc")])
    run_import(write_wxr(text), "--default-section", "misc")
    assert Article.objects.get(slug_en="post-1").section == Section.objects.get(slug_en="misc")
    run_import(write_wxr(export(post(3, categories=()))), "--default-section", "Briefs")
    assert Article.objects.get(slug_en="post-3").section.name_en == "Briefs"


def test_an_undeclared_author_is_made_from_the_login(imported):
    _output, warnings = imported
    article = Article.objects.get(slug_en="post-7")
    assert article.byline == [Author.objects.get(slug="ghost-writer")]
    assert Author.objects.get(slug="ghost-writer").name == "ghost.writer"
    assert "item 7 (post 7): author 'ghost.writer' is not declared in the file" in warnings


def test_ordinary_posts_are_imported_with_the_odd_ones(imported):
    assert Article.objects.get(slug_en="post-8").is_live("en")
    assert Article.objects.count() == 8


def test_strict_turns_every_warning_into_an_error(write_wxr):
    errors = failed_import(write_wxr(odd_posts()), "--strict")
    assert "error: item 6 (post 6): no category" in errors
    assert "error: item 1 (post 1): untitled" in errors
    assert not Article.objects.exists()


def test_posts_sharing_a_slug_or_without_one_get_free_ones_in_the_order_of_the_file(
    write_wxr,
):
    posts = [
        post(number, title, slug=slug, link=f"https://blog.example.org/{number}/")
        for number, title, slug in [
            (1, "Harbour", "harbour"),
            (2, "Harbour", "harbour"),
            (3, "Harbour", ""),
            (4, "Other", "harbour-2"),
            (5, "Last", "harbour"),
        ]
    ]
    run_import(write_wxr(export(*posts)))
    slugs = list(Article.objects.order_by("pk").values_list("slug_en", flat=True))
    assert slugs == ["harbour", "harbour-2", "harbour-3", "other", "last"]
