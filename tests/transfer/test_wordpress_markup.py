"""WordPress bodies become clean paragraphs, as WordPress itself shows them; what cannot be
kept is reported per post, its address kept as a link."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from newsroom.transfer.wordpress_html import convert_body
from tests.transfer.conftest import run_import
from tests.transfer.wxr import export, footnotes, post

BLOCK = r"(?:p|h2|h3|ul|ol|li|blockquote)"


def assert_well_formed_paragraphs(html):
    """What a converted body never holds, whatever the post."""
    assert not re.search(rf"<br>\s*</?{BLOCK}\b", html), html
    assert not re.search(rf"</?{BLOCK}>\s*<br>", html), html
    assert not re.search(r"(?:<br>\s*){2}", html), html
    assert not re.search(r"<p>\s*</p>", html), html
    assert not re.search(r"<a\b[^>]*>\s*</a>", html), html
    assert not re.search(r"<p>(?:(?!</p>).)*<(?:p|h2|h3|ul|ol|blockquote)\b", html, re.S), html
    depth = 0
    for token in re.split(r"(<[^>]+>)", html):
        name = re.match(r"</?([a-z0-9]+)", token)
        if name and name.group(1) in {
            "p", "h2", "h3", "ul", "ol", "li", "blockquote", "table", "pre", "dl", "div"
        }:  # fmt: skip
            depth += -1 if token.startswith("</") else 1
        elif token == "<hr>":
            assert depth == 0, html
        elif depth == 0:
            assert not re.sub(r"<[^>]+>", "", token).strip(), f"loose text {token!r} in {html}"


WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "épsilon", "дзета"])
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"<strong>{w}</strong>"),
    WORDS.map(lambda w: f'<a href="https://e.example/{w}">{w}</a>'),
    st.just('<a href="https://e.example/i.jpg"><img src="https://e.example/i.jpg"></a>'),
)
SEPARATORS = st.sampled_from([" ", "\n", "\n\n", "\n\n\n", "<br>", "<br />\n<br />", "&nbsp;"])
TEXT = st.lists(st.tuples(INLINE, SEPARATORS), min_size=1, max_size=6).map(
    lambda parts: "".join(a + b for a, b in parts)
)
FRAGMENT = st.one_of(
    TEXT,
    TEXT.map(lambda t: f"<p>{t}</p>"),
    TEXT.map(lambda t: f"<h2>{t}</h2>"),
    TEXT.map(lambda t: f"<blockquote>{t}</blockquote>"),
    TEXT.map(lambda t: f"<div class='x'>{t}</div>"),
    st.lists(TEXT, min_size=1, max_size=3).map(
        lambda items: "<ul>\n" + "\n".join(f"<li>{t}</li>" for t in items) + "\n</ul>"
    ),
    TEXT.map(lambda t: f"<!-- wp:paragraph -->\n<p>{t}</p>\n<!-- /wp:paragraph -->"),
    st.just("<p></p>"),
    st.just("<hr />"),
    st.just('[audio src="https://e.example/a.mp3"]'),
)
BODIES = st.lists(st.tuples(FRAGMENT, SEPARATORS), max_size=6).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@settings(max_examples=300, deadline=None)
@given(BODIES)
def test_any_body_becomes_well_formed_paragraphs_and_keeps_every_word(body):
    html, _notes = convert_body(body)
    assert_well_formed_paragraphs(html)
    words = set(re.findall(r"\w+", re.sub(r"<[^>]+>|&nbsp;", " ", body))) - {"audio", "src"}
    for word in words - {"https", "e", "example", "a", "mp3", "i", "jpg", "x", "wp"}:
        assert word in html, (word, html)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Intro line\nsecond line\n\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n\n"
            "<h2>Title</h2>\nNext",
            "<p>Intro line<br>\nsecond line</p><ul><li>a</li><li>b</li></ul><h2>Title</h2>"
            "<p>Next</p>",
        ),
        ("a<br><br><br>b", "<p>a</p><p>b</p>"),
        ("<p></p>\n\n<p>&nbsp;</p>\n\nReal", "<p>Real</p>"),
        ("<blockquote>Quote\n\nSecond</blockquote>", "<blockquote><p>Quote</p>\n<p>Second</p>"),
        ("<div class='x'>Inside\n\nTwo</div>", "<p>Inside</p><p>Two</p>"),
    ],
    ids=["classic", "runs of breaks", "empty paragraphs", "quote", "div"],
)
def test_paragraphs_are_made_as_wordpress_makes_them(body, expected):
    html, _notes = convert_body(body)
    assert expected in html


def test_gutenberg_footnotes_become_the_bodys_notes_where_their_markers_were():
    body = (
        '<!-- wp:paragraph --><p>Claim<sup data-fn="fn-0" class="fn"><a href="#fn-0" '
        'id="fn-0-link">1</a></sup>.</p><!-- /wp:paragraph -->'
    )
    html, notes = convert_body(body, footnotes("Source <em>one</em>.", "Source two."))
    assert html == '<p>Claim<span class="note">Source <em>one</em>.</span>.</p>'
    assert notes == ["1 footnote(s) not marked in the text left out"]


@pytest.fixture
def media_post(write_wxr, db):
    body = "\n\n".join(
        [
            "Before.",
            '[audio src="https://blog.example.org/wp-content/uploads/talk.mp3"][/audio]',
            '<!-- wp:acme/poll {"id":3} --><div class="poll">Vote now</div><!-- /wp:acme/poll -->',
            "<!-- wp:table --><figure class='wp-block-table'><table><tr><td>1</td></tr></table>"
            "</figure><!-- /wp:table -->",
            '[gallery ids="4,5"]',
            '<a href="https://blog.example.org/wp-content/uploads/a.jpg">'
            '<img src="https://blog.example.org/wp-content/uploads/a.jpg"></a>',
            "After.",
        ]
    )
    return run_import(write_wxr(export(post(1, "Media", body, slug="media"))))


def test_what_a_body_cannot_hold_is_reported_per_post_with_its_address_kept(media_post):
    _output, warnings = media_post
    body = Article.objects.get(slug_en="media").body_en
    assert 'href="https://blog.example.org/wp-content/uploads/talk.mp3"' in body
    assert "<p>Vote now</p>" in body
    assert "<table><tbody><tr><td>1</td></tr></tbody></table>" in body
    assert 'a.jpg"></a>' not in body and "a.jpg" not in body
    assert_well_formed_paragraphs(body)
    for note in [
        "[audio] shortcode left out (kept as a link: https://blog.example.org/wp-content/"
        "uploads/talk.mp3)",
        "unknown blocks converted as plain HTML: acme/poll",
        "image left out: attachment 4 is not in the file",
        "image left out: attachment 5 is not in the file",
        "image left out: images need --media-dir",
    ]:
        assert f"item 1 (post 1): {note}" in warnings
