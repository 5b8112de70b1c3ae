"""export_articles writes what import_articles reads: the round trip loses nothing."""

import hashlib
import io
import json
import re
import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from modeltranslation.translator import translator

from articles.models import Article, RelatedArticle, Section, Topic, language_codes
from authors.models import Author
from newsroom.images.models import Image as LibraryImage
from newsroom.permalinks.models import Redirect
from newsroom.transfer.models import SourceKey
from pages.models import Page
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PageFactory,
    SectionFactory,
    TopicFactory,
)
from tests.transfer.conftest import run_import

pytestmark = pytest.mark.django_db


def png(colour):
    """A small library image of one colour."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(buffer, "PNG")
    return LibraryImage.objects.create(
        title=colour, file=ContentFile(buffer.getvalue(), name=f"{colour}.png")
    )


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_articles", *args, stdout=out, stderr=err)
    return out.getvalue()


def pixels_digest(image):
    """A library image's size, mode and pixels: an import re-encodes every image, as an
    upload."""
    from PIL import Image

    if not image:
        return None
    field = image.file
    with field.storage.open(field.name, "rb") as handle, Image.open(handle) as image:
        return (image.size, image.mode, hashlib.sha256(image.tobytes()).hexdigest())


def translated(obj, *names):
    return {
        f"{name}_{code}": getattr(obj, f"{name}_{code}")
        for name in names
        for code in language_codes()
    }


def linked_titles(html):
    """Stored links to articles (by id) named by the linked article's title instead."""
    return re.sub(
        r"/article/(\d+)/", lambda m: f"/article/{Article.objects.get(pk=m[1]).title_en}/", html
    )


def snapshot():
    """Everything the archive holds, by natural keys rather than primary keys."""
    articles = {}
    for article in Article.objects.order_by("pk"):
        for code in language_codes():
            body = getattr(article, f"body_{code}")
            setattr(article, f"body_{code}", body and linked_titles(body))
        articles[article.title_in(article.original_language)] = {
            **translated(article, *translator.get_options_for_model(Article).fields),
            "status": article.status,
            "published_at": article.published_at,
            "original_language": article.original_language,
            "section": article.section.slug_en,
            "topics": sorted(topic.slug_en for topic in article.topics.all()),
            "byline": [author.slug for author in article.byline],
            "related": [link.target.slug_en for link in article.related_links.all()],
            "lead_image": pixels_digest(article.lead_image),
        }
    pages = list(Page.objects.order_by("pk"))
    for page in pages:
        for code in language_codes():
            body = getattr(page, f"body_{code}")
            setattr(page, f"body_{code}", body and linked_titles(body))
    return {
        "articles": articles,
        "pages": {
            page.title_in(page.original_language): {
                **translated(page, *translator.get_options_for_model(Page).fields),
                "status": page.status,
                "published_at": page.published_at,
                "original_language": page.original_language,
                "in_footer": page.in_footer,
            }
            for page in pages
        },
        "authors": {
            author.slug: {
                **translated(author, "name", "role", "short_bio", "long_bio"),
                "email": author.email,
                "website": author.website,
                "mastodon": author.mastodon,
                "photo": pixels_digest(author.photo),
            }
            for author in Author.objects.all()
        },
        "sections": {
            section.slug_en: {
                **translated(section, "name", "slug", "description"),
                "position": section.position,
                "in_navigation": section.in_navigation,
            }
            for section in Section.objects.all()
        },
        "topics": {
            topic.slug_en: {
                **translated(topic, "name", "slug", "description"),
                "parent": topic.parent.slug_en if topic.parent else None,
            }
            for topic in Topic.objects.all()
        },
        "redirects": sorted(
            (r.old_path, r.language, str(r.target)) for r in Redirect.objects.all()
        ),
    }


