"""A WordPress post's tables, code, definition lists, edits, citations, embeds and
footnotes become the same in the body; what cannot be kept is reported with its address."""

import pytest

from articles.models import Article
from tests.transfer.conftest import FIXTURES, run_import
from tests.transfer.wxr import export, footnotes, post

pytestmark = pytest.mark.django_db

# A post of the block editor with a table, code, embeds, a rule and a footnote.
GUTENBERG = (FIXTURES / "wordpress-rich-blocks.html").read_text("utf-8")

CLASSIC = """Before the list.
<dl>
<dt>Turnout</dt>
<dd>Votes cast over registered voters.</dd>
</dl>
[embed]https://vimeo.com/76979871[/embed]

https://t.me/newsroom/1234

[audio src="https://blog.example.org/wp-content/uploads/talk.mp3"][/audio]
After."""


@pytest.fixture
def imported(write_wxr):
    return run_import(
        write_wxr(
            export(
                post(
                    1,
                    "Blocks",
                    GUTENBERG,
                    slug="blocks",
                    metas=[("footnotes", footnotes("Official figures, 3 May."))],
                ),
                post(2, "Classic", CLASSIC, slug="classic"),
            )
        )
    )


def test_a_table_keeps_its_header_row_cells_and_caption(imported):
    assert (
        "<table><caption>Turnout by region</caption><thead><tr><th>Region</th>"
        "<th>Turnout</th></tr></thead><tbody><tr><td>North</td><td>61%</td></tr></tbody>"
        "</table>"
    ) in Article.objects.get(slug_en="blocks").body_en


def test_code_keeps_its_lines_and_inline_markup_is_kept(imported):
    body = Article.objects.get(slug_en="blocks").body_en
    assert "<pre><code>turnout = votes / voters\n\nprint(turnout)</code></pre>" in body
    assert (
        "<p>H<sub>2</sub>O and 10<sup>3</sup>, <del>old</del> <ins>new</ins>, in "
        "<cite>The Gazette</cite>.</p>"
    ) in body
    assert "<hr>" in body


def test_footnotes_become_notes_where_their_markers_were(imported):
    body = Article.objects.get(slug_en="blocks").body_en
    assert (
        '<p>Turnout rose<span class="note">Official figures, 3 May.</span> in the north.</p>'
        in body
    )


def test_embeds_of_allowlisted_providers_become_embeds_and_others_links(imported):
    _output, warnings = imported
    blocks = Article.objects.get(slug_en="blocks").body_en
    assert '<div data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></div>' in blocks
    assert '<p><a href="https://videos.example.net/watch/42"' in blocks
    assert (
        "item 1 (post 1): 1 embed(s) of sites off the embeds' list turned into links" in warnings
    )
    classic = Article.objects.get(slug_en="classic").body_en
    assert '<div data-embed="https://vimeo.com/76979871"></div>' in classic
    assert '<div data-embed="https://t.me/newsroom/1234"></div>' in classic


def test_definition_lists_are_kept_and_what_cannot_be_is_reported_with_its_address(imported):
    _output, warnings = imported
    classic = Article.objects.get(slug_en="classic").body_en
    assert (
        "<p>Before the list.</p><dl><dt>Turnout</dt><dd>Votes cast over registered voters.</dd>"
        "</dl>"
    ) in classic
    assert '<a href="https://blog.example.org/wp-content/uploads/talk.mp3"' in classic
    assert (
        "item 2 (post 2): [audio] shortcode left out (kept as a link: "
        "https://blog.example.org/wp-content/uploads/talk.mp3)"
    ) in warnings
    assert classic.endswith("<p>After.</p>")
