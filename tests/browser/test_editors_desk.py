"""An editor's whole job in real Chromium: write in the rich text editor, translate in the
French tab, publish; a reader then finds the article at its French address."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from articles.models import Article
from tests.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long and unguessable passphrase"


def pick(page, select_id, text):
    """Choose `text` in the admin's autocomplete (select2) widget for `select_id`."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


PASTE = """(editor, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
}"""


def write(page, paragraphs):
    """Type into the visible rich text editor; "## " starts a subheading, URLs are pasted
    (a pasted URL becomes a link)."""
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    for index, paragraph in enumerate(paragraphs):
        if index:
            page.keyboard.press("Enter")
        for word in re.split(r"(https://\S+)", paragraph):
            if word.startswith("https://"):
                editor.evaluate(PASTE, word)
            else:
                page.keyboard.type(word)


def test_an_editor_writes_translates_and_publishes_and_a_reader_sees_the_french_page(
    live_server, page, browser
):
    call_command("setup_roles", stdout=StringIO())
    editor = User.objects.create_user("desk-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    SectionFactory(name_en="Politics")
    AuthorFactory(name_en="Ada Lovelace")

    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "desk-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_add"))

    page.fill("#id_title_en", "Ports and power")
    write(
        page,
        [
            "The Black Sea ports decide more than grain prices.",
            "## Who insures the ships",
            "Read the report at https://example.org/report today.",
        ],
    )
    page.check("#id_ready_en")
    for field in ["title", "body", "ready"]:
        page.locator(f"a.ui-tabs-anchor[href='#tab_id_{field}_fr']").click()
    page.fill("#id_title_fr", "Ports et pouvoir")
    write(
        page,
        [
            "Les ports de la mer Noire décident de plus que le prix du grain.",
            "## Qui assure les navires",
            "Lire le rapport sur https://example.org/rapport aujourd’hui.",
        ],
    )
    page.check("#id_ready_fr")
    pick(page, "id_section", "Politics")
    pick(page, "id_bylines-0-author", "Ada Lovelace")
    page.click("input[name=_continue]")

    article = Article.objects.get(title_en="Ports and power")
    assert violations == []
    assert "<h2>Who insures the ships</h2>" in article.body_en
    assert '<a href="https://example.org/rapport"' in article.body_fr
    assert article.status == Article.Status.DRAFT

    page.get_by_role("link", name="Publish now").click()
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    article.refresh_from_db()
    assert article.is_live("fr")

    reader = browser.new_context(locale="fr-FR").new_page()
    reader.goto(live_server.url + article.get_absolute_url("fr"))
    assert reader.locator("h1").inner_text() == "Ports et pouvoir"
    assert reader.locator(".article__body h2").inner_text() == "Qui assure les navires"
    link = reader.locator(".article__body a")
    assert link.get_attribute("href") == "https://example.org/rapport"
    reader.context.close()
