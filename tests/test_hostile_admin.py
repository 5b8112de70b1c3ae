"""Random and malicious input on every admin changelist and every JSON endpoint of the admin.

Filters, search, ordering and page numbers are read from the admin site's registry (each
changelist's own filter parameters), and the autocomplete fields from each ModelAdmin, so a
new admin is fuzzed without a change here. Editors type and paste: the answer is 200, 302,
400, 403 or 404, never a 500, as a superuser and in every desk role.
"""

import os

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import roles
from tests.desk.conftest import member
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory
from tests.test_hostile_urls import hostile_text

pytestmark = pytest.mark.django_db

ALLOWED_STATUSES = {200, 302, 400, 403, 404}
ROLES = ["superuser", roles.EDITOR, roles.AUTHOR, roles.translator_group("fr")]

fuzz = hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KNOWN_BAD = ["9" * 25, "-1", "\x00", "a\x00b", "1e309", "", "\u202e"]
hostile_values = st.one_of(
    st.sampled_from(KNOWN_BAD), st.sampled_from(["en", "published", "1"]), hostile_text
)


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_ids():
    return [model._meta.label for model, _model_admin in registered_admins()]


def filter_parameters(model, model_admin):
    """Every query parameter the changelist's filters read, as a superuser sees them."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    changelist = model_admin.get_changelist_instance(request)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    return names + ["q", "o", "p", "_facets", "all"]


@pytest.fixture
def desk(db):
    from django.core.management import call_command

    call_command("setup_roles", verbosity=0)
    section, topic = SectionFactory(), TopicFactory()
    author = AuthorFactory()
    ArticleFactory(translated=True, section=section, topics=[topic], authors=[author])
    ArticleFactory(status="draft", section=section)
    users = {"superuser": User.objects.create_superuser("root", "root@example.org", "pw")}
    for group in ROLES[1:]:
        users[group] = member(f"user-{len(users)}", group)
    return users


def assert_safe(response, url):
    assert response.status_code in ALLOWED_STATUSES, url


@pytest.mark.parametrize(("model", "model_admin"), registered_admins(), ids=admin_ids())
@fuzz
@given(data=st.data())
def test_no_changelist_input_causes_a_500(client, desk, model, model_admin, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    client.force_login(desk[role])
    names = filter_parameters(model, model_admin)
    query = data.draw(
        st.dictionaries(st.sampled_from(names), hostile_values, min_size=1, max_size=3),
        label="query",
    )
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, query)
    event(f"status {response.status_code}")  # see --hypothesis-show-statistics
    assert_safe(response, (url, query))


@pytest.mark.parametrize(("model", "model_admin"), registered_admins(), ids=admin_ids())
def test_each_changelist_parameter_with_each_known_bad_value_is_not_a_500(
    client, desk, model, model_admin
):
    """Every parameter, exhaustively: what the random examples may miss (a NUL in one filter)."""
    client.force_login(desk["superuser"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for name in filter_parameters(model, model_admin):
        for value in KNOWN_BAD:
            assert_safe(client.get(url, {name: value}), (url, name, value))


def autocomplete_sources():
    sources = []
    for model, model_admin in registered_admins():
        for field_name in model_admin.autocomplete_fields:
            sources.append((model._meta.app_label, model._meta.model_name, field_name))
    return sources


@fuzz
@given(data=st.data())
@example(data=None)
def test_no_input_to_the_admin_json_endpoints_causes_a_500(client, desk, data):
    if data is None:  # the reported NUL bytes, whatever hypothesis draws
        client.force_login(desk["superuser"])
        for url, query in [
            (reverse("admin:articles_article_link_search"), {"q": "a\x00"}),
            (reverse("admin:autocomplete"), {"term": "\x00", "app_label": "articles"}),
        ]:
            assert client.get(url, query).status_code == 400
        return
    role = data.draw(st.sampled_from(ROLES), label="role")
    client.force_login(desk[role])
    endpoint = data.draw(st.sampled_from(["link-search", "autocomplete"]), label="endpoint")
    if endpoint == "link-search":
        url = reverse("admin:articles_article_link_search")
        query = {"q": data.draw(hostile_values, label="q")}
    else:
        url = reverse("admin:autocomplete")
        app_label, model_name, field_name = data.draw(st.sampled_from(autocomplete_sources()))
        query = {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": data.draw(hostile_values, label="term"),
            "page": data.draw(hostile_values, label="page"),
        }
    response = client.get(url, query)
    event(f"status {response.status_code}")  # see --hypothesis-show-statistics
    assert_safe(response, (url, query))


def test_an_id_beyond_the_integer_range_in_a_filter_is_an_empty_list(client, desk):
    client.force_login(desk["superuser"])
    url = reverse("admin:articles_article_changelist")
    response = client.get(url, {"topics__id__exact": "9" * 25})
    assert response.status_code in (200, 302)
