"""Small WordPress exports (WXR), each written for one case, as WordPress writes them."""

import json
from xml.sax.saxutils import escape


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def serialized(pairs):
    """A PHP-serialized {language: id} array, as Polylang stores a translation group."""
    body = "".join(f's:{len(k)}:"{k}";i:{v};' for k, v in pairs.items())
    return f"a:{len(pairs)}:{{{body}}}"


def author(login, display_name=None):
    return (
        f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{cdata(display_name or login.title())}"
        "</wp:author_display_name></wp:author>"
    )


def category(nicename, name=None, parent="", term_id=""):
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name or nicename.title())}</wp:cat_name></wp:category>"
    )


def translation_group(term_id, slug, pairs, taxonomy="post_translations"):
    return (
        f"<wp:term><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:term_taxonomy>{taxonomy}</wp:term_taxonomy>"
        f"<wp:term_slug>{cdata(slug)}</wp:term_slug>"
        f"<wp:term_description>{cdata(serialized(pairs))}</wp:term_description></wp:term>"
    )


def meta(key, value):
    return (
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
    )


def post(
    post_id,
    title=None,
    body="<!-- wp:paragraph -->\n<p>Some text.</p>\n<!-- /wp:paragraph -->",
    *,
    status="publish",
    post_type="post",
    password="",
    categories=("news",),
    tags=(),
    creator="anna",
    language=None,
    group=None,
    slug=None,
    date="2023-05-01 10:00:00",
    modified=None,
    link=None,
    metas=(),
    site="https://blog.example.org",
    extra="",
):
    """One <item>. `title=None` gives "Post <id>"; pass "" for an untitled post."""
    title = f"Post {post_id}" if title is None else title
    slug = f"post-{post_id}" if slug is None else slug
    terms = [
        f'<category domain="category" nicename="{c}">{cdata(c)}</category>' for c in categories
    ]
    terms += [f'<category domain="post_tag" nicename="{t}">{cdata(t)}</category>' for t in tags]
    if language:
        terms.append(f'<category domain="language" nicename="{language}">{language}</category>')
    if group:
        terms.append(f'<category domain="post_translations" nicename="{group}">{group}</category>')
    modified = modified or date
    return f"""
<item>
  <title>{escape(title)}</title>
  <link>{link or f"{site}/{date[:4]}/{date[5:7]}/{slug}/"}</link>
  <dc:creator>{cdata(creator)}</dc:creator>
  <content:encoded>{cdata(body)}</content:encoded>
  <excerpt:encoded>{cdata("")}</excerpt:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date>{cdata(date)}</wp:post_date>
  <wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>
  <wp:post_modified>{cdata(modified)}</wp:post_modified>
  <wp:post_modified_gmt>{cdata(modified)}</wp:post_modified_gmt>
  <wp:post_name>{cdata(slug)}</wp:post_name>
  <wp:status>{cdata(status)}</wp:status>
  <wp:post_type>{cdata(post_type)}</wp:post_type>
  <wp:post_password>{cdata(password)}</wp:post_password>
  {"".join(terms)}
  {"".join(meta(key, value) for key, value in metas)}
  {extra}
</item>"""


def attachment(post_id, url, *, attached_file=None, alt="", parent=0):
    metas = [("_wp_attachment_image_alt", alt)]
    if attached_file:
        metas.append(("_wp_attached_file", attached_file))
    return post(
        post_id,
        title=f"image-{post_id}",
        body="",
        status="inherit",
        post_type="attachment",
        categories=(),
        metas=metas,
        extra=f"<wp:attachment_url>{cdata(url)}</wp:attachment_url>"
        f"<wp:post_parent>{parent}</wp:post_parent>",
    )


def footnotes(*notes):
    return json.dumps([{"id": f"fn-{i}", "content": note} for i, note in enumerate(notes)])


def export(
    *items,
    version="1.2",
    scheme="https",
    link="https://blog.example.org",
    base_site_url=None,
    authors=("anna",),
    categories=("news",),
    header="",
):
    """A whole export; `categories` are nicenames or ready-made <wp:category> elements."""
    namespace = f"{scheme}://wordpress.org/export/{version}/"
    declared = "".join(c if c.startswith("<") else category(c) for c in categories)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="{namespace}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{namespace}">
<channel>
  <title>A blog</title>
  <link>{link}</link>
  <language>en-US</language>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>{base_site_url or link}</wp:base_site_url>
  <wp:base_blog_url>{link}</wp:base_blog_url>
  {"".join(author(login) for login in authors)}
  {declared}
  {header}
  {"".join(items)}
</channel>
</rss>
"""
