"""Write a WordPress + Polylang export of a given size, for timing import_articles.

    python bench/make_wxr.py 3000 > bench/data/polylang-3000.xml
    python bench/make_wxr.py 10000 --languages en > bench/data/posts-10000.xml
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate
    /usr/bin/time -v python manage.py import_articles bench/data/polylang-3000.xml

Each story is a Polylang translation group of one post per language (English, French and
Russian by default), filed under a nested category, with a Gutenberg body of about 2 KB per
language. The export is written as current WordPress writes it (WXR 1.2, https namespace).
"""

import argparse
import sys
from xml.sax.saxutils import escape

TITLES = {"en": "Story", "fr": "Article", "ru": "Статья"}
LANGUAGES = dict(TITLES)
SECTIONS = ["world", "economy", "science", "culture", "opinion"]
AUTHORS = 20


def serialized(pairs):
    """A PHP-serialized {language: term id} array, as Polylang stores it."""
    body = "".join(f's:{len(k)}:"{k}";i:{v};' for k, v in pairs)
    return f"a:{len(pairs)}:{{{body}}}"


def header(out):
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="https://wordpress.org/export/1.2/">\n<channel>\n'
        "<link>https://bench.example.org</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
        "<wp:base_site_url>https://bench.example.org</wp:base_site_url>\n"
    )
    for index in range(AUTHORS):
        out.write(
            f"<wp:author><wp:author_login>writer{index}</wp:author_login>"
            f"<wp:author_display_name>Writer {index}</wp:author_display_name></wp:author>\n"
        )
    term_id = 1
    for section in SECTIONS:
        group = []
        for code in LANGUAGES:
            nicename = f"{section}-{code}"
            out.write(category(term_id, nicename, "", f"{section.title()} {code}"))
            group.append((code, term_id))
            term_id += 1
            for child in range(3):
                name = f"{section.title()} {child} {code}"
                out.write(category(term_id, f"{nicename}-{child}", nicename, name))
                term_id += 1
        out.write(
            f"<wp:term><wp:term_id>{term_id}</wp:term_id>"
            "<wp:term_taxonomy>term_translations</wp:term_taxonomy>"
            f"<wp:term_slug>pll_{section}</wp:term_slug>"
            f"<wp:term_description><![CDATA[{serialized(group)}]]></wp:term_description>"
            "</wp:term>\n"
        )
        term_id += 1


def category(term_id, nicename, parent, name):
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{nicename}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name>{name}</wp:cat_name></wp:category>\n"
    )


def item(out, story, code, post_id):
    section = SECTIONS[story % len(SECTIONS)]
    paragraph = escape(f"{LANGUAGES[code]} {story}: " + "lorem ipsum dolor sit amet " * 8)
    body = "\n\n".join(
        f"<!-- wp:paragraph -->\n<p>{paragraph}</p>\n<!-- /wp:paragraph -->" for _ in range(8)
    )
    day = 1 + story % 28
    out.write(
        f"<item><title>{LANGUAGES[code]} {story}</title>"
        f"<link>https://bench.example.org/{code}/2020/01/{day:02d}/story-{code}-{story}/</link>"
        f"<dc:creator>writer{story % AUTHORS}</dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[Summary {story}]]></excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>2020-01-{day:02d} 10:00:00</wp:post_date>"
        f"<wp:post_date_gmt>2020-01-{day:02d} 09:00:00</wp:post_date_gmt>"
        f"<wp:post_name>story-{code}-{story}</wp:post_name>"
        f"<wp:status>{'draft' if story % 10 == 9 else 'publish'}</wp:status>"
        "<wp:post_type>post</wp:post_type>"
        f'<category domain="category" nicename="{section}-{code}-{story % 3}">c</category>'
        f'<category domain="language" nicename="{code}">{code}</category>'
        f'<category domain="post_translations" nicename="pll_story{story}">g</category>'
        "</item>\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write a WordPress (Polylang) export to standard output, for timing "
        "import_articles."
    )
    parser.add_argument(
        "stories", type=int, nargs="?", default=3000, help="Stories to write (default 3000)."
    )
    parser.add_argument(
        "--languages",
        default=",".join(TITLES),
        help="Comma-separated languages of each story, one post each (default en,fr,ru).",
    )
    options = parser.parse_args(argv)
    codes = [code.strip() for code in options.languages.split(",") if code.strip()]
    unknown = set(codes) - set(TITLES)
    if unknown or not codes:
        parser.error(f"--languages: choose among {', '.join(TITLES)}")
    LANGUAGES.clear()
    LANGUAGES.update({code: TITLES[code] for code in codes})
    write(sys.stdout, options.stories)


def write(out, stories):
    header(out)
    post_id = 1000
    for story in range(stories):
        for code in LANGUAGES:
            item(out, story, code, post_id)
            post_id += 1
    out.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
