"""Moving a WordPress site (Polylang or WPML) into Newsroom with import_articles."""

from datetime import UTC, datetime

import pytest

from articles.models import Article, Section, Topic
from articles.revisions import revisions_of
from authors.models import Author
from newsroom.images.models import Image
from newsroom.permalinks.models import Redirect
from newsroom.transfer.models import SourceKey
from pages.models import Page
from tests.factories import UNKNOWN_LANGUAGE
from tests.transfer.conftest import FIXTURES, failed_import, run_import

pytestmark = pytest.mark.django_db

POLYLANG = FIXTURES / "polylang-wxr-1.2.xml"
WPML = FIXTURES / "wpml-wxr-1.1.xml"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Section, Topic, Redirect, SourceKey)
    }


@pytest.fixture
def polylang(media_dir):
    output, warnings = run_import(POLYLANG, "--media-dir", media_dir)
    return output, warnings


def grain_story():
    return Article.objects.get(slug_en="insuring-the-grain-corridor")


def test_a_polylang_translation_group_becomes_one_article_in_three_languages(polylang):
    article = grain_story()
    assert article.title_fr == "Assurer le corridor céréalier"
    assert article.title_ru == "Страхование зернового коридора 🌾"
    assert article.slug_fr == "assurer-le-corridor-cerealier"
    assert article.slug_ru == "strakhovanie"  # percent-encoded Cyrillic, transliterated
    assert article.original_language == "en"
    assert article.standfirst_fr == "Sans assurance, aucun navire ne quitte le port."
    assert Article.objects.count() == 4


def test_a_draft_translation_stays_unreleased_and_a_draft_post_stays_a_draft(polylang):
    article = grain_story()
    assert article.released_languages() == ["en", "fr"]
    assert not article.ready_ru
    draft = Article.objects.get(title_en="Budget notes, not ready")
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert not Article.objects.live("en").filter(pk=draft.pk).exists()


def test_a_future_post_is_scheduled_not_live(polylang):
    scheduled = Article.objects.get(slug_fr="avenir-des-ports")
    assert scheduled.is_scheduled
    assert scheduled.original_language == "fr"
    assert not scheduled.is_live("fr")


def test_publication_time_comes_from_the_gmt_date(polylang):
    assert grain_story().published_at == datetime(2022, 1, 3, 9, 30, tzinfo=UTC)


def test_nested_categories_become_a_section_and_nested_topics_with_their_translations(
    polylang,
):
    world = Section.objects.get(slug_en="world")
    assert (world.name_fr, world.name_ru, world.slug_ru) == ("Monde", "Мир", "mir")
    black_sea = Topic.objects.get(slug_en="black-sea")
    assert black_sea.name_fr == "Mer Noire"
    assert black_sea.parent.slug_en == "europe"
    assert black_sea.parent.parent is None
    article = grain_story()
    assert article.section == world
    assert {t.slug_en for t in article.topics.all()} == {"black-sea", "grain"}
    assert Topic.objects.get(slug_en="grain").name_fr == "Céréales"


def test_authors_are_kept_with_cyrillic_names(polylang):
    ivan = Author.objects.get(slug="ivan-petrov")
    assert ivan.name == "Иван Петров"
    assert ivan.email == "ivan@old.example.org"
    assert grain_story().byline == [Author.objects.get(slug="jdoe")]


def test_gutenberg_blocks_become_allowed_html(polylang):
    body = grain_story().body_en
    assert "wp:" not in body and "<!--" not in body
    assert "<strong>war-risk cover</strong> 🚢" in body
    assert "<h3>Who pays</h3>" in body
    assert "<img" not in body
    image = Image.objects.get()  # the featured image, shown in the body too
    assert (
        f'<figure data-image="{image.pk}" data-alt="The port at dawn" '
        'data-caption="The port at dawn"></figure>'
    ) in body
    assert '<a href="https://video.example.net/watch?v=abc123"' in body
    assert "<ul><li>Premiums</li><li>Reinsurers</li></ul>" in body


def test_classic_editor_line_breaks_become_paragraphs(polylang):
    body = grain_story().body_fr
    assert body.startswith("<p>Les navires attendent une couverture « risque de guerre ».<br>")
    assert "<p>Qui paie ? Les réassureurs.</p>" in body


