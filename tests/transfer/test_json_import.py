"""import_articles with Newsroom's own JSON format: checked whole, then all or nothing."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleEvent, RelatedArticle, Section, Topic
from articles.revisions import compare, revisions_of
from authors.models import Author
from newsroom.permalinks.models import Redirect
from newsroom.transfer.models import SourceKey
from tests.factories import UNKNOWN_LANGUAGE
from tests.images.samples import jpeg, phone_photo, png_bomb
from tests.transfer.conftest import FIXTURES, failed_import, run_import

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Section, Topic, RelatedArticle, Redirect, SourceKey)
    }


@pytest.fixture
def imported(media_dir):
    return run_import(FIXTURES / "newsroom.json", "--media-dir", media_dir)


def corridor():
    return Article.objects.get(slug_en="corridor-through-the-caucasus")


def test_every_kind_of_item_is_imported_with_its_translations(imported):
    article = corridor()
    assert article.title_ru == "Коридор через Кавказ 🚆"
    assert article.slug_fr == "un-corridor-a-travers-le-caucase"  # filled as the model does
    assert article.released_languages() == ["en", "fr"]
    assert [author.slug for author in article.byline] == ["lea-martin", "oleg-sokolov"]
    assert article.section.name_ru == "Аналитика"
    assert [topic.parent.slug_en for topic in article.topics.all()] == ["asia"]
    assert list(RelatedArticle.objects.values_list("target__title_ru", flat=True)) == [
        "Железная дорога"
    ]
    assert article.lead_image.file.name.startswith("articles/imported/")
    assert article.lead_image.title == "A corridor through the Caucasus"
    photo = Author.objects.get(slug="lea-martin").photo
    assert photo.file.name.startswith("authors/imported/")
    assert Article.objects.get(title_ru="Железная дорога").status == Article.Status.DRAFT


def test_bodies_and_bios_are_sanitized(imported):
    body = corridor().body_en
    assert "javascript:" not in body
    assert "<em>long</em> 🚚" in body
    assert "script" not in Author.objects.get(slug="lea-martin").long_bio_en


def test_the_summary_counts_each_kind_and_language(imported):
    output, _warnings = imported
    assert "authors: 2 created" in output
    assert "topics: 2 created" in output
    assert "articles: 2 created (translations written: en 1, fr 1, ru 2)" in output
    assert "Imported 7 items" in output


def test_re_importing_keeps_an_editors_change(imported, media_dir):
    before = counts()
    article = corridor()
    article.slug_en = "renamed-by-an-editor"
    article.save()
    output, _warnings = run_import(FIXTURES / "newsroom.json", "--media-dir", media_dir)
    assert "articles: 1 unchanged, 1 kept" in output
    assert "kept: 1 changed here since the last import" in output
    assert Article.objects.get(pk=article.pk).slug_en == "renamed-by-an-editor"
    assert counts() == before


def test_overwrite_updates_in_place_even_after_a_slug_change(imported, media_dir, client):
    before = counts()
    article = corridor()
    article.slug_en = "renamed-by-an-editor"
    article.save()
    output, _warnings = run_import(
        FIXTURES / "newsroom.json", "--media-dir", media_dir, "--overwrite"
    )
    assert "overwritten: articles[0]: changed here since the last import" in output
    assert "articles: 1 updated, 1 unchanged (translations written: en 1, fr 1, ru 1)" in output
    assert counts() == before | {"Redirect": before["Redirect"] + 1}
    assert corridor().pk == article.pk
    response = client.get("/en/articles/renamed-by-an-editor/")
    assert response.status_code == 301
    assert response["Location"] == "/en/articles/corridor-through-the-caucasus/"


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(media_dir):
    output, _warnings = run_import(
        FIXTURES / "newsroom.json", "--media-dir", media_dir, "--dry-run"
    )
    assert "Dry run: nothing was written" in output
    assert "articles: 2 created (translations written: en 1, fr 1, ru 2)" in output
    assert set(counts().values()) == {0}


def test_a_dry_run_of_a_re_import_reports_updates(imported, media_dir):
    before = counts()
    output, _warnings = run_import(
        FIXTURES / "newsroom.json", "--media-dir", media_dir, "--dry-run"
    )
    assert "authors: 2 unchanged" in output
    assert counts() == before


def test_old_urls_answer_301_in_their_language(imported, client):
    for old_path, new_path in [
        ("/2024/03/01/corridor/", "/en/articles/corridor-through-the-caucasus/"),
        ("/?p=42", "/en/articles/corridor-through-the-caucasus/"),
        ("/fr/2024/03/01/corridor/", "/fr/articles/un-corridor-a-travers-le-caucase/"),
        ("/fr/category/analyse/", "/fr/sections/analyse/"),
        ("/category/asia/caucasus/", "/en/topics/south-caucasus/"),
        ("/author/lea/", "/en/authors/lea-martin/"),
    ]:
        response = client.get(old_path)
        assert (response.status_code, response["Location"]) == (301, new_path)


def break_truncated(data, path):
    text = path.read_text("utf-8")
    path.write_text(text[: len(text) // 2], "utf-8")


def break_encoding(data, path):
    path.write_bytes(path.read_bytes().replace("Léa".encode(), b"L\xe9a"))


BROKEN_FILES = {
    "truncated": (break_truncated, "file: not valid JSON: parse error: premature EOF"),
    "bad encoding": (break_encoding, "file: not valid JSON: lexical error: invalid bytes in UTF8"),
}


@pytest.mark.parametrize("kind", BROKEN_FILES)
def test_an_unreadable_file_imports_nothing(kind, newsroom_file, write_json, media_dir):
    path = write_json(newsroom_file)
    breaker, message = BROKEN_FILES[kind]
    breaker(newsroom_file, path)
    errors = failed_import(path, "--media-dir", media_dir)
    assert message in errors
    assert set(counts().values()) == {0}


def duplicate_slug(data):
    data["articles"][1]["translations"]["ru"]["slug"] = "same"
    data["articles"][0]["translations"]["ru"]["slug"] = "same"


def missing_original(data):
    del data["articles"][0]["translations"]["en"]


def bad_date(data):
    data["articles"][0]["published_at"] = "2024-02-30T08:00:00+00:00"


def naive_date(data):
    data["articles"][0]["published_at"] = "2024-03-01 08:00"


def bad_item_in_the_middle(data):
    data["topics"][1]["name"] = "South Caucasus"


def unknown_reference(data):
    data["articles"][1]["section"] = "section/missing"


def unknown_language(data):
    data["articles"][1]["translations"][UNKNOWN_LANGUAGE] = {"title": "Qugh"}


def image_outside_media(data):
    data["articles"][0]["lead_image"] = "../../etc/passwd"


def duplicate_key(data):
    data["authors"][1]["key"] = "author/lea-martin"


def ready_without_body(data):
    data["articles"][1]["translations"]["ru"] = {"title": "Без текста", "ready": True}


def nul_character(data):
    data["articles"][0]["translations"]["fr"]["title"] = "Un\x00titre"


def body_nested_too_deep(data):
    data["articles"][0]["translations"]["fr"]["body"] = "<blockquote>" * 1000


def wrong_format(data):
    data["format"] = "wordpress"


BAD_ITEMS = {
    "duplicate slug": (
        duplicate_slug,
        "articles[1].translations.ru.slug: duplicate slug 'same', also used at "
        "articles[0].translations.ru.slug",
    ),
    "missing required translation": (
        missing_original,
        "articles[0].translations.en: a published article needs its original language",
    ),
    "bad date": (bad_date, "articles[0].published_at: '2024-02-30T08:00:00+00:00' is not a date"),
    "date without time zone": (naive_date, "it has no time zone"),
    "bad item in the middle": (bad_item_in_the_middle, "topics[1].name: 'South Caucasus' is not"),
    "unknown reference": (unknown_reference, "articles[1].section: unknown section"),
    "unknown language": (
        unknown_language,
        f"articles[1].translations: unknown language '{UNKNOWN_LANGUAGE}'",
    ),
    "image outside the media folder": (image_outside_media, "is outside the media folder"),
    "duplicate key": (duplicate_key, "authors[1]: duplicate author key 'author/lea-martin'"),
    "ready without a body": (
        ready_without_body,
        "articles[1].translations.ru.ready: a translation needs a title and a body",
    ),
    "NUL character": (nul_character, "articles[0]: contains a NUL character"),
    "wrong format": (wrong_format, 'format: expected "format": "newsroom-articles"'),
    "body nested too deep": (
        body_nested_too_deep,
        "articles[0].translations.fr.body: This text nests elements",
    ),
}


@pytest.mark.parametrize("kind", BAD_ITEMS)
def test_a_file_with_an_error_imports_nothing_and_says_where(
    kind, newsroom_file, write_json, media_dir
):
    breaker, message = BAD_ITEMS[kind]
    breaker(newsroom_file)
    errors = failed_import(write_json(newsroom_file), "--media-dir", media_dir)
    assert message in errors
    assert set(counts().values()) == {0}


def test_a_slug_taken_by_an_existing_article_is_an_error(newsroom_file, write_json, media_dir):
    from tests.factories import ArticleFactory

    ArticleFactory(slug_en="corridor-through-the-caucasus")
    errors = failed_import(write_json(newsroom_file), "--media-dir", media_dir)
    assert "slug 'corridor-through-the-caucasus' is already used by another article" in errors
    assert Article.objects.count() == 1


def test_an_unknown_related_article_is_left_out_with_a_warning(
    newsroom_file, write_json, media_dir
):
    newsroom_file["articles"][0]["related"].append("article/elsewhere")
    _output, warnings = run_import(write_json(newsroom_file), "--media-dir", media_dir)
    assert "articles[0].related[1]: unknown article 'article/elsewhere': link left out" in warnings
    assert RelatedArticle.objects.count() == 1


def test_a_missing_file_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not a file"):
        run_import("/nonexistent/file.json")


def test_re_importing_refreshes_cached_pages_even_for_bulk_written_bylines(
    newsroom_file, write_json, media_dir, client
):
    rail = newsroom_file["articles"][1]
    rail.update(status="published", published_at="2024-02-01T08:00:00+00:00")
    rail["translations"]["ru"]["ready"] = True
    newsroom_file["articles"][0]["authors"] = ["author/lea-martin"]
    newsroom_file["articles"][0]["translations"]["ru"]["ready"] = True
    run_import(write_json(newsroom_file), "--media-dir", media_dir)
    oleg_page = "/ru/authors/oleg-sokolov/"
    assert "Коридор через Кавказ" not in client.get(oleg_page).content.decode()
    # Only the article this time: no author is saved, only the byline changes.
    del newsroom_file["authors"], newsroom_file["sections"], newsroom_file["topics"]
    newsroom_file["articles"] = newsroom_file["articles"][:1]
    newsroom_file["articles"][0]["authors"] = ["author/lea-martin", "author/oleg"]
    newsroom_file["articles"][0]["related"] = []
    run_import(write_json(newsroom_file), "--media-dir", media_dir)
    assert "Коридор через Кавказ" in client.get(oleg_page).content.decode()


def test_imported_images_are_cleaned_as_uploads_are(newsroom_file, write_json, media_dir):
    (media_dir / "2024" / "03" / "corridor.jpg").write_bytes(phone_photo(size=(1600, 1200)))
    newsroom_file["articles"][0]["lead_image"] = "2024/03/corridor.jpg"
    run_import(write_json(newsroom_file), "--media-dir", media_dir)
    stored = corridor().lead_image.file
    with stored.storage.open(stored.name, "rb") as handle, Image.open(handle) as image:
        assert image.size == (1200, 1600)  # turned upright
        assert not image.getexif()  # no camera, no GPS position
        assert "icc_profile" not in image.info


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("still.gif", "gif", "Upload a JPEG, PNG or WebP image"),
        ("huge.png", "bomb", "This image has too many pixels"),
        ("broken.jpg", "truncated", "This image file is damaged or incomplete"),
    ],
)
def test_an_image_an_upload_would_refuse_is_an_error_with_its_place(
    newsroom_file, write_json, media_dir, name, content, message
):
    data = {
        "gif": encoded_gif,
        "bomb": png_bomb,
        "truncated": lambda: jpeg()[:2000],
    }[content]()
    (media_dir / name).write_bytes(data)
    newsroom_file["authors"][0]["photo"] = name
    errors = failed_import(write_json(newsroom_file), "--media-dir", media_dir)
    assert f"authors[0].photo: '{name}': {message}" in errors
    assert set(counts().values()) == {0}


def encoded_gif():
    buffer = io.BytesIO()
    Image.new("P", (40, 30)).save(buffer, "GIF")
    return buffer.getvalue()


def test_an_article_imported_for_later_is_scheduled_and_goes_live_on_time(
    newsroom_file, write_json, media_dir
):
    later = timezone.now().replace(microsecond=0) + timedelta(days=2)
    newsroom_file["articles"][0]["published_at"] = later.isoformat()
    path = write_json(newsroom_file)
    run_import(path, "--media-dir", media_dir)
    article = corridor()
    assert not article.is_live("en")
    scheduled = ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.SCHEDULED)
    assert list(scheduled.values_list("published_at", "by")) == [(later, None)]

    run_import(path, "--media-dir", media_dir)  # the same time again: nothing new to record
    assert scheduled.count() == 1
    with time_machine.travel(later + timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=io.StringIO())
    went_live = ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.WENT_LIVE)
    assert list(went_live.values_list("published_at", flat=True)) == [later]


def test_the_history_of_an_imported_article_starts_with_its_imported_texts(
    newsroom_file, write_json, media_dir
):
    path = write_json(newsroom_file)
    run_import(path, "--media-dir", media_dir)
    run_import(path, "--media-dir", media_dir)  # the same texts: no second revision
    [imported] = revisions_of(corridor())
    assert imported.revision.comment == "Imported" and imported.revision.user is None
    assert imported.field_dict["title_ru"] == "Коридор через Кавказ 🚆"

    newsroom_file["articles"][0]["translations"]["en"]["title"] = "A corridor, revised"
    run_import(write_json(newsroom_file), "--media-dir", media_dir)
    newer, older = revisions_of(corridor())
    assert older == imported
    assert "<ins>corridor, revised</ins>" in str(compare(older, newer))


UNSAFE = "\x01\x0b\x1f\x7f\x9f\u202a\u202e\u2066\u2069\ufffe"


@pytest.mark.django_db
def test_the_json_import_removes_unsafe_characters_and_says_so(newsroom_file, tmp_path, media_dir):
    """Control characters and bidi overrides, raw or escaped in the JSON."""
    typed = UNSAFE
    newsroom_file["articles"][0]["translations"]["fr"]["standfirst"] = f"Un{typed} chapeau"
    newsroom_file["authors"][0]["name"]["en"] = f"Léa{typed} Martin"
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(newsroom_file), "ascii")
    _out, err = run_import(path, "--media-dir", media_dir)
    assert f"articles[0]: {len(typed)} control or bidirectional override" in err
    assert f"authors[0]: {len(typed)} control" in err
    article = Article.objects.get(slug_en="corridor-through-the-caucasus")
    assert article.standfirst_fr == "Un chapeau"
    assert Author.objects.get(slug="lea-martin").name_en == "Léa Martin"
