"""No stored text holds a character XML cannot carry, nor a bidirectional override, whatever
the write path; and rows that hold them from before (or from `QuerySet.update()`) never take
a feed down."""

import os
import xml.etree.ElementTree as ET
from io import StringIO

import feedparser
import pytest
from django.conf import settings
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation
from django.utils.xmlutils import SimplerXMLGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from modeltranslation.translator import NotRegistered, translator

from articles.models import Article, Section, Topic
from authors.models import Author
from newsroom.characters import remove_unsafe_characters, text_field_names
from newsroom.notices.models import SiteNotice
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory
from tests.html_forms import form_values

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Every class of character that must go, each in full (surrogates sampled: they are 2,048).
UNSAFE = {
    "C0 controls": "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"),
    "DEL and C1 controls": "".join(chr(c) for c in range(0x7F, 0xA0)),
    "bidi embeddings and overrides": "\u202a\u202b\u202c\u202d\u202e",
    "bidi isolates": "\u2066\u2067\u2068\u2069",
    "lone surrogates": "\ud800\udbff\udc00\udfff",
    "non-characters": "\ufffe\uffff",
}
ALL_UNSAFE = "".join(UNSAFE.values())


def is_unsafe(character):
    return character in ALL_UNSAFE or 0xD800 <= ord(character) <= 0xDFFF


# What must stay: whitespace XML carries, marks that cannot reorder their neighbours,
# right-to-left scripts, accents, emoji sequences.
KEPT = "\t\n\r\u200e\u200f\u061c\u00a0 שלום سلام é 👩🏽‍💻"

