"""Links between articles, stored independent of language.

Inside a body, a link to another Newsroom article is stored as `<a href="/article/42/">`:
the article's id, with no language and no slug, because slugs change and translations are
released later. An editor may also paste the article's public address in any language;
`store_article_links()` turns it into the stored form when the body is saved.

For readers, `link_articles()` points each stored link at the article in the reader's
language; when that translation is not released, at a released language (the original
first), marked with `hreflang`; when the article is not public in any language, the link
becomes its plain text, so that a reader never follows a link to a 404.
"""

import re

from articles.models import Article, language_codes

STORED_HREF = re.compile(r'href="/article/(\d+)/"')
LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
HREFLANG = re.compile(r'\s*hreflang="[^"]*"')


def stored_href(article_id):
    return f"/article/{article_id}/"


def linked_article_ids(html):
    """Ids of the articles a (sanitized) body links to."""
    return {int(pk) for pk in STORED_HREF.findall(html or "")}


def public_address_pattern():
    """`href` values that are an article's public address in one of the site's languages."""
    codes = "|".join(re.escape(code) for code in language_codes())
    return re.compile(
        r'href="(?:https?://[^/"]+)?/(?P<language>' + codes + r')/articles/(?P<slug>[\w-]+)/"'
    )


def store_article_links(html):
    """`html` with every link to an article's public address stored independent of
    language (the host is not checked: a slug of this site is what matters)."""
    if not html:
        return html
    pattern = public_address_pattern()
    wanted = {(m["language"], m["slug"]) for m in pattern.finditer(html)}
    if not wanted:
        return html
    ids = {}
    for code in {language for language, _slug in wanted}:
        slugs = [slug for language, slug in wanted if language == code]
        for pk, slug in Article.objects.filter(**{f"slug_{code}__in": slugs}).values_list(
            "pk", f"slug_{code}"
        ):
            ids[code, slug] = pk

    def replace(match):
        pk = ids.get((match["language"], match["slug"]))
        return f'href="{stored_href(pk)}"' if pk else match[0]

    return pattern.sub(replace, html)


def link_targets(ids):
    """The linked articles by id, with only what their visibility and addresses need."""
    fields = ["pk", "status", "published_at", "original_language"]
    for code in language_codes():
        fields += [f"slug_{code}", f"ready_{code}", f"release_at_{code}"]
    return {article.pk: article for article in Article.objects.filter(pk__in=ids).only(*fields)}


def link_articles(html, language, base_url=""):
    """`html` with its stored article links resolved for a reader of `language`.

    One query, and none when the body links to no article. `base_url` makes the addresses
    absolute (for feeds).
    """
    ids = linked_article_ids(html)
    if not ids:
        return html
    targets = link_targets(ids)

    def resolve(match):
        attributes, text = match[1], match[2]
        found = STORED_HREF.search(attributes)
        if not found:
            return match[0]
        article = targets.get(int(found[1]))
        shown_in = article and next(
            (
                code
                for code in [language, article.original_language, *language_codes()]
                if article.is_live(code)
            ),
            None,
        )
        if not shown_in:
            return text
        url = base_url + article.get_absolute_url(shown_in)
        attributes = HREFLANG.sub("", attributes).replace(found[0], f'href="{url}"')
        if shown_in != language:
            attributes += f' hreflang="{shown_in}"'
        return f"<a{attributes}>{text}</a>"

    return LINK.sub(resolve, html)
