"""Rich text: the editor in every language tab, one allowlist on every write path."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, language_codes
from authors.models import Author
from tests.desk.conftest import change_form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)" onmouseover="alert(2)">click</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">b</a>',
    '<a href=" javascript:alert(1)">c</a>',
    '<a href="jav&#x09;ascript:alert(1)">d</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">e</a>',
    '<a href="java\nscript:alert(1)">f</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">g</a>',
    '<a href="vbscript:msgbox(1)">h</a>',
    '<iframe src="https://example.org/embed"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name="q"></form>',
]
KEPT = (
    "<h2>Subheading</h2><h3>Smaller</h3><p><strong>bold</strong> <em>italic</em> "
    '<a href="https://example.org/report">a link</a> '
    '<a href="mailto:desk@example.org">mail</a></p>'
    "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quoted</p></blockquote>"
)
HOSTILE_BODY = KEPT + "".join(HOSTILE)
FORBIDDEN = re.compile(
    r"<script|<iframe|<img|<svg|<object|<embed|<style|<form|<input|\son\w+=|style=|"
    r"javascript:|vbscript:|data:",
    re.IGNORECASE,
)


def assert_clean(html):
    assert not FORBIDDEN.search(html), html
    for fragment in [
        "<h2>Subheading</h2>",
        "<h3>Smaller</h3>",
        "<strong>bold</strong>",
        "<em>italic</em>",
        '<a href="https://example.org/report" rel="noopener noreferrer">a link</a>',
        '<a href="mailto:desk@example.org" rel="noopener noreferrer">mail</a>',
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        "<blockquote><p>quoted</p></blockquote>",
    ]:
        assert fragment in html


def test_direct_model_saves_clean_every_languages_body():
    article = ArticleFactory(**{f"body_{code}": HOSTILE_BODY for code in language_codes()})
    article = Article.objects.get(pk=article.pk)
    for code in language_codes():
        assert_clean(getattr(article, f"body_{code}"))


def test_full_clean_cleans_bodies_and_bios_before_any_save():
    article = ArticleFactory.build(
        section=ArticleFactory().section, **{f"body_{c}": HOSTILE_BODY for c in language_codes()}
    )
    author = AuthorFactory.build(**{f"long_bio_{c}": HOSTILE_BODY for c in language_codes()})
    article.full_clean(exclude=["slug"])
    author.full_clean(exclude=["slug"])
    for code in language_codes():
        assert_clean(getattr(article, f"body_{code}"))
        assert_clean(getattr(author, f"long_bio_{code}"))


def test_direct_model_saves_clean_every_languages_long_bio():
    author = AuthorFactory(**{f"long_bio_{code}": HOSTILE_BODY for code in language_codes()})
    author = Author.objects.get(pk=author.pk)
    for code in language_codes():
        assert_clean(getattr(author, f"long_bio_{code}"))


def test_a_post_bypassing_the_editor_is_cleaned_in_every_language(client, editor):
    article = ArticleFactory(translated=True)
    client.force_login(editor)
    bodies = {f"body_{code}": HOSTILE_BODY for code in language_codes()}
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(article, **bodies),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    for code in language_codes():
        assert_clean(getattr(article, f"body_{code}"))


def test_an_author_bio_posted_through_the_admin_is_cleaned(client, editor):
    author = AuthorFactory()
    client.force_login(editor)
    data = {"name_en": author.name_en, "slug": author.slug}
    data.update({f"long_bio_{code}": HOSTILE_BODY for code in language_codes()})
    response = client.post(reverse("admin:authors_author_change", args=[author.pk]), data)
    assert response.status_code == 302
    author.refresh_from_db()
    for code in language_codes():
        assert_clean(getattr(author, f"long_bio_{code}"))


def test_every_language_tab_has_the_editor_and_its_script_carries_the_csp_nonce(client, editor):
    article = ArticleFactory(translated=True)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    for code in language_codes():
        assert re.search(rf'<textarea[^>]*name="body_{code}"[^>]*data-django-prose-editor', html)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert "django_prose_editor/editor.js" in html
    assert "cdn" not in html.lower()


def test_the_editor_shows_word_count_and_reading_time_per_language(client, editor):
    words = " ".join(["word"] * 460)
    article = ArticleFactory(body_en=f"<p>{words}</p>", body_fr="<p>un deux trois</p>")
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "EN: 460 words · 2 min read" in html.decode()
    assert "FR: 3 words · 1 min read" in html.decode()
    assert article.reading_minutes("ru") == 0


@pytest.mark.parametrize("attribute", ["title", "hreflang", "href"])
def test_stored_links_never_keep_an_empty_attribute(attribute):
    """The editor's link dialog sends `title=""` when left blank; the body keeps none."""
    article = ArticleFactory(
        body_en=f'<p><a href="https://example.org/" {attribute}="">the report</a> read it</p>'
    )
    article.refresh_from_db()
    assert f'{attribute}=""' not in article.body_en
    assert "the report</a> read it" in article.body_en
