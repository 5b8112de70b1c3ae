from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from modeltranslation.translator import translator

from articles.desk import desk_home
from articles.models import Article, language_codes
from articles.sanitize import clean_html

register = template.Library()


@register.filter
def desk_time(moment):
    """A moment as the desk shows it, in the newsroom's time zone and naming it:
    "2026-12-06 09:30 CET". Compact and the same in every language."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


@register.simple_tag(takes_context=True, name="desk_home")
def desk_home_tag(context):
    """What waits for the signed-in user (articles/desk.py), for the admin's home page."""
    user = context["request"].user
    if not (user.has_perm("articles.view_article") or user.has_perm("articles.change_article")):
        return None
    return desk_home(user)


@register.simple_tag
def readonly_field(field):
    """A read-only field of the article form as the desk shows it: a body as the sanitized
    rich text readers see, not its HTML source; each language's version of a translated field
    marked like an input so that the change form's language tabs show one language at a time."""
    name = field.field["name"] if isinstance(field.field, dict) else ""
    translated = translated_field(name)
    if translated is None:
        return field.contents()
    base, code = translated
    if base in RICH_TEXT_FIELDS:
        contents = mark_safe(clean_html(getattr(field.form.instance, name) or ""))
    else:
        contents = field.contents()
    return format_html(
        '<div class="readonly mt mt-field-{}-{}{}" id="id_{}">{}</div>',
        base,
        code,
        " readonly-rich-text" if base in RICH_TEXT_FIELDS else "",
        name,
        contents,
    )


RICH_TEXT_FIELDS = {"body"}


def translated_field(name):
    """("body", "fr") for "body_fr", None for a field that is not translated."""
    base, _, code = name.rpartition("_")
    fields = translator.get_options_for_model(Article).fields
    if code in language_codes() and base in fields:
        return base, code
    return None