def test_hostile_html_is_sanitized_and_conversions_are_reported(polylang):
    article = Article.objects.get(slug_en="tariffs-and-trust")
    body = article.body_en
    for hostile in ("<script", "alert", "onerror", "onclick", "javascript:", "iframe", "style="):
        assert hostile not in body
    assert "[caption" not in body and "Traders in Lyon" in body
    assert "[sic]" in body
    assert "<h2>Old-style heading</h2>" in body
    assert article.title_en == "Tariffs & trust"
    assert article.standfirst_en == "Trade needs trust."
    _output, warnings = polylang
    assert "item 6 (post 105): image left out: 'x.png' is not an upload" in warnings
    assert "filed under several sections' categories" in warnings


def test_the_featured_image_comes_from_the_media_folder(polylang):
    article = grain_story()
    assert article.lead_image.file.name.startswith("articles/imported/")
    assert article.lead_image.file.original_size == (48, 32)
    assert article.image_alt_en == "Cranes over a grain terminal"


def test_without_a_media_folder_featured_images_are_left_out_with_a_warning():
    _output, warnings = run_import(POLYLANG)
    assert "featured image left out: images need --media-dir" in warnings
    assert not grain_story().lead_image


def test_a_featured_image_an_upload_would_refuse_is_left_out_with_a_warning(media_dir):
    (media_dir / "2022" / "01" / "harbour.png").write_bytes(b"\x89PNG\r\n\x1a\n damaged")
    _output, warnings = run_import(POLYLANG, "--media-dir", media_dir)
    assert "featured image left out: '2022/01/harbour.png': Upload a JPEG, PNG or WebP" in warnings
    assert not grain_story().lead_image


def test_pages_become_site_pages_and_trash_is_reported_as_skipped(polylang):
    output, _warnings = polylang
    assert "skipped: 1 attachment page (redirected to its post or page), 1 post (trash)" in output
    assert "articles: 4 created (translations written: en 3, fr 2, ru 1)" in output
    assert "pages: 1 created (translations written: en 1)" in output
    assert not Article.objects.filter(title_en__in=["About us", "Deleted"]).exists()
    assert Page.objects.get(slug_en="about").is_live("en")


def test_a_wpml_translation_group_becomes_one_article_and_unknown_languages_are_skipped():
    _output, warnings = run_import(WPML)
    article = Article.objects.get(slug_en="dams-and-winters")
    assert article.title_ru == "Плотины и зимы"
    assert article.released_languages() == ["en", "ru"]
    assert article.section.slug_en == "energy"
    assert [t.slug_en for t in article.topics.all()] == ["hydropower"]
    assert f"language '{UNKNOWN_LANGUAGE}' is not one of this site's: skipped" in warnings
    assert Article.objects.count() == 1


def test_importing_the_same_export_again_changes_nothing_and_keeps_the_desks_edit(
    polylang, media_dir
):
    before = counts()
    article = grain_story()
    article.title_en = "Edited by hand"
    article.save()
    output, _warnings = run_import(POLYLANG, "--media-dir", media_dir)
    assert counts() == before
    assert "articles: 3 unchanged, 1 kept" in output
    assert grain_story().title_en == "Edited by hand"


def test_a_dry_run_reports_and_writes_nothing(media_dir):
    output, _warnings = run_import(POLYLANG, "--media-dir", media_dir, "--dry-run")
    assert "Dry run: nothing was written" in output
    assert "authors: 2 created" in output
    assert "topics: 3 created" in output
    assert set(counts().values()) == {0}


@pytest.mark.parametrize(
    ("old_path", "new_path"),
    [
        ("/2022/01/03/insuring-the-grain-corridor/", "/en/articles/insuring-the-grain-corridor/"),
        ("/?p=101", "/en/articles/insuring-the-grain-corridor/"),
        ("/?p=102", "/fr/articles/assurer-le-corridor-cerealier/"),
        (
            "/fr/2022/01/04/assurer-le-corridor-cerealier/",
            "/fr/articles/assurer-le-corridor-cerealier/",
        ),
        ("/category/world/", "/en/sections/world/"),
        ("/category/мир/", "/ru/sections/mir/"),
        ("/category/world/europe/black-sea/", "/en/topics/black-sea/"),
        ("/category/monde/mer-noire/", "/fr/topics/mer-noire/"),
        ("/tag/cereales/", "/fr/topics/cereales/"),
        ("/author/jdoe/", "/en/authors/jdoe/"),
    ],
)
def test_old_wordpress_addresses_answer_a_permanent_redirect(client, polylang, old_path, new_path):
    response = client.get(old_path)
    assert response.status_code == 301
    assert response["Location"] == new_path
    assert client.get(new_path).status_code == 200


