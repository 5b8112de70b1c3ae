"""Site pages (About, Contact, Privacy...): the second kind of content, published through the
same rules as articles: one visibility rule, per-language readiness and slugs, the
sanitizer, the workflow, revisions, redirects, sitemaps and the page cache."""

from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import revisions, services
from newsroom.permalinks.models import Redirect
from pages.models import Page, PageEvent
from tests.desk.conftest import author, desk_roles, editor  # noqa: F401 (fixtures)
from tests.factories import ArticleFactory, PageFactory

pytestmark = pytest.mark.django_db

SITEMAP = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def footer_titles(client, url="/en/"):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    return [page.title_en for page in Page.objects.all() if page.title_en in footer]


def test_a_page_has_an_address_per_ready_language_with_its_switcher(client):
    page = PageFactory(title_en="About us", fr=True, title_fr="Qui sommes-nous")

    english = page.get_absolute_url("en")
    french = page.get_absolute_url("fr")
    assert (english, french) == ("/en/pages/about-us/", "/fr/pages/qui-sommes-nous/")
    for url in (english, french):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'href="{english}"' in html and f'href="{french}"' in html
        assert 'rel="canonical"' in html


def test_a_language_not_ready_says_where_the_page_is(client):
    page = PageFactory(title_en="Contact", title_fr="Contact (FR)", body_fr="<p>Texte.</p>")

    assert client.get(page.get_absolute_url("en")).status_code == 200
    # The French version exists but is not released: its address is unknown.
    assert client.get("/fr/pages/contact-fr/").status_code == 404
    response = client.get("/fr/pages/contact/")
    assert response.status_code == 404
    assert page.get_absolute_url("en") in response.content.decode()


@pytest.mark.parametrize(
    "unpublished",
    [
        {"status": Page.Status.DRAFT},
        {"status": Page.Status.REVIEW},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"ready_en": False},
        {"release_at_en": timezone.now() + timedelta(days=1)},
    ],
)
def test_nothing_unpublished_is_shown_anywhere(client, unpublished):
    page = PageFactory(title_en="Editorial policy", **unpublished)
    ArticleFactory()

    assert client.get("/en/pages/editorial-policy/").status_code == 404
    assert footer_titles(client) == []
    for url in ("/sitemap.xml", "/sitemap-pages.xml", "/en/rss/", "/en/search/?q=policy"):
        assert "editorial-policy" not in client.get(url).content.decode(), url
    Redirect.objects.point(page, "en", "/editorial-policy/")
    assert client.get("/editorial-policy/").status_code == 404


