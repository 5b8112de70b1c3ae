from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Site notice")

    def ready(self):
        from notices import invalidation  # noqa: F401
