from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def desk_time(moment):
    """A moment as the desk shows it, in the newsroom's time zone and naming it:
    "2026-12-06 09:30 CET". Compact and the same in every language."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
