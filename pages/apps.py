from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        from articles.revisions import register
        from pages.changes import connect_receivers
        from pages.models import Page

        connect_receivers()
        register(Page)
