"""Importing an export again keeps the desk's work: only what is new, or unchanged here
since the last import, is written."""

import pytest
import reversion

from articles import services
from articles.models import Article, Section
from authors.models import Author
from tests.transfer.conftest import run_import
from tests.transfer.wxr import export, post

pytestmark = pytest.mark.django_db


def archive(**changes):
    """Four posts; `changes` replaces the keyword arguments of one post by its id."""
    posts = {post_id: {"title": f"Story {post_id}"} for post_id in (1, 2, 3, 4)}
    for post_id, arguments in changes.items():
        posts[int(post_id.removeprefix("p"))].update(arguments)
    return export(*(post(post_id, **arguments) for post_id, arguments in posts.items()))


def by_slug(post_id):
    return Article.objects.get(slug_en__startswith=f"post-{post_id}")


@pytest.fixture
def first_import(write_wxr):
    path = write_wxr(archive())
    run_import(path)
    return path


def desk_work(admin_user):
    """A takedown, a new title, a new slug and a deletion, as editors make them."""
    services.unpublish(by_slug(1), by=admin_user)
    retitled = by_slug(2)
    retitled.title_en = "A better title"
    retitled.save()
    moved = by_slug(3)
    moved.slug_en = "post-3-moved"
    moved.save()
    by_slug(4).delete()


def test_a_rerun_keeps_what_the_desk_changed_and_does_not_recreate_deleted_articles(
    first_import, admin_user
):
    desk_work(admin_user)
    output, _warnings = run_import(first_import)
    assert by_slug(1).status == Article.Status.DRAFT
    assert by_slug(2).title_en == "A better title"
    assert by_slug(3).slug_en == "post-3-moved"
    assert not Article.objects.filter(title_en="Story 4").exists()
    assert "kept: 3 changed here since the last import, 1 deleted here" in output


def test_a_rerun_with_a_newer_export_updates_only_what_the_desk_left_alone(
    first_import, admin_user, write_wxr
):
    desk_work(admin_user)
    newer = archive(p1={"title": "Story 1, revised"}, p2={"title": "Story 2, revised"})
    newer = newer.replace("Story 3", "Story 3, revised")
    output, _warnings = run_import(write_wxr(newer, name="newer.xml"))
    assert by_slug(1).title_en == "Story 1"
    assert by_slug(2).title_en == "A better title"
    assert by_slug(3).title_en == "Story 3"
    assert "kept: 3 changed here since the last import, 1 deleted here" in output


def test_an_unchanged_export_is_reported_unchanged_and_moves_no_modification_time(
    first_import, write_wxr
):
    before = dict(Article.objects.values_list("pk", "updated_at"))
    sections = dict(Section.objects.values_list("pk", "name"))
    output, _warnings = run_import(first_import)
    assert "articles: 4 unchanged" in output
    assert "authors: 1 unchanged" in output and "sections: 1 unchanged" in output
    assert "updated" not in output and "created" not in output
    assert dict(Article.objects.values_list("pk", "updated_at")) == before
    assert dict(Section.objects.values_list("pk", "name")) == sections
    for article in Article.objects.all():
        assert reversion.models.Version.objects.get_for_object(article).count() == 1


def test_a_newer_export_updates_what_changed_there(first_import, write_wxr):
    newer = archive(p2={"title": "Story 2, revised", "modified": "2023-06-01 09:00:00"})
    output, _warnings = run_import(write_wxr(newer, name="newer.xml"))
    assert by_slug(2).title_en == "Story 2, revised"
    assert "articles: 1 updated, 3 unchanged" in output


def test_overwrite_forces_the_export_back_and_names_each_item(first_import, admin_user):
    desk_work(admin_user)
    output, _warnings = run_import(first_import, "--overwrite")
    assert by_slug(1).is_live("en")
    assert by_slug(2).title_en == "Story 2"
    assert Article.objects.get(title_en="Story 3").slug_en == "post-3"
    assert Article.objects.get(title_en="Story 4").is_live("en")
    for post_id in (1, 2, 3):
        assert f"overwritten: item {post_id} (post {post_id}): changed here" in output
    assert "overwritten: item 4 (post 4): deleted here" in output


def test_a_renamed_author_is_kept(first_import):
    Author.objects.filter(slug="anna").update(name_en="Anna K.")
    output, _warnings = run_import(first_import)
    assert Author.objects.get(slug="anna").name == "Anna K."
    assert "authors: 1 kept" in output
