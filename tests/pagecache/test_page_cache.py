"""Readers get cached pages; nothing stale, private or cookie-bearing is ever served from it."""

import gzip
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone, translation

from articles.models import Article, RelatedArticle
from articles.sitemaps import ArticleSitemap
from newsroom.pagecache import marks
from newsroom.pagecache.tags import mark_changed, tag_page
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory
from tests.html_forms import form_values
from tests.reading.test_sitemaps import article_sitemap_url

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def served_from_cache(django_assert_num_queries, settings):
    """Asserts a page comes from the cache: no query but the one that checks nothing it
    shows changed, where the change marks are in the database (pagecache/marks.py)."""
    queries = 0 if settings.NEWSROOM_CHANGE_MARKS_IN_CACHE else 1

    def check(client, url):
        with django_assert_num_queries(queries):
            return fetch(client, url)

    return check


@pytest.fixture
def site():
    """A small site whose every public page has been rendered once, so is in the cache."""
    parent = TopicFactory(name_en="Asia")
    topic = TopicFactory(name_en="Transcaucasia", parent=parent)
    author = AuthorFactory(name_en="Nina Ardent")
    section = SectionFactory(name_en="Energy")
    article = ArticleFactory(
        title_en="Pipelines and promises", section=section, topics=[topic], authors=[author]
    )
    neighbour = ArticleFactory(title_en="Grid of the future", section=section, topics=[topic])
    curating = ArticleFactory(title_en="An unrelated essay", related=[article])
    site = {
        "article": article,
        "neighbour": neighbour,
        "curating": curating,
        "author": author,
        "section": section,
        "topic": topic,
        "urls": [
            reverse("articles:home"),
            article.get_absolute_url(),
            neighbour.get_absolute_url(),
            curating.get_absolute_url(),
            section.get_absolute_url(),
            topic.get_absolute_url(),
            parent.get_absolute_url(),
            author.get_absolute_url(),
            reverse("authors:list"),
        ],
    }
    return site


def warm(client, urls):
    return {url: fetch(client, url) for url in urls}


def test_a_readers_second_visit_is_served_from_the_cache(client, site, served_from_cache):
    url = site["article"].get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert served_from_cache(client, url) == first.content.decode()


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_a_current_copy_gets_304_not_modified(client, site, validator):
    url = site["section"].get_absolute_url()
    first = client.get(url)
    header = {"ETag": "HTTP_IF_NONE_MATCH", "Last-Modified": "HTTP_IF_MODIFIED_SINCE"}
    for _cached in range(2):
        response = client.get(url, **{header[validator]: first[validator]})
        assert response.status_code == 304
        assert response.content == b""


def test_a_changed_page_no_longer_matches_the_readers_etag(client, site):
    url = site["article"].get_absolute_url()
    etag = client.get(url)["ETag"]
    site["article"].standfirst_en = "A new standfirst."
    site["article"].save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "A new standfirst." in response.content.decode()


def test_editing_an_article_refreshes_every_page_that_shows_it(client, site):
    article = site["article"]
    pages = warm(client, site["urls"])
    assert all("Pipelines and promises" in pages[url] for url in site["urls"][:-1])
    article.title_en = "Pipelines, revisited"
    article.save()
    for url in site["urls"][:-1]:
        html = fetch(client, url)
        assert "Pipelines, revisited" in html, url
        assert "Pipelines and promises" not in html, url


def test_unpublishing_removes_the_article_from_every_cached_page(client, site):
    article = site["article"]
    warm(client, site["urls"])
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in site["urls"]:
        if url != article.get_absolute_url() and url != site["author"].get_absolute_url():
            assert "Pipelines and promises" not in fetch(client, url), url
    # Its only author has nothing left to show in English.
    assert client.get(site["author"].get_absolute_url()).status_code == 404
    assert "Nina Ardent" not in fetch(client, reverse("authors:list"))


def test_publishing_a_draft_shows_it_on_every_page_that_lists_it(client, site):
    draft = ArticleFactory(
        title_en="Fresh from the desk",
        status=Article.Status.DRAFT,
        section=site["section"],
        topics=[site["topic"]],
        authors=[site["author"]],
    )
    warm(client, site["urls"])
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in [
        reverse("articles:home"),
        site["section"].get_absolute_url(),
        site["topic"].get_absolute_url(),
        site["topic"].parent.get_absolute_url(),
        site["author"].get_absolute_url(),
        site["neighbour"].get_absolute_url(),
    ]:
        assert "Fresh from the desk" in fetch(client, url), url