@pytest.fixture
def archive():
    section = SectionFactory(
        name_en="Analysis", name_ru="Аналитика 📊", description_fr="Dossiers", in_navigation=True
    )
    asia = TopicFactory(name_en="Asia")
    caucasus = TopicFactory(name_en="Caucasus", parent=asia, name_ru="Кавказ")
    author = AuthorFactory(
        name_en="Zoë Ørsted",
        name_ru="Зоя Эрстед 🌍",
        mastodon="https://social.example/@zoe",
        photo=png("purple"),
    )
    live = ArticleFactory(
        translated=True,
        title_en="Ports & power ⚓",
        title_ru="Порты и власть ⚓",
        body_ru="<p>Ёлка, щука и «кавычки» — 🎉.</p>",
        seo_title_en="Ports",
        image_credit_fr="Photo : Zoë",
        release_at_ru=timezone.now() - timedelta(minutes=5),
        section=section,
        topics=[caucasus],
        authors=[author],
        lead_image=png("orange"),
    )
    draft = ArticleFactory(
        title_en="Unfinished 🛠", status=Article.Status.DRAFT, section=section, authors=[author]
    )
    scheduled = ArticleFactory(
        title_en="Tomorrow",
        published_at=timezone.now() + timedelta(days=1),
        section=section,
        authors=[author],
    )
    live.body_en += f'<p>See <a href="/article/{draft.pk}/">the draft</a>.</p>'
    draft.body_en = f'<p>Back to <a href="/article/{live.pk}/">the ports</a>.</p>'
    draft.save()
    RelatedArticle.objects.create(source=live, target=draft, position=0)
    RelatedArticle.objects.create(source=live, target=scheduled, position=1)
    live.ready_fr = False
    live.save()
    Redirect.objects.point(live, "en", "/2020/01/01/ports/")
    Redirect.objects.point(author, "en", "/author/zoe/")
    about = PageFactory(
        title_en="About", fr=True, body_en=f'<p><a href="/article/{live.pk}/">Ports</a></p>'
    )
    PageFactory(title_en="Jobs, not yet", status=Page.Status.DRAFT, in_footer=False)
    Redirect.objects.point(about, "fr", "/a-propos/")
    return {"live": live, "draft": draft, "scheduled": scheduled}


def test_export_then_import_into_an_empty_database_gives_the_same_content(archive, tmp_path):
    before = snapshot()
    path = tmp_path / "export.json"
    path.write_text(export("--include-unpublished"), "utf-8")
    Article.objects.all().delete()
    Topic.objects.filter(parent__isnull=False).delete()
    for model in (Page, Author, Section, Topic, Redirect, SourceKey):
        model.objects.all().delete()
    run_import(path, "--media-dir", settings.MEDIA_ROOT)
    assert snapshot() == before


def test_the_export_is_readable_json_with_unicode_kept_as_is(archive):
    text = export("--include-unpublished")
    data = json.loads(text)
    assert data["format"] == "newsroom-articles"
    assert "Зоя Эрстед 🌍" in text
    assert {len(data[kind]) for kind in ("articles",)} == {3}


