from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendCacheConfig(AppConfig):
    name = "newsroom.frontcache"
    label = "frontcache"
    verbose_name = _("Frontend caches")