def test_feeds_and_sitemaps_are_cached_and_refreshed_on_publication(
    client, site, served_from_cache
):
    draft = ArticleFactory(title_en="Fresh from the desk", status=Article.Status.DRAFT)
    urls = [
        reverse("articles:rss"),
        reverse("articles:atom"),
        reverse("articles:news-sitemap"),
        article_sitemap_url(draft),
    ]
    for url in urls:
        assert "fresh-from-the-desk" not in fetch(client, url)
        served_from_cache(client, url)
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in urls:
        assert "fresh-from-the-desk" in fetch(client, url), url


def test_releasing_a_translation_refreshes_that_languages_pages(client, site):
    article = site["article"]
    with translation.override("fr"):
        home = reverse("articles:home")
    assert "Pipelines (FR)" not in fetch(client, home)
    article.title_fr, article.body_fr, article.ready_fr = "Pipelines (FR)", "<p>Texte.</p>", True
    article.save()
    assert "Pipelines (FR)" in fetch(client, home)


def test_a_scheduled_article_appears_on_time_with_no_one_saving_anything(client, site):
    publish_at = timezone.now() + timedelta(hours=2)
    ArticleFactory(title_en="Embargoed analysis", section=site["section"], published_at=publish_at)
    home, section = reverse("articles:home"), site["section"].get_absolute_url()
    assert "Embargoed analysis" not in fetch(client, home)
    assert "Embargoed analysis" not in fetch(client, section)
    with time_machine.travel(publish_at - timedelta(seconds=5)):
        assert "Embargoed analysis" not in fetch(client, home)
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert "Embargoed analysis" in fetch(client, home)
        assert "Embargoed analysis" in fetch(client, section)


def test_moving_an_article_refreshes_its_old_section(client, site):
    old_section = site["section"].get_absolute_url()
    assert "Pipelines and promises" in fetch(client, old_section)
    site["article"].section = SectionFactory(name_en="Economy")
    site["article"].save()
    assert "Pipelines and promises" not in fetch(client, old_section)


def test_changing_topics_refreshes_old_and_new_topic_pages(client, site):
    article, old_topic = site["article"], site["topic"]
    new_topic = TopicFactory(name_en="Arctic")
    warm(client, [old_topic.get_absolute_url(), new_topic.get_absolute_url()])
    article.topics.set([new_topic])
    assert "Pipelines and promises" not in fetch(client, old_topic.get_absolute_url())
    assert "Pipelines and promises" in fetch(client, new_topic.get_absolute_url())
    article.topics.clear()
    assert "Pipelines and promises" not in fetch(client, new_topic.get_absolute_url())


def test_byline_and_author_changes_refresh_the_pages_that_show_them(client, site):
    article, author = site["article"], site["author"]
    section_url = site["section"].get_absolute_url()
    warm(client, site["urls"])
    author.name_en = "Nina Ardent-Vale"
    author.save()
    for url in [article.get_absolute_url(), section_url, reverse("authors:list")]:
        assert "Nina Ardent-Vale" in fetch(client, url), url
    newcomer = AuthorFactory(name_en="Omar Quill")
    article.bylines.create(author=newcomer, position=1)
    assert "Omar Quill" in fetch(client, section_url)
    assert "Pipelines and promises" in fetch(client, newcomer.get_absolute_url())
    article.bylines.filter(author=newcomer).delete()
    assert "Omar Quill" not in fetch(client, section_url)


def test_curated_links_and_the_linked_articles_changes_refresh_the_linking_page(client, site):
    curating, neighbour = site["curating"], site["neighbour"]
    url = curating.get_absolute_url()
    assert "Grid of the future" not in fetch(client, url)
    RelatedArticle.objects.create(source=curating, target=neighbour, position=1)
    assert "Grid of the future" in fetch(client, url)
    neighbour.title_en = "Grid of tomorrow"
    neighbour.save()
    assert "Grid of tomorrow" in fetch(client, url)


def test_renaming_a_section_refreshes_the_navigation_everywhere(client, site):
    warm(client, site["urls"])
    site["section"].name_en = "Power and Energy"
    site["section"].save()
    for url in site["urls"]:
        assert "Power and Energy" in fetch(client, url), url


def test_deleting_an_article_removes_it_everywhere(client, site):
    warm(client, site["urls"])
    site["article"].delete()
    for url in [reverse("articles:home"), site["section"].get_absolute_url()]:
        assert "Pipelines and promises" not in fetch(client, url)
    assert "Pipelines and promises" not in fetch(client, site["curating"].get_absolute_url())


