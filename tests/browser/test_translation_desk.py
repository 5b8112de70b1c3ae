"""In real Chromium: a translator fixes a stale French translation from the matrix, and an
editor links to another article from a body."""

import pytest
from django.urls import reverse

from articles.models import Article, TranslationState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


TRANSLATION_EDITOR_READY = """() => {
    const dom = document.querySelector(".translation-form [contenteditable=true]");
    return Boolean(dom && dom.editor && dom.editor.isEditable);
}"""


def test_translator_fixes_a_stale_french_translation_from_the_matrix(signed_in, live_server):
    page = signed_in
    article = ArticleFactory(translated=True, title_en="Ports and power")
    article.body_en = "<p>The body.</p><h2>A subheading</h2><p>More body, and a new fact.</p>"
    article.save()

    page.goto(live_server.url + reverse("admin:articles_translationmatrix_changelist"))
    assert "French: 0 missing, 0 in progress, 1 outdated, 0 ready" in page.inner_text(
        ".translation-totals"
    )
    page.locator("a.translation-state.translation-outdated").first.click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/translation/*/")
    assert page.inner_text(".word-diff ins") == ", and a new fact"

    language = page.url.rstrip("/").rsplit("/", 1)[1]
    # The body is the article form's rich text editor: a new paragraph stays one.
    page.wait_for_function(TRANSLATION_EDITOR_READY)
    # What Enter does, through the editor itself: typed keys are sometimes lost in headless
    # Chromium on a busy machine, and typing is not under test.
    page.evaluate(
        """() => document.querySelector(".translation-form [contenteditable=true]").editor
            .chain().focus("end").splitBlock().insertContent("Un fait nouveau.").run()"""
    )
    page.get_by_role("button", name="Save and confirm up to date").click()
    page.wait_for_load_state()
    assert "translation saved and confirmed up to date" in page.inner_text(".messagelist")

    article.refresh_from_db()
    assert article.translation_state(language) == TranslationState.READY
    assert getattr(article, f"body_{language}").endswith("<p>Un fait nouveau.</p>")


EDITOR_READY = """() => {
    const dom = document.querySelector("#tab_id_body_en [contenteditable=true]");
    return Boolean(dom && dom.editor && dom.editor.isEditable);
}"""
SELECT_TEXT = """(text) => {
    const editor = document.querySelector("#tab_id_body_en [contenteditable=true]").editor;
    const from = editor.state.doc.textContent.indexOf(text) + 1;
    editor.chain().focus().setTextSelection({ from, to: from + text.length }).run();
}"""
EDITOR_SELECTS = """(text) => {
    const editor = document.querySelector("#tab_id_body_en [contenteditable=true]").editor;
    const { from, to } = editor.state.selection;
    return editor.state.doc.textBetween(from, to) === text;
}"""


def test_editor_links_to_another_article_by_searching_its_title(signed_in, live_server):
    page = signed_in
    target = ArticleFactory(translated=True, title_en="Grain deal", title_fr="Accord céréalier")
    article = ArticleFactory(title_en="Host story", body_en="<p>Context.</p>")

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    editor = page.locator("#tab_id_body_en [contenteditable=true]")
    page.wait_for_function(EDITOR_READY)
    editor.click()
    # Select the word through the editor itself: typed Shift+Arrow keys were sometimes lost
    # in headless Chromium on a busy machine, and how text gets selected is not under test.
    page.evaluate(SELECT_TEXT, "Context")
    page.wait_for_function(EDITOR_SELECTS, arg="Context")
    search = page.locator("#tab_id_body_en .article-link-search input")
    search.fill("céréalier")
    page.get_by_role("button", name="Grain deal — EN FR RU").click()
    assert editor.locator("a").inner_text() == "Context"

    page.locator("input[name=_save]").click()
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))
    stored = Article.objects.get(pk=article.pk).body_en
    assert f'href="/article/{target.pk}/"' in stored
    page.goto(live_server.url + article.get_absolute_url("en"))
    link = page.locator(".article__body a")
    assert link.get_attribute("href") == target.get_absolute_url("en")