@pytest.mark.parametrize("post_id", ["103", "104", "106"])
def test_old_addresses_of_unpublished_posts_do_not_reveal_them(client, polylang, post_id):
    """A draft, a draft translation and a scheduled post: the old address leads to the
    home page, as any unknown "/?p=" does, never to the article."""
    response = client.get(f"/?p={post_id}")
    assert response.status_code == 302
    assert response["Location"] == f"/en/?p={post_id}"


def test_the_old_address_of_a_draft_translation_is_a_404(client, polylang):
    assert client.get("/ru/2022/01/05/страхование/").status_code == 404


def broken_copy(tmp_path, old, new):
    text = POLYLANG.read_bytes()
    assert old in text
    path = tmp_path / "broken.xml"
    path.write_bytes(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<wp:post_id>104</wp:post_id>",
            b"<wp:post_id>104</wp:post_id",
            "line 157, column 2: not well-formed XML: not well-formed (invalid token)",
        ),
        ("Иван".encode(), b"\xc8\xe2\xe0\xed", "line 20, column 200: not well-formed XML"),
        (
            b"<wp:post_date_gmt><![CDATA[2022-02-10 07:00:00]]>",
            b"<wp:post_date_gmt><![CDATA[2022-02-30 07:00:00]]>",
            "item 6 (post 105).published_at: '2022-02-30 07:00:00' is not a date and time",
        ),
        (b"<wp:wxr_version>1.2</wp:wxr_version>", b"", "not a WordPress export"),
        (
            b'<?xml version="1.0" encoding="UTF-8" ?>',
            b'<?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE rss [<!ENTITY a "aaaa">]>',
            "file: refused",
        ),
        (
            b'<category domain="language" nicename="fr">',
            b'<category domain="language" nicename="en">',
            "item 3 (post 102): a second 'en' post in the translation group of item 2 (post 101)",
        ),
    ],
    ids=[
        "malformed",
        "bad encoding",
        "bad date",
        "not wxr",
        "entities",
        "two posts in one language",
    ],
)
def test_a_broken_export_imports_nothing_and_says_where(tmp_path, old, new, message):
    errors = failed_import(broken_copy(tmp_path, old, new))
    assert message in errors
    assert set(counts().values()) == {0}


def test_a_truncated_export_imports_nothing(tmp_path):
    path = tmp_path / "truncated.xml"
    text = POLYLANG.read_bytes()
    path.write_bytes(text[: len(text) * 2 // 3])
    errors = failed_import(path)
    assert "not well-formed XML" in errors or "no element found" in errors
    assert set(counts().values()) == {0}


def test_the_summary_counts_each_kind_and_translations_as_languages_of_one_article(polylang):
    output, _warnings = polylang
    lines = [line.strip() for line in output.splitlines()]
    assert "authors: 2 created" in lines
    assert "sections: 2 created" in lines
    assert "topics: 3 created" in lines
    assert "articles: 4 created (translations written: en 3, fr 2, ru 1)" in lines
    assert "images: 1 created, 1 unchanged" in lines  # the featured image is in a body too
    assert f"redirects: {Redirect.objects.count()} created" in lines
    assert "pages: 1 created (translations written: en 1)" in lines
    assert "skipped: 1 attachment page (redirected to its post or page), 1 post (trash)" in lines


def test_the_summary_of_a_rerun_says_what_was_kept_and_why(polylang, media_dir):
    grain_story().delete()
    output, _warnings = run_import(POLYLANG, "--media-dir", media_dir)
    lines = [line.strip() for line in output.splitlines()]
    assert "articles: 3 unchanged, 1 kept" in lines
    assert "kept: 1 deleted here since the last import" in lines


def test_imported_articles_are_indexed_for_search_and_have_their_first_revision(polylang, client):
    page = client.get("/en/search/?q=reinsurers").content.decode()
    assert "Insuring the grain corridor" in page
    [imported] = revisions_of(grain_story())
    assert imported.revision.comment == "Imported"
    assert imported.field_dict["title_fr"] == "Assurer le corridor céréalier"


def test_a_post_body_nested_too_deep_is_refused_and_nothing_is_imported(tmp_path, media_dir):
    """The sanitizer refuses what would cost too much to clean; the import says where."""
    export = POLYLANG.read_text("utf-8").replace(
        "<content:encoded><![CDATA[", "<content:encoded><![CDATA[" + "<blockquote>" * 1000
    )
    path = tmp_path / "deep.xml"
    path.write_text(export, "utf-8")
    errors = failed_import(path, "--media-dir", media_dir)
    assert "body refused: This text nests elements" in errors
    assert set(counts().values()) == {0}