def test_a_change_leaves_pages_that_do_not_show_it_in_the_cache(client, site, served_from_cache):
    elsewhere = ArticleFactory(title_en="Elsewhere entirely")
    warm(client, [elsewhere.get_absolute_url(), elsewhere.section.get_absolute_url()])
    site["article"].title_en = "Pipelines, revisited"
    site["article"].save()
    served_from_cache(client, elsewhere.get_absolute_url())
    served_from_cache(client, elsewhere.section.get_absolute_url())


def test_pages_are_cached_per_language(client, site):
    article = ArticleFactory(translated=True, title_en="Bread prices")
    english = fetch(client, article.get_absolute_url("en"))
    french = fetch(client, article.get_absolute_url("fr"))
    assert "Bread prices (FR)" in french and "Bread prices (FR)" not in english
    assert '<html lang="fr">' in fetch(client, article.get_absolute_url("fr"))


def test_the_address_without_a_language_follows_each_reader_and_is_never_cached(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/fr/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Location"] == "/ru/"
    assert "Accept-Language" in response["Vary"]


def test_a_change_recorded_by_another_process_is_seen_at_once(client, site):
    """Stale marks live in the database, shared by every worker's local-memory cache."""
    url = site["article"].get_absolute_url()
    fetch(client, url)
    Article.objects.filter(pk=site["article"].pk).update(title_en="Changed elsewhere")
    assert "Changed elsewhere" not in fetch(client, url)
    mark_changed(f"articles.article:{site['article'].pk}:page")
    assert "Changed elsewhere" in fetch(client, url)


def test_a_change_is_marked_again_once_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        mark_changed("articles.article")
    assert len(callbacks) == 1
    before_commit = time.time_ns()
    callbacks[0]()
    assert not marks.unchanged_since(before_commit, ["articles.article"])


def test_every_mark_of_a_transaction_is_touched_again_in_one_write_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        mark_changed("articles.article")
        mark_changed("articles.article:1", "authors.author")
    assert len(callbacks) == 1
    before_commit = time.time_ns()
    callbacks[0]()
    for name in ["articles.article", "articles.article:1", "authors.author"]:
        assert not marks.unchanged_since(before_commit, [name])


def test_a_mark_after_a_rolled_back_savepoint_is_still_touched_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                mark_changed("articles.article:1")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        mark_changed("articles.article:2")
    before_commit = time.time_ns()
    for callback in callbacks:
        callback()
    assert not marks.unchanged_since(before_commit, ["articles.article:2"])


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_staff_are_never_served_from_the_cache_nor_cached(client, staff_client, site):
    article = site["article"]
    url = article.get_absolute_url()
    staff_response = staff_client.get(url)
    assert "no-store" in staff_response["Cache-Control"]
    assert "private" in staff_response["Cache-Control"]
    Article.objects.filter(pk=article.pk).update(title_en="Seen by staff at once")
    assert "Seen by staff at once" in staff_client.get(url).content.decode()
    # Nothing the staff member saw was stored for readers either.
    client.cookies.clear()
    assert "Seen by staff at once" in fetch(client, url)


def test_the_admin_is_never_cached(admin_client, site):
    url = reverse("admin:articles_article_changelist")
    assert "Pipelines and promises" in admin_client.get(url).content.decode()
    Article.objects.filter(pk=site["article"].pk).update(title_en="Renamed quietly")
    response = admin_client.get(url)
    assert "Renamed quietly" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def view_with_csrf_token(request):
    tag_page(request, ["test"])
    return HttpResponse(f"<form><input value='{get_token(request)}'></form>")


def view_setting_a_cookie(request):
    tag_page(request, ["test"])
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


def view_with_csp_nonce(request):
    tag_page(request, ["test"])
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def untagged_view(request):
    return HttpResponse(str(timezone.now().timestamp()))


urlpatterns = [
    path("csrf/", view_with_csrf_token),
    path("cookie/", view_setting_a_cookie),
    path("nonce/", view_with_csp_nonce),
    path("untagged/", untagged_view),
]


@pytest.mark.urls("tests.pagecache.test_page_cache")
def test_responses_with_a_csrf_token_or_a_cookie_are_never_cached(client):
    first, second = client.get("/csrf/"), client.get("/csrf/")
    assert first.cookies["csrftoken"].value
    assert first.content != second.content or "csrftoken" in second.cookies
    client.cookies.clear()
    assert client.get("/cookie/").cookies["seen"].value == "1"
    client.cookies.clear()
    assert client.get("/cookie/").cookies["seen"].value == "1"


@pytest.mark.urls("tests.pagecache.test_page_cache")
def test_pages_that_did_not_opt_in_are_never_cached(client):
    assert client.get("/untagged/").content != client.get("/untagged/").content


@pytest.mark.urls("tests.pagecache.test_page_cache")
def test_responses_with_a_csp_nonce_are_never_cached(client):
    first, second = client.get("/nonce/"), client.get("/nonce/")
    assert "nonce-" in first["Content-Security-Policy"]
    assert first.content != second.content


TRACKING = "utm_source=newsletter&utm_campaign=viral&fbclid=IwAR0click"


def test_a_shared_link_with_tracking_parameters_is_served_the_cached_page(
    client, site, served_from_cache
):
    url = site["article"].get_absolute_url()
    page = fetch(client, url)
    assert served_from_cache(client, f"{url}?{TRACKING}") == page
    assert served_from_cache(client, f"{url}?fbclid=another-click") == page


@pytest.mark.parametrize("page", ["article", "home"])
def test_the_first_reader_of_a_shared_link_caches_the_page_for_everyone(
    client, site, served_from_cache, page
):
    url = {"article": site["article"].get_absolute_url(), "home": reverse("articles:home")}[page]
    shared = fetch(client, f"{url}?{TRACKING}")
    assert "fbclid" not in shared and "utm_" not in shared
    assert served_from_cache(client, url) == shared


def test_a_list_keeps_its_page_number_and_drops_the_rest(client, site, served_from_cache):
    section = site["section"]
    ArticleFactory.create_batch(2 * settings.NEWSROOM_PAGE_SIZE, section=section)
    url = section.get_absolute_url()
    second = fetch(client, f"{url}?utm_source=x&page=2&fbclid=y")
    assert "utm_source" not in second and "fbclid" not in second
    assert "?page=3" in second and "?page=1" in second
    assert served_from_cache(client, f"{url}?page=2") == second
    assert served_from_cache(client, f"{url}?page=2&utm_medium=social") == second
    assert fetch(client, f"{url}?page=3") != second
    assert client.get(f"{url}?page=9&utm_source=x").status_code == 404


def test_sitemap_pages_keep_their_number(client, site, served_from_cache, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)  # one article per sitemap page
    url = article_sitemap_url(site["curating"])
    assert "?p=" in url
    page = fetch(client, url)
    assert served_from_cache(client, f"{url}&{TRACKING}") == page
    assert fetch(client, reverse("sitemap", kwargs={"section": "articles"})) != page


def test_pages_that_are_not_cached_keep_every_parameter(client, site):
    search = client.get(reverse("articles:search"), {"q": "pipelines", "utm_source": "x"})
    assert "Pipelines and promises" in search.content.decode()
    login = client.get("/admin/login/?next=/admin/articles/&utm_source=x")
    assert 'name="next" value="/admin/articles/"' in login.content.decode()


def pages_listing(site):
    """Pages that list `site["article"]` without being site-wide: its section, topics and
    author, and the article pages that show it as a neighbour or a related article."""
    return [
        site["section"].get_absolute_url(),
        site["topic"].get_absolute_url(),
        site["topic"].parent.get_absolute_url(),
        site["author"].get_absolute_url(),
        site["neighbour"].get_absolute_url(),
        site["curating"].get_absolute_url(),
    ]


def rendered_again(client, url):
    """Whether the page was rendered rather than served from the cache (which costs one
    query at most: its change marks)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)  # a list left empty is a 404
    return len(queries) > 1


def test_a_correction_to_the_body_leaves_the_lists_showing_the_article_cached(
    client, site, served_from_cache
):
    article = site["article"]
    warm(client, [*site["urls"], reverse("articles:rss")])
    article.body_en = "<p>The pipeline runs north, not south.</p>"
    article.correction_en = "An earlier version gave the wrong direction."
    article.save()
    page = fetch(client, article.get_absolute_url())
    assert "runs north" in page and "wrong direction" in page
    assert "runs north" in fetch(client, reverse("articles:rss"))
    for url in pages_listing(site):
        served_from_cache(client, url)


def test_a_body_correction_saved_at_the_desk_leaves_the_lists_cached(
    client, admin_client, site, served_from_cache
):
    article = site["article"]
    warm(client, site["urls"])
    change = reverse("admin:articles_article_change", args=[article.pk])
    values = form_values(admin_client.get(change).content.decode())
    values["body_en"] = "<p>The pipeline runs north, not south.</p>"
    assert admin_client.post(change, values).status_code == 302
    assert "runs north" in fetch(client, article.get_absolute_url())
    for url in pages_listing(site):
        served_from_cache(client, url)


@pytest.mark.parametrize(
    "field", ["title_en", "standfirst_en", "image_alt_en", "published_at", "ready_en"]
)
def test_an_edit_to_what_lists_show_or_how_they_order_refreshes_them(client, site, field):
    article = site["article"]
    warm(client, site["urls"])
    if field == "published_at":
        article.published_at -= timedelta(minutes=1)
    elif field == "ready_en":
        article.ready_en = False
    else:
        setattr(article, field, "Edited")
    article.save(update_fields=[field])
    for url in pages_listing(site):
        assert rendered_again(client, url), url


def test_no_list_shows_what_only_an_articles_own_page_shows(client, site):
    """The fields of `PAGE_ONLY_FIELDS` may change without refreshing any list."""
    article = site["article"]
    for field in ["body", "seo_title", "seo_description", "image_caption", "image_credit"]:
        setattr(article, f"{field}_en", f"Only-on-its-page {field}")
    article.correction_en = "Only-on-its-page correction"
    article.save()
    assert "Only-on-its-page" in fetch(client, article.get_absolute_url())
    for url in pages_listing(site):
        assert "Only-on-its-page" not in fetch(client, url), url


@pytest.mark.parametrize("page", ["article", "section", "feed", "sitemap"])
def test_a_cached_page_is_compressed_once_for_readers_who_accept_gzip(client, site, page):
    url = {
        "article": site["article"].get_absolute_url(),
        "section": site["section"].get_absolute_url(),
        "feed": reverse("articles:rss"),
        "sitemap": article_sitemap_url(site["article"]),
    }[page]
    rendered = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    cached = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(url)
    assert rendered["Content-Encoding"] == cached["Content-Encoding"] == "gzip"
    assert rendered.content == cached.content
    assert int(cached["Content-Length"]) == len(cached.content) < len(plain.content) / 2
    assert gzip.decompress(cached.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    assert int(plain["Content-Length"]) == len(plain.content)
    for response in (rendered, cached, plain):
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == rendered["ETag"] and rendered["ETag"].startswith('W/"')


def test_a_compressed_page_still_answers_304_and_follows_changes(client, site):
    url = site["article"].get_absolute_url()
    etag = client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    site["article"].title_en = "Pipelines, revisited"
    site["article"].save()
    changed = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Pipelines, revisited" in gzip.decompress(changed.content).decode()


def article_far_in_the_section(site):
    """An older article of the article's section that shows it nowhere: not next to it, and
    no topic in common."""
    section, article = site["section"], site["article"]
    ArticleFactory(section=section, published_at=article.published_at - timedelta(days=1))
    long_ago = article.published_at - timedelta(days=30)
    return ArticleFactory(title_en="Far back", section=section, published_at=long_ago)


def test_a_new_title_refreshes_only_the_article_pages_that_show_it(
    client, site, served_from_cache
):
    far = article_far_in_the_section(site)
    # Just before it in the section, with no topic: it shows the article as "Next" only.
    before = ArticleFactory(
        section=site["section"], published_at=site["article"].published_at - timedelta(seconds=1)
    )
    warm(client, [*site["urls"], far.get_absolute_url(), before.get_absolute_url()])
    site["article"].title_en = "Pipelines, revisited"
    site["article"].save()
    served_from_cache(client, far.get_absolute_url())
    for url in [*pages_listing(site), before.get_absolute_url()]:
        assert "Pipelines, revisited" in fetch(client, url), url


@pytest.mark.parametrize("change", ["published_at", "unpublish", "section"])
def test_a_change_of_what_is_live_where_refreshes_every_article_page_of_the_section(
    client, site, change
):
    far = article_far_in_the_section(site)
    warm(client, [*site["urls"], far.get_absolute_url()])
    article = site["article"]
    if change == "published_at":
        article.published_at -= timedelta(days=20)
    elif change == "unpublish":
        article.status = Article.Status.DRAFT
    else:
        article.section = SectionFactory()
    article.save()
    assert rendered_again(client, far.get_absolute_url())
