import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_switches_an_article_to_french_in_the_browser(live_server, page):
    article = ArticleFactory(
        translated=True, title_en="Ports and power", title_fr="Ports et pouvoir"
    )
    page.goto(live_server.url + article.get_absolute_url("en"))
    assert page.locator("h1").inner_text() == "Ports and power"
    page.get_by_role("link", name="FR").click()
    page.wait_for_url(live_server.url + article.get_absolute_url("fr"))
    assert page.locator("h1").inner_text() == "Ports et pouvoir"
    assert page.locator("html").get_attribute("lang") == "fr"
