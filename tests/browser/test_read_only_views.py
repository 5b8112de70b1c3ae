"""What a user who may only read part of an article sees on its change page, in Chromium."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_translator_reads_the_other_languages_as_rich_text_one_at_a_time(
    page, live_server, client
):
    call_command("setup_roles", stdout=StringIO())
    translator = User.objects.create_user("fr-translator", is_staff=True)
    translator.groups.add(Group.objects.get(name=roles.translator_group("fr")))
    long_body = "".join(f"<p>Paragraph {n} of the original report.</p>" for n in range(40))
    article = ArticleFactory(
        title_en="Ports and power",
        body_en=f"<h2>Who insures the ships</h2>{long_body}",
        title_ru="Порты и власть",
        body_ru=f"<h2>Кто страхует суда</h2>{long_body}",
        lead_image=samples.library_image(
            samples.jpeg((1500, 1000)), file_focus_x=80, file_focus_y=20
        ),
    )
    signed_in(page, live_server, client, translator)

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))

    english = page.locator("#id_body_en")
    assert english.locator("h2").inner_text() == "Who insures the ships"
    assert "<h2>" not in english.inner_text()
    assert page.locator("#id_body_ru").is_hidden()
    page.locator("a.ui-tabs-anchor[href='#tab_id_body_ru']").click()
    assert page.locator("#id_body_ru h2").inner_text() == "Кто страхует суда"
    assert english.is_hidden()

    # The lead image's focal point, on its library page, which translators may only read.
    page.goto(live_server.url + reverse("admin:images_image_change", args=[article.lead_image.pk]))
    image = page.locator("[data-focal-point] img").bounding_box()
    marker = page.locator(".focal-point__marker").bounding_box()
    centre = (marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2)
    assert centre[0] == pytest.approx(image["x"] + 0.8 * image["width"], abs=2)
    assert centre[1] == pytest.approx(image["y"] + 0.2 * image["height"], abs=2)
