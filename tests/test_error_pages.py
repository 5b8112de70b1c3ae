"""Branded, translated error pages that reveal nothing about the code."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE_NAME = "The Meridian Review"


def assert_branded_and_silent(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert SITE_NAME in html and heading in html
    for leak in ("Traceback", "RuntimeError", "secret internals", "settings.py", "DEBUG"):
        assert leak not in html


def test_an_unknown_host_header_is_a_400():
    response = Client(HTTP_HOST="attacker.example").get("/en/")
    assert_branded_and_silent(response, 400, "Bad request")


def test_a_missing_page_is_a_translated_404(client):
    response = client.get("/fr/articles/nulle-part/")
    assert_branded_and_silent(response, 404, "Page introuvable")


def test_a_form_sent_without_its_csrf_token_is_a_branded_403():
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "editor", "password": "x"}
    )
    assert_branded_and_silent(response, 403, "Access denied")
    assert "This form has expired" in response.content.decode()


def test_a_staff_only_page_is_not_served_to_a_reader(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Something went wrong"),
        ("fr", "Un problème est survenu"),
        ("ru", "Что-то пошло не так"),
    ],
)
def test_a_crash_is_a_translated_500_without_traceback(language, heading):
    response = Client(raise_request_exception=False).get(f"/{language}/failing/")
    assert_branded_and_silent(response, 500, heading)
