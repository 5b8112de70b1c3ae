from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermalinksConfig(AppConfig):
    name = "newsroom.permalinks"
    label = "permalinks"
    verbose_name = _("Old addresses")