def test_re_importing_an_export_here_updates_in_place(archive, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(export("--include-unpublished"), "utf-8")
    before = snapshot()
    output, _warnings = run_import(path, "--media-dir", settings.MEDIA_ROOT)
    for kind in ("authors", "sections", "topics", "articles", "pages"):
        assert not any(
            line.strip().startswith(f"{kind}:") and "created" in line
            for line in output.splitlines()
        )
    assert snapshot() == before


def test_by_default_only_what_readers_see_is_exported(archive):
    data = json.loads(export())
    [article] = data["articles"]
    assert "<p>See the draft.</p>" in article["translations"]["en"]["body"]
    assert set(article["translations"]) == {"en", "ru"}  # French is not released
    assert "related" not in article  # both related articles are unpublished
    assert "Unfinished" not in json.dumps(data) and "Tomorrow" not in json.dumps(data)
    [page] = data["pages"]
    assert page["translations"]["en"]["title"] == "About"
    assert "Jobs" not in json.dumps(data)


def test_since_limits_the_export_to_recently_changed_articles(archive):
    Article.objects.filter(pk=archive["live"].pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    titles = [
        a["translations"]["en"]["title"]
        for a in json.loads(export("--include-unpublished", "--since", since))["articles"]
    ]
    assert titles == ["Unfinished 🛠", "Tomorrow"]


@pytest.fixture
def illustrated():
    """A live article whose body holds a figure and a gallery of two library images."""
    harbour, quay, dock = png("navy"), png("teal"), png("maroon")
    return ArticleFactory(
        title_en="Harbours",
        body_en=(
            f'<p>Before.</p><figure data-image="{harbour.pk}" data-size="wide" '
            'data-alt="Cranes at dusk" data-caption="The port" data-credit="Ana Lee"></figure>'
            f'<figure data-gallery="grid" data-caption="Two docks"><figure data-image="{quay.pk}" '
            f'data-alt="The quay"></figure><figure data-image="{dock.pk}" data-alt="The dock">'
            "</figure></figure><p>After.</p>"
        ),
    )


def exported_to_an_empty_site(tmp_path):
    """The export's file, and its media folder, once everything here is deleted."""
    path = tmp_path / "export.json"
    path.write_text(export(), "utf-8")
    media = tmp_path / "exported-media"
    shutil.copytree(settings.MEDIA_ROOT, media)
    Article.objects.all().delete()
    for model in (Author, Section, Topic, Redirect, SourceKey, LibraryImage):
        model.objects.all().delete()
    return path, media


def test_figures_are_exported_as_their_images_files(illustrated):
    body = json.loads(export())["articles"][0]["translations"]["en"]["body"]
    names = re.findall(r'data-image="([^"]*)"', body)
    assert names == [image.file.name for image in LibraryImage.objects.order_by("pk")]


def test_figures_and_galleries_round_trip_into_an_empty_site(client, illustrated, tmp_path):
    path, media = exported_to_an_empty_site(tmp_path)
    run_import(path, "--media-dir", media)
    article = Article.objects.get()
    assert LibraryImage.objects.count() == 3
    page = client.get(article.get_absolute_url("en")).content.decode()
    assert page.count("<picture") == 3
    for alt in ("Cranes at dusk", "The quay", "The dock"):
        assert f'alt="{alt}"' in page
    assert "The port" in page and "Ana Lee" in page and "Two docks" in page


def test_importing_again_reuses_the_figures_images(illustrated, tmp_path):
    path, media = exported_to_an_empty_site(tmp_path)
    run_import(path, "--media-dir", media)
    body = Article.objects.get().body_en
    run_import(path, "--media-dir", media, "--overwrite")
    assert LibraryImage.objects.count() == 3
    assert Article.objects.get().body_en == body


def test_a_figure_whose_file_is_missing_is_left_out_with_a_warning(illustrated, tmp_path):
    path, media = exported_to_an_empty_site(tmp_path)
    body = json.loads(path.read_text("utf-8"))["articles"][0]["translations"]["en"]["body"]
    missing = re.findall(r'data-image="([^"]*)"', body)[1]
    (media / missing).unlink()
    _output, warnings = run_import(path, "--media-dir", media)
    assert "figure left out" in warnings and missing in warnings
    body = Article.objects.get().body_en
    assert body.count("data-image=") == 2
    kept = [int(pk) for pk in re.findall(r'data-image="(\d+)"', body)]
    assert LibraryImage.objects.filter(pk__in=kept).count() == 2


def test_a_dry_run_names_a_figure_whose_file_is_missing_as_the_import_does(illustrated, tmp_path):
    path, media = exported_to_an_empty_site(tmp_path)
    body = json.loads(path.read_text("utf-8"))["articles"][0]["translations"]["en"]["body"]
    missing = re.findall(r'data-image="([^"]*)"', body)[1]
    (media / missing).unlink()
    _output, dry_warnings = run_import(path, "--media-dir", media, "--dry-run")
    assert not Article.objects.exists() and not LibraryImage.objects.exists()
    _output, warnings = run_import(path, "--media-dir", media)
    assert "figure left out" in warnings and missing in warnings
    assert dry_warnings == warnings


def test_a_gallery_whose_files_are_all_missing_is_left_out(illustrated, tmp_path):
    path, media = exported_to_an_empty_site(tmp_path)
    body = json.loads(path.read_text("utf-8"))["articles"][0]["translations"]["en"]["body"]
    for name in re.findall(r'data-image="([^"]*)"', body)[1:]:
        (media / name).unlink()
    run_import(path, "--media-dir", media)
    body = Article.objects.get().body_en
    assert "data-gallery" not in body and body.count("data-image=") == 1


def test_links_between_imported_articles_are_stored_in_their_original_texts_too(tmp_path):
    """A translator's first diff compares the body as imported, links stored by id."""
    first = ArticleFactory(title_en="First")
    second = ArticleFactory(
        title_en="Second", body_en=f'<p><a href="{first.get_absolute_url("en")}">The first</a></p>'
    )
    first.body_en = f'<p><a href="{second.get_absolute_url("en")}">The second</a></p>'
    first.save()
    path = tmp_path / "export.json"
    path.write_text(export(), "utf-8")
    Article.objects.all().delete()
    for model in (Author, Section, Topic, Redirect, SourceKey):
        model.objects.all().delete()
    run_import(path)
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert 'href="/article/' in article.body_en
        assert article.original_texts.get().body == article.body_en
