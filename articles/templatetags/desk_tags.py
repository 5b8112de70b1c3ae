from django import template
from django.utils import timezone

from articles.desk import desk_home

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