def test_the_footer_lists_the_live_pages_an_editor_chose_in_their_order(client):
    PageFactory(title_en="Privacy", footer_position=2)
    PageFactory(title_en="About", footer_position=1)
    PageFactory(title_en="Imprint", in_footer=False)
    PageFactory(title_en="Jobs", status=Page.Status.DRAFT)

    html = client.get("/en/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/en/pages/about/">About</a>' in footer
    assert footer.index("About") < footer.index("Privacy")
    assert "Imprint" not in footer and "Jobs" not in footer
    # A language the page is not ready in lists it not.
    assert "About" not in client.get("/fr/").content.decode()


def test_the_sitemap_lists_each_released_version_with_hreflang(client):
    page = PageFactory(title_en="About", fr=True)
    PageFactory(title_en="Draft", status=Page.Status.DRAFT)

    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-pages.xml" in index
    root = ElementTree.fromstring(client.get("/sitemap-pages.xml").content)
    entries = {
        node.findtext("s:loc", namespaces=SITEMAP): {
            link.get("hreflang"): link.get("href") for link in node.findall("xhtml:link", SITEMAP)
        }
        for node in root.findall("s:url", SITEMAP)
    }
    english = "http://testserver" + page.get_absolute_url("en")
    french = "http://testserver" + page.get_absolute_url("fr")
    assert set(entries) == {english, french}
    assert entries[english] == {"en": english, "fr": french, "x-default": english}


def test_bodies_are_sanitized_and_slugs_filled_per_language():
    page = PageFactory(
        title_en="Terms", body_en='<p onclick="x()">Read.</p><script>alert(1)</script>'
    )

    page.refresh_from_db()
    assert page.body_en == "<p>Read.</p>"
    assert page.slug_en == "terms"
    assert page.slug_fr is None
    # A second page of the same title gets an address of its own.
    assert PageFactory(title_en="Terms").slug_en == "terms-2"


def test_without_a_body_a_language_is_not_ready():
    page = PageFactory(title_en="Empty", body_en="")

    assert page.ready_en is False
    assert not Page.objects.live("en").filter(pk=page.pk).exists()


def test_the_workflow_and_its_history_are_the_articles(editor, author):  # noqa: F811
    page = PageFactory(title_en="About", status=Page.Status.DRAFT, published_at=None)

    with pytest.raises(PermissionDenied):
        services.publish(page, by=author)
    services.publish(page, by=editor)
    assert page.is_live("en")
    services.unpublish(page, by=editor)
    assert not Page.objects.live("en").exists()
    later = timezone.now() + timedelta(hours=2)
    services.schedule(page, by=editor, at=later)
    assert page.is_scheduled
    assert list(PageEvent.objects.filter(page=page).values_list("action", flat=True)) == [
        "scheduled",
        "unpublished",
        "published",
    ]


def test_revisions_restore_a_page_text(editor):  # noqa: F811
    page = PageFactory(title_en="About", body_en="<p>First words.</p>")
    revisions.save_revision(page, by=editor)
    first = revisions.revisions_of(page).get()
    page.body_en = "<p>Second words.</p>"
    page.save()
    revisions.save_revision(page, by=editor)

    revisions.restore(page, first, by=editor)

    page.refresh_from_db()
    assert page.body_en == "<p>First words.</p>"
    assert page.events.filter(action="restored").exists()


def test_a_changed_slug_leaves_a_redirect(client):
    page = PageFactory(title_en="About")
    Redirect.objects.point(page, "en", "/about-us/")

    page.slug_en = "who-we-are"
    page.save()

    response = client.get("/about-us/")
    assert response.status_code == 301
    assert response["Location"] == "/en/pages/who-we-are/"


def test_cached_pages_follow_a_page_change(client):
    page = PageFactory(title_en="About", body_en="<p>Old text.</p>")
    client.get("/en/")
    client.get(page.get_absolute_url())

    page.title_en = "About the newsroom"
    page.body_en = "<p>New text.</p>"
    page.save()

    assert "About the newsroom" in client.get("/en/").content.decode()
    assert "New text." in client.get(page.get_absolute_url()).content.decode()


def test_a_scheduled_page_appears_in_cached_footers_when_it_goes_live(client):
    moment = timezone.now() + timedelta(hours=1)
    PageFactory(title_en="Press", published_at=moment)
    assert "Press" not in client.get("/en/").content.decode()

    with time_machine.travel(moment + timedelta(seconds=1)):
        assert '<a href="/en/pages/press/">Press</a>' in client.get("/en/").content.decode()


def test_an_editor_writes_and_previews_a_page_on_the_desk(client, editor):  # noqa: F811
    client.force_login(editor)
    page = PageFactory(title_en="About", status=Page.Status.DRAFT, published_at=None)

    change = client.get(reverse("admin:pages_page_change", args=[page.pk]))
    assert change.status_code == 200
    assert "prose-editor" in change.content.decode()
    preview = client.get(reverse("admin:pages_page_preview", args=[page.pk, "en"]))
    assert preview.status_code == 200
    assert "What this page says." in preview.content.decode()
    publish = reverse("admin:pages_page_transition", args=[page.pk, "publish"])
    assert client.post(publish).status_code == 302
    page.refresh_from_db()
    assert page.is_live("en")


def test_the_desk_lists_scheduled_pages_apart(client, editor):  # noqa: F811
    client.force_login(editor)
    PageFactory(title_en="Press kit", published_at=timezone.now() + timedelta(days=1))
    PageFactory(title_en="About")

    listed = client.get(reverse("admin:pages_page_changelist"), {"status__exact": "scheduled"})
    assert listed.status_code == 200
    html = listed.content.decode()
    assert "Press kit" in html and "About" not in html


@pytest.mark.parametrize(
    ("language", "actions", "done"),
    [
        (
            "en",
            "Publish selected site pages now",
            ["2 site pages updated.", "1 site page updated."],
        ),
        (
            "fr",
            "Publier maintenant les pages du site sélectionné(e)s",
            ["Mise à jour : 2 pages du site."],
        ),
        ("ru", "Опубликовать выбранные страницы сайта сейчас", ["Обновлено (страницы сайта): 2."]),
    ],
)
def test_bulk_actions_on_site_pages_name_site_pages(client, editor, language, actions, done):  # noqa: F811
    client.force_login(editor)
    drafts = [
        PageFactory(title_en=title, status=Page.Status.DRAFT, published_at=None)
        for title in ("About", "Contact", "Press")
    ]
    url = reverse("admin:pages_page_changelist")
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    assert actions in client.get(url, **headers).content.decode()
    messages = []
    for chosen in (drafts[:2], drafts[2:]):
        response = client.post(
            url,
            {"action": "publish_selected", "_selected_action": [page.pk for page in chosen]},
            follow=True,
            **headers,
        )
        messages += [str(message) for message in response.context["messages"]]
    assert messages[: len(done)] == done
    assert "article" not in " ".join(messages) and "стат" not in " ".join(messages)


def test_publish_scheduled_records_a_scheduled_page_going_live_once(editor):  # noqa: F811
    page = PageFactory(title_en="Press kit", status=Page.Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(hours=1)
    services.schedule(page, by=editor, at=at)
    out = StringIO()
    with time_machine.travel(at + timedelta(seconds=1)):
        call_command("publish_scheduled", stdout=out)
        call_command("publish_scheduled", stdout=out)
    assert f"Published site page {page.pk} (all languages)" in out.getvalue()
    went_live = PageEvent.objects.filter(page=page, action=PageEvent.Action.WENT_LIVE)
    assert list(went_live.values_list("language", "published_at")) == [("", at)]
