"""Every response carries the security headers and a strict, nonce-based CSP."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in policy.split(";") if directive)
    }


@pytest.fixture
def public_and_admin_urls(admin_user):
    article = ArticleFactory(translated=True)
    return [
        "/en/",
        article.get_absolute_url("ru"),
        "/fr/articles/does-not-exist/",
        reverse("admin:login"),
        reverse("health-live"),
    ]


def test_every_response_forbids_framing_sniffing_and_cross_site_referrers(
    client, public_and_admin_urls
):
    for url in public_and_admin_urls:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert csp_directives(response)["frame-ancestors"] == ["'none'"], url


@pytest.mark.parametrize("path", ["/en/", "/admin/", "/no/such/page/"])
def test_the_answer_to_an_unknown_host_also_forbids_framing_and_scripts(path):
    """The 400 comes from the outer middleware that reads the host: it still gets the
    headers."""
    response = Client(HTTP_HOST="attacker.example").get(path)
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


def test_csp_allows_no_inline_script_without_a_nonce(client, public_and_admin_urls):
    for url in public_and_admin_urls:
        directives = csp_directives(client.get(url))
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)


def test_the_admin_edit_page_also_gets_the_strict_csp(admin_client):
    article = ArticleFactory(translated=True)
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    # The rich text editor's import map is the one inline script, and carries the nonce.
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', response.content.decode())
    assert csp_directives(response)["script-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]


@pytest.mark.urls("tests.error_urls")
def test_an_inline_script_runs_only_with_the_nonce_of_its_own_response_even_if_cacheable(
    client,
):
    first, second = client.get("/inline-script/"), client.get("/inline-script/")
    nonces = []
    for response in (first, second):
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert csp_directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_https_requests_get_hsts_with_subdomains_and_preload(client):
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_plain_http_is_redirected_to_https_except_health_probes(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"
    assert client.get(reverse("health-live")).status_code == 200


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(client, admin_user):
    login_page = client.get(reverse("admin:login"), secure=True)
    assert login_page.cookies["csrftoken"]["secure"]
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "password"}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
