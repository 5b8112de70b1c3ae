"""A translation remembers the original it was made from and is flagged when that changes."""

import pytest

from articles.diffs import plain_text, text_changes
from articles.models import Article, OriginalText, TranslationState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def states(article):
    return {code: article.translation_state(code) for code in ["en", "fr", "ru"]}


def sql_states(article):
    annotated = Article.objects.with_translation_states().get(pk=article.pk)
    return {code: getattr(annotated, f"state_{code}") for code in ["en", "fr", "ru"]}


def test_new_translations_are_confirmed_against_the_current_original():
    article = ArticleFactory(translated=True)
    assert article.original_version == 1
    assert (article.translated_from_fr, article.translated_from_ru) == (1, 1)
    assert OriginalText.objects.get(article=article).title == article.title_en
    assert states(article) == dict.fromkeys(["en", "fr", "ru"], TranslationState.READY)


@pytest.mark.parametrize("field", ["title_en", "standfirst_en", "body_en"])
def test_changing_the_original_text_flags_every_translation_outdated(field):
    article = ArticleFactory(translated=True)
    setattr(article, field, "<p>Rewritten.</p>" if field == "body_en" else "Rewritten")
    article.save()
    assert article.original_version == 2
    expected = {
        "en": TranslationState.READY,
        "fr": TranslationState.OUTDATED,
        "ru": TranslationState.OUTDATED,
    }
    assert states(article) == expected
    assert sql_states(article) == expected


def test_the_translated_text_stays_published_while_outdated():
    article = ArticleFactory(translated=True)
    article.body_en = "<p>A new paragraph.</p>"
    article.save()
    article.refresh_from_db()
    assert article.title_fr.endswith("(FR)") and article.ready_fr
    assert article.is_live("fr")


def test_other_edits_do_not_flag_translations():
    article = ArticleFactory(translated=True)
    article.seo_title_en = "Another SEO title"
    article.status = Article.Status.PUBLISHED
    article.title_fr = "Titre corrigé"
    article.save()
    assert article.original_version == 1
    assert states(article)["fr"] == TranslationState.READY


def test_no_translation_impact_save_flags_nothing_and_corrects_the_recorded_original():
    article = ArticleFactory(translated=True, title_en="Teh grain corridor")
    article.title_en = "The grain corridor"
    article.save(translation_impact=False)
    assert article.original_version == 1
    assert states(article)["fr"] == TranslationState.READY
    assert OriginalText.objects.get(article=article, version=1).title == "The grain corridor"
    # A later real change is measured from the corrected text.
    article.title_en = "The grain corridor reopens"
    article.save()
    changes = text_changes(
        OriginalText.objects.get(article=article, version=1).text(), article.original_text()
    )
    inserted = [s.text for c in changes for s in c.segments if s.kind == "insert"]
    assert inserted == [" reopens"]


def test_confirming_clears_the_flag_for_that_language_only():
    article = ArticleFactory(translated=True)
    article.title_en = "A new angle"
    article.save()
    article.confirm_translation("fr")
    article.refresh_from_db()
    assert states(article)["fr"] == TranslationState.READY
    assert states(article)["ru"] == TranslationState.OUTDATED
    assert sql_states(article)["fr"] == TranslationState.READY


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, TranslationState.MISSING),
        ({"title_fr": "Titre"}, TranslationState.IN_PROGRESS),
        ({"standfirst_fr": "Chapeau seul"}, TranslationState.IN_PROGRESS),
        ({"title_fr": "Titre", "body_fr": "<p>Corps</p>"}, TranslationState.IN_PROGRESS),
        (
            {"title_fr": "Titre", "body_fr": "<p>Corps</p>", "ready_fr": True},
            TranslationState.READY,
        ),
    ],
    ids=["missing", "title-only", "standfirst-only", "complete-not-ready", "ready"],
)
@pytest.mark.parametrize("outdated", [False, True], ids=["current", "original-changed"])
def test_every_state_in_python_and_sql(fields, expected, outdated):
    article = ArticleFactory(**fields)
    if outdated:
        article.body_en = "<p>Changed.</p>"
        article.save()
        if expected != TranslationState.MISSING:
            expected = TranslationState.OUTDATED
    assert article.translation_state("fr") == expected
    assert sql_states(article)["fr"] == expected
    assert article.translation_state("en") == TranslationState.READY


def test_the_original_language_is_never_outdated():
    article = ArticleFactory(
        translated=True, original_language="fr", title_fr="Le titre d’origine", ready_fr=True
    )
    article.title_fr = "Le titre d’origine, revu"
    article.save()
    assert states(article) == {
        "en": TranslationState.OUTDATED,
        "fr": TranslationState.READY,
        "ru": TranslationState.OUTDATED,
    }


def test_a_translation_started_later_is_made_from_the_original_of_that_time():
    article = ArticleFactory()
    article.body_en = "<p>Second version.</p>"
    article.save()
    article.title_ru = "Перевод"
    article.save()
    assert article.translated_from_ru == 2
    assert article.translation_state("ru") == TranslationState.IN_PROGRESS


def test_totals_count_each_language_state_once():
    ArticleFactory(translated=True)
    changed = ArticleFactory(translated=True)
    changed.title_en = "Changed"
    changed.save()
    ArticleFactory(title_fr="Brouillon")
    assert Article.objects.translation_totals()["fr"] == {
        TranslationState.MISSING: 0,
        TranslationState.IN_PROGRESS: 1,
        TranslationState.OUTDATED: 1,
        TranslationState.READY: 1,
    }
    assert Article.objects.translation_totals()["en"][TranslationState.READY] == 3
    assert list(Article.objects.with_outdated_translation()) == [changed]


def test_the_diff_reads_body_paragraphs_as_text():
    assert plain_text("<p>One &amp; two</p><h2>Sub</h2><ul><li>a</li></ul>") == "One & two\nSub\na"
    old = {"title": "Grain deal", "standfirst": "", "body": "<p>Ships sail.</p>"}
    new = {"title": "Grain deal", "standfirst": "", "body": "<p>Ships sail again.</p>"}
    body = [change for change in text_changes(old, new) if change.changed]
    assert [change.field for change in body] == ["body"]
    assert [(s.kind, s.text) for s in body[0].segments] == [
        ("equal", "Ships sail"),
        ("insert", " again"),
        ("equal", "."),
    ]


def test_the_diff_keeps_only_the_paragraphs_around_a_change():
    paragraphs = [f"<p>Paragraph {n}.</p>" for n in range(1, 9)]
    old = {"body": "".join(paragraphs)}
    paragraphs[4] = "<p>Paragraph 5, revised.</p>"
    (_title, _standfirst, body) = text_changes(old, {"body": "".join(paragraphs)})
    text = "".join(
        f"[+{s.text}]" if s.kind == "insert" else f"[-{s.text}]" if s.kind == "delete" else s.text
        for s in body.segments
    )
    assert text == "…\nParagraph 5[+, revised].\n…"
