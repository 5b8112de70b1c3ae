"""The sanitizer's cost: nh3 (like any HTML5 tree builder) works in proportion to the depth
of the tree for every tag, and to the square of the escaped characters in one run of text.
Bodies are read once before nh3 sees them; nh3 gets only allowlisted tags of bounded depth
and number, and what would cost too much is refused with a message for the editor.
"""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.diffs import MAX_COMPARISONS, bounded_opcodes
from articles.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    CLOSED_BY_SIBLING,
    MAX_DEPTH,
    MAX_ESCAPED_IN_TEXT,
    MAX_TAGS,
    VOID,
    allowlisted_markup,
    checked_elements,
    clean_html,
    nh3_cleaned,
)
from tests.desk.conftest import change_form_data
from tests.factories import ArticleFactory, AuthorFactory
from tests.html_forms import form_values


class Shape(HTMLParser):
    """The tags, greatest nesting depth and attributes of a piece of HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.depth, self.open, self.attributes = set(), 0, [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.append((tag, [name for name, _value in attrs]))
        if tag in CLOSED_BY_SIBLING and self.open and self.open[-1] == tag:
            self.open.pop()
        if tag not in VOID:
            self.open.append(tag)
            self.depth = max(self.depth, len(self.open))

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()


def nh3_alone(html):
    """nh3 with the allowlist, and the checks of what notes, embeds and figures hold."""
    return checked_elements(nh3_cleaned(html))


def refusal(html):
    with pytest.raises(ValidationError) as caught:
        clean_html(html)
    return caught.value


# Hostile shapes of every kind, at twice the limits where a limit applies.
HOSTILE_SHAPES = {
    **{f"nested {tag}": f"<{tag}>" * (2 * MAX_DEPTH) for tag in ALLOWED_TAGS - VOID},
    **{
        f"nested {tag}": f"<{tag}>" * (2 * MAX_DEPTH)
        for tag in ["div", "span", "b", "font", "table", "td", "svg", "math", "select"]
    },
    "unclosed paragraphs": "<p>x" * (MAX_TAGS + 1),
    "formatting reopened in every paragraph": (
        "<p>" + "".join(f"<strong id={n}>" for n in range(50)) + "</p><p>x" * 1000
    ),
    "many attributes": "<a " + " ".join(f"a{n}=1" for n in range(20_000)) + ">x</a>",
    "huge attribute": '<a href="https://example.org/' + "x" * 200_000 + '">x</a>',
    "many links": '<a href="https://example.org/">x</a>' * 1000,
    "comments": "<!--<p>-->" * (MAX_TAGS + 1),
    "unclosed comment": "<!--" + "<p>" * 1000,
    "unclosed quote": "<a title='" + "<p>" * 1000,
    "escaped characters": "&amp;" * (MAX_ESCAPED_IN_TEXT + 1),
    "non-breaking spaces": "\xa0" * (MAX_ESCAPED_IN_TEXT + 1),
    "lone angle brackets": "< " * (MAX_ESCAPED_IN_TEXT + 1),
    "escaped link address": '<a href="https://e.org/?'
    + "&amp;" * (MAX_ESCAPED_IN_TEXT + 1)
    + '">',
    "escaped title": '<p title="' + "\xa0" * (MAX_ESCAPED_IN_TEXT + 1) + '">x</p>',
    "plaintext": "<plaintext>" + "&" * (MAX_ESCAPED_IN_TEXT + 1),
    "textarea": "<textarea>" + "&lt;" * (MAX_ESCAPED_IN_TEXT + 1),
    "script escapes": "<script><!--<script>" + "<p>" * 1000,
}


@pytest.mark.parametrize("html", HOSTILE_SHAPES.values(), ids=HOSTILE_SHAPES.keys())
def test_nh3_never_receives_more_depth_tags_or_escapes_than_the_limits(html):
    """What bounds nh3's work: the markup it is given, or a refusal before it is called."""
    try:
        markup = allowlisted_markup(html)
    except ValidationError as error:
        assert error.code in {"too_deep", "too_many_tags", "too_many_escaped"}
        return
    shape = Shape(markup)
    assert shape.tags <= ALLOWED_TAGS
    assert shape.depth <= MAX_DEPTH
    assert len(shape.attributes) <= MAX_TAGS
    for tag, names in shape.attributes:
        assert len(names) == len(set(names))
        assert set(names) <= ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())


