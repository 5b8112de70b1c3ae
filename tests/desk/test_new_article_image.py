"""A new library image's form that comes back with errors, after an image was chosen."""

import re

import pytest
from django.urls import reverse

from tests.images import samples

pytestmark = pytest.mark.django_db


def test_a_form_error_says_the_image_must_be_chosen_again_and_shows_no_broken_picture(
    client, author, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(author)
    data = {
        "title": "",
        "file": samples.upload(samples.jpeg((1500, 1000)), "image.jpg"),
        "file_focus_x": "50",
        "file_focus_y": "50",
    }

    response = client.post(reverse("admin:images_image_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    html = response.content.decode()
    focal_point = html[html.index("field-focal_point") :]
    focal_point = focal_point[: focal_point.index("</div>\n")]
    assert not re.search(r"<img[^>]+/media/", focal_point), focal_point
    assert "choose the image again" in focal_point
    assert samples.stored_files(settings) == set()