fuzz = hypothesis_settings(
    max_examples=300,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@fuzz
@given(st.text(alphabet=st.sampled_from(ALL_UNSAFE + KEPT + "a<&>\"'") | st.characters()))
def test_cleaned_text_is_exactly_the_safe_characters_and_always_makes_xml(text):
    cleaned = remove_unsafe_characters(text)
    assert cleaned == "".join(character for character in text if not is_unsafe(character))
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8")
    xml.addQuickElement("t", cleaned, {"a": cleaned})
    element = ET.fromstring(out.getvalue())
    assert element.get("a") == cleaned
    # A parser reads a carriage return in text back as a line feed.
    assert (element.text or "") == cleaned.replace("\r\n", "\n").replace("\r", "\n")


def editable_text_fields(model):
    """Every text column, each language's, but those restricted to a few choices."""
    try:
        originals = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        originals = {}
    return [
        name
        for name in text_field_names(model)
        if not model._meta.get_field(name).choices and name not in originals
    ]


FACTORIES = {
    Article: lambda: ArticleFactory(translated=True),
    Author: AuthorFactory,
    Section: SectionFactory,
    Topic: TopicFactory,
    SiteNotice: lambda: SiteNotice.objects.create(message="Maintenance tonight"),
}
# Bodies and long bios are HTML: the sanitizer also rewrites what it keeps.
HTML_FIELDS = {f"{field}_{code}" for field in ("body", "long_bio") for code in LANGUAGES}


@pytest.mark.django_db
@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_saving_removes_every_unsafe_character_from_every_text_field(model):
    obj = FACTORIES[model]()
    fields = editable_text_fields(model)
    assert len(fields) >= 2
    for position, name in enumerate(fields):
        setattr(obj, name, f"{position}a{ALL_UNSAFE}b{KEPT}")
    obj.save()
    stored = model.objects.values(*fields).get(pk=obj.pk)
    for position, name in enumerate(fields):
        assert not set(stored[name]) & set(ALL_UNSAFE), name
        if name not in HTML_FIELDS:
            assert stored[name] == f"{position}ab{KEPT}", name


@pytest.fixture
def article():
    return ArticleFactory(translated=True)


@pytest.mark.django_db
@hypothesis_settings(fuzz, max_examples=60)
@given(st.lists(st.text(alphabet=st.sampled_from(ALL_UNSAFE + KEPT + "ab<&"), max_size=30)))
def test_any_mix_typed_in_any_article_field_is_stored_without_them(article, texts):
    fields = editable_text_fields(Article)
    typed = {name: texts[i % len(texts)] if texts else "" for i, name in enumerate(fields)}
    for name, text in typed.items():
        setattr(article, name, text)
    article.save()
    stored = Article.objects.values(*fields).get(pk=article.pk)
    for name, text in typed.items():
        assert not [c for c in stored[name] if is_unsafe(c)], name
        if name not in HTML_FIELDS and not name.startswith("slug_"):
            assert stored[name] == "".join(c for c in text if not is_unsafe(c)), name


@pytest.mark.django_db
def test_validation_removes_them_before_lengths_are_checked():
    section = SectionFactory.build(**{f"name_{code}": "a" * 79 + ALL_UNSAFE for code in LANGUAGES})
    section.full_clean()
    assert [getattr(section, f"name_{code}") for code in LANGUAGES] == ["a" * 79] * len(LANGUAGES)


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def submitted_form(client, url):
    """What the form at `url` submits when the editor changes nothing."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return form_values(html[html.index('id="content"') :])


def form_errors(response):
    forms = [response.context.get("adminform"), response.context.get("form")]
    return [form.errors for form in forms if form is not None and form.errors]


ADMIN_FORMS = {
    "article": lambda obj: reverse("admin:articles_article_change", args=[obj.pk]),
    "translator's page": lambda obj: reverse(
        "admin:articles_article_translation", args=[obj.pk, "fr"]
    ),
    "author": lambda obj: reverse("admin:authors_author_change", args=[obj.pk]),
    "section": lambda obj: reverse("admin:articles_section_change", args=[obj.pk]),
    "topic": lambda obj: reverse("admin:articles_topic_change", args=[obj.pk]),
    "site notice": lambda obj: reverse("admin:notices_sitenotice_change", args=[obj.pk]),
}
ADMIN_MODELS = {
    "article": Article,
    "translator's page": Article,
    "author": Author,
    "section": Section,
    "topic": Topic,
    "site notice": SiteNotice,
}
CHECKED_FIELDS = (models.URLField, models.EmailField, models.SlugField)
# Text typed in forms: no surrogate can be sent, and fields checked as URLs, addresses or
# slugs refuse what they do not accept with their own message.
TYPED_CLASSES = {name: chars for name, chars in UNSAFE.items() if name != "lone surrogates"}


@pytest.mark.django_db
@pytest.mark.parametrize("form", ADMIN_FORMS)
@pytest.mark.parametrize("characters", TYPED_CLASSES, ids=str)
def test_admin_forms_store_pasted_text_without_them(editor_client, form, characters):
    model = ADMIN_MODELS[form]
    obj = FACTORIES[model]()
    url = ADMIN_FORMS[form](obj)
    data = submitted_form(editor_client, url)
    typed = TYPED_CLASSES[characters].replace("\x00", "")
    changed = [
        name
        for name in editable_text_fields(model)
        if name in data and not isinstance(model._meta.get_field(name), CHECKED_FIELDS)
    ]
    assert changed, data
    for name in changed:
        data[name] = f"Pasted{typed}text"
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    stored = model.objects.values(*changed).get(pk=obj.pk)
    for name in changed:
        assert stored[name] == "Pastedtext", name


@pytest.mark.django_db
def test_a_nul_typed_in_a_form_is_a_form_error(editor_client):
    section = SectionFactory()
    url = reverse("admin:articles_section_change", args=[section.pk])
    data = submitted_form(editor_client, url)
    data["description_en"] = "Pasted\x00text"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.django_db
def test_feeds_never_fail_on_rows_that_still_hold_them(client):
    """Rows written before the cleaning, or by `QuerySet.update()` or SQL, which skip it."""
    section, topic = SectionFactory(), TopicFactory()
    author = AuthorFactory()
    article = ArticleFactory(translated=True, section=section, topics=[topic], authors=[author])
    # No database stores a NUL (PostgreSQL) or a lone surrogate (they cannot be encoded).
    typed = "".join(TYPED_CLASSES.values()).replace("\x00", "")
    Article.objects.filter(pk=article.pk).update(
        **{
            f"{field}_{code}": f"{field} {code}{typed}."
            for field in ("title", "standfirst", "body", "image_caption")
            for code in LANGUAGES
        }
    )
    Section.objects.update(
        **{
            f"{field}_{code}": f"S{typed}"
            for field in ("name", "description")
            for code in LANGUAGES
        }
    )
    Topic.objects.update(name_en=f"T{typed}", description_fr=f"T{typed}")
    Author.objects.update(name_en=f"A{typed}", short_bio_ru=f"A{typed}", short_bio_en=f"A{typed}")
    for code in LANGUAGES:
        with translation.override(code):
            urls = [
                reverse(f"{prefix}{kind}", kwargs=kwargs)
                for kind in ("rss", "atom")
                for prefix, kwargs in [
                    ("articles:", {}),
                    ("articles:section-", {"slug": section.slug_in()}),
                    ("articles:topic-", {"slug": topic.slug_in()}),
                    ("authors:", {"slug": author.slug}),
                ]
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            feed = feedparser.parse(response.content)
            assert not feed.bozo, (url, feed.bozo_exception)
            entry = feed.entries[0]
            assert entry.title == f"title {code}.", url
            assert entry.summary == f"standfirst {code}.", url
            texts = [feed.feed.title, feed.feed.subtitle, entry.author, entry.content[0].value]
            assert not [c for text in texts for c in text if is_unsafe(c)], url


BIDI_CONTROLS = UNSAFE["bidi embeddings and overrides"] + UNSAFE["bidi isolates"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_title_or_name_can_reverse_the_text_around_it_on_any_page(client, language):
    """U+202E in a title would show the byline after it backwards; right-to-left text and
    the marks that cannot reorder their neighbours still read as typed."""
    rtl = "שלום \u200fسلام\u200f"
    section = SectionFactory(**{f"name_{code}": f"S\u202e{rtl}" for code in LANGUAGES})
    topic = TopicFactory(**{f"name_{code}": f"T\u2067{rtl}\u2069" for code in LANGUAGES})
    author = AuthorFactory(
        **{f"name_{code}": f"Writer\u202d {rtl}" for code in LANGUAGES},
        **{f"role_{code}": f"Role\u202b {rtl}" for code in LANGUAGES},
    )
    article = ArticleFactory(
        translated=True,
        section=section,
        topics=[topic],
        authors=[author],
        **{f"title_{code}": f"Title {code} \u202e{rtl}" for code in LANGUAGES},
        **{f"standfirst_{code}": f"\u202aStandfirst {rtl}\u202c" for code in LANGUAGES},
    )
    with translation.override(language):
        urls = [
            reverse("articles:home"),
            article.get_absolute_url(),
            section.get_absolute_url(),
            topic.get_absolute_url(),
            author.get_absolute_url(),
            reverse("authors:list"),
            reverse("articles:archive-year", args=[article.published_at.year]),
            reverse("articles:search") + f"?q={article.title_in(language)[:5]}",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not set(html) & set(BIDI_CONTROLS), url
        assert rtl in html, url
    assert article.title_in(language) == f"Title {language} {rtl}"


@pytest.mark.django_db(transaction=True)
def test_upgrading_cleans_the_rows_saved_before():
    before = [
        ("articles", "0011_release_time_indexes"),
        ("authors", "0002_photo_renditions"),
        ("notices", "0001_initial"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    typed = "".join(TYPED_CLASSES.values()).replace("\x00", "")
    section = old.get_model("articles", "Section").objects.create(
        name=f"S{typed}", name_en=f"S{typed}", description_fr=f"D{typed}"
    )
    old.get_model("articles", "Article").objects.create(
        section=section, title_en=f"T{typed}", body_ru=f"<p>B{typed}</p>"
    )
    old.get_model("authors", "Author").objects.create(slug="a", name_en=f"A{typed}")
    old.get_model("notices", "SiteNotice").objects.create(message_en=f"N{typed}")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Section.objects.values_list("name_en", "description_fr").get() == ("S", "D")
    assert Article.objects.values_list("title_en", "body_ru").get() == ("T", "<p>B</p>")
    assert Author.objects.get().name_en == "A"
    assert SiteNotice.objects.get().message_en == "N"