def test_nesting_deeper_than_the_limit_is_refused_and_the_limit_itself_is_accepted():
    assert clean_html("<blockquote>" * MAX_DEPTH + "x") == (
        "<blockquote>" * MAX_DEPTH + "x" + "</blockquote>" * MAX_DEPTH
    )
    assert refusal("<blockquote>" * (MAX_DEPTH + 1)).code == "too_deep"
    assert refusal("<ul><li>" * (MAX_DEPTH // 2 + 1)).code == "too_deep"


def test_closed_and_sibling_elements_do_not_add_depth():
    assert clean_html("<p>x</p>" * (MAX_DEPTH + 1))
    assert clean_html("<ul>" + "<li>x" * (MAX_DEPTH + 1) + "</ul>")
    assert clean_html("<p>x" * (MAX_DEPTH + 1))


def test_more_tags_than_the_limit_are_refused_whatever_the_tags():
    for unit in ["<p>x</p>", "<div></div>", "<!---->", "<b></b>"]:
        assert refusal(unit * (MAX_TAGS + 1)).code == "too_many_tags"
    assert clean_html("<p>x</p>" * (MAX_TAGS // 2))


def test_a_run_of_text_with_too_many_escaped_characters_is_refused_but_paragraphs_are_not():
    assert refusal("<p>" + "&amp;" * (MAX_ESCAPED_IN_TEXT + 1) + "</p>").code == (
        "too_many_escaped"
    )
    assert clean_html(("<p>" + "&amp;" * MAX_ESCAPED_IN_TEXT + "</p>") * 10)
    long_address = '<a href="https://e.org/?' + "a=1&amp;" * (MAX_ESCAPED_IN_TEXT + 1) + '">x</a>'
    assert refusal(long_address).code == "too_many_escaped"


def test_the_refusal_is_translated():
    with translation.override("fr"):
        message = refusal("<blockquote>" * (MAX_DEPTH + 1)).messages[0]
    assert "niveaux" in message and str(MAX_DEPTH) in message
    with translation.override("ru"):
        assert "уровн" in refusal("<blockquote>" * (MAX_DEPTH + 1)).messages[0]


fuzz = hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Dropped tags that leave no element behind. (Any other dropped tag can change how the tree
# builder mends mis-nested tags around it, e.g. reopen a link: safe, but not the same tree.)
TAGS = sorted(ALLOWED_TAGS) + ["script", "style"]
attribute_values = st.text(alphabet="ab &;:/\"'<>=x#\xa0", max_size=12)
attributes = st.lists(
    st.tuples(
        st.sampled_from(["href", "title", "lang", "hreflang", "onclick", "style", "class"]),
        attribute_values,
    ),
    max_size=4,
)
text = st.text(alphabet="abc é&;<> \n\xa0", max_size=15).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)


@st.composite
def well_formed(draw, depth=0):
    """HTML as an editor or a careful writer makes it: every element closed, in order."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 5 else 0))):
        if draw(st.booleans()):
            parts.append(draw(text))
            continue
        tag = draw(st.sampled_from(TAGS))
        attrs = "".join(
            f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in draw(attributes)
        )
        if tag in VOID or tag == "img":
            parts.append(f"<{tag}{attrs}>")
        else:
            inner = (
                draw(text)
                if tag in {"script", "style", "textarea"}
                else draw(well_formed(depth + 1))
            )
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(parts)


@fuzz
@given(html=well_formed())
def test_well_formed_html_is_cleaned_exactly_as_nh3_alone_cleans_it(html):
    assert clean_html(html) == nh3_alone(html)


@fuzz
@given(html=st.text(alphabet="<>/!-?=\"' abp&;\xa0", max_size=80) | st.text(max_size=80))
def test_any_text_comes_out_with_only_allowlisted_tags_and_attributes(html):
    shape = Shape(clean_html(html))
    assert shape.tags <= ALLOWED_TAGS
    for tag, names in shape.attributes:
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        assert set(names) <= allowed | ({"class"} if tag in ALLOWED_CLASSES else set())


def test_a_long_changed_stretch_is_diffed_with_bounded_comparisons():
    """difflib compares every word with every equal word: 5,000 repeated words took 9 s."""
    words = ["word"] * 5000
    assert bounded_opcodes(words, [*words, "new"]) == [
        ("equal", 0, 5000, 0, 5000),
        ("insert", 5000, 5000, 5000, 5001),
    ]
    before, after = ["a", *words, "b"], ["c", *words, "d"]
    assert len(words) ** 2 > MAX_COMPARISONS
    assert bounded_opcodes(before, after) == [("replace", 0, 5002, 0, 5002)]
    assert bounded_opcodes(["a", "b", "c"], ["a", "x", "c"]) == [
        ("equal", 0, 1, 0, 1),
        ("replace", 1, 2, 1, 2),
        ("equal", 2, 3, 2, 3),
    ]


@pytest.mark.django_db
def test_a_refused_body_is_a_form_error_on_its_language_and_nothing_is_saved(client, editor):
    article = ArticleFactory(translated=True)
    client.force_login(editor)
    deep = "<blockquote>" * (MAX_DEPTH + 1)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, change_form_data(article, body_fr=deep))
    assert response.status_code == 200
    assert "levels" in str(response.context["adminform"].form.errors["body_fr"])
    article.refresh_from_db()
    assert "blockquote" not in article.body_fr


@pytest.mark.django_db
def test_every_model_write_path_refuses_the_body_and_keeps_no_raw_html():
    article = ArticleFactory.build(body_en="<p>ok</p>" + "<ul><li>" * MAX_DEPTH)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "body_en" in caught.value.message_dict
    assert article.body_en == ""
    author = AuthorFactory.build(long_bio_fr="<em>" * (MAX_DEPTH + 1))
    with pytest.raises(ValidationError) as caught:
        author.save()
    assert "long_bio_fr" in caught.value.message_dict


@pytest.mark.django_db
def test_the_translators_page_refuses_the_body_with_a_message_and_saves_nothing(
    client, translator
):
    article = ArticleFactory(translated=True, body_fr="<p>Avant</p>")
    client.force_login(translator)
    url = reverse("admin:articles_article_translation", args=[article.pk, "fr"])
    values = form_values(client.get(url).content.decode())
    values["body_fr"] = "<ul><li>" * MAX_DEPTH
    values["_save"] = "1"
    response = client.post(url, values)
    assert response.status_code == 200
    assert "levels deep" in response.content.decode()
    article.refresh_from_db()
    assert article.body_fr == "<p>Avant</p>"
