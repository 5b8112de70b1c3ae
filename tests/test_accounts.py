"""Staff accounts: throttled logins, strong passwords, expiring sessions, logged actions."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsroom.security import client_ip
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unguessable passphrase"
LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many logins per test: the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password=PASSWORD, is_staff=True, is_superuser=True
    )


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_until_locked(client, username, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, username, "wrong password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    return log_in(client, username, "wrong password")


def test_repeated_failures_lock_the_login_out_even_with_the_right_password(
    client, editor, settings
):
    locked = fail_until_locked(client, "editor", settings)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert log_in(client, "editor", PASSWORD).status_code == 429


def test_an_unknown_username_gets_exactly_the_same_answers(client, editor, settings):
    known = fail_until_locked(Client(), "editor", settings)
    unknown = fail_until_locked(Client(), "nobody-by-this-name", settings)
    assert unknown.status_code == known.status_code == 429
    assert unknown.content == known.content


def test_a_lockout_does_not_block_the_same_editor_from_another_address(editor, settings):
    fail_until_locked(Client(), "editor", settings)
    response = log_in(Client(), "editor", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, editor, settings):
    fail_until_locked(client, "editor", settings)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, "editor", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("forwarded_for", "proxies", "expected"),
    [
        ("", 0, "10.0.0.2"),
        ("198.51.100.1", 0, "10.0.0.2"),
        ("198.51.100.1", 1, "198.51.100.1"),
        ("1.2.3.4, 198.51.100.1", 1, "198.51.100.1"),
        ("1.2.3.4, 198.51.100.1, 10.0.0.9", 2, "198.51.100.1"),
    ],
)
def test_a_forged_forwarded_address_cannot_dodge_the_lockout(
    settings, forwarded_for, proxies, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_weak_passwords_are_refused(editor):
    for weak in ["short-pass1", "123456789012345", "password12345", "qwertyuiop123"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=editor)
    validate_password(PASSWORD, user=editor)


def test_a_staff_session_expires(client, editor, settings):
    assert log_in(client, "editor", PASSWORD).status_code == 302
    admin_index = reverse("admin:index")
    assert client.get(admin_index).status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later):
        response = client.get(admin_index)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logins_and_staff_changes_are_logged(client, editor):
    section = SectionFactory(name_en="World")
    log_in(client, "editor", PASSWORD)
    assert AccessLog.objects.filter(username="editor", ip_address="203.0.113.7").exists()
    client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {"name_en": "World affairs", "slug_en": section.slug_en, "position": 0},
    )
    entry = LogEntry.objects.get(object_id=str(section.pk))
    assert (entry.user, entry.action_flag) == (editor, CHANGE)


@pytest.mark.parametrize("next_url", ["https://attacker.example/", "//attacker.example/", ""])
def test_a_login_with_an_off_site_or_no_next_lands_on_the_desk(client, editor, next_url):
    response = client.post(
        f"{LOGIN}?next={next_url}",
        {"username": "editor", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200
