from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "newsroom.notices"
    label = "notices"
    verbose_name = _("Site notice")

    def ready(self):
        from newsroom.notices import invalidation  # noqa: F401
