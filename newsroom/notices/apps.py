from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "newsroom.notices"
    label = "notices"
    verbose_name = _("Site notice")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from newsroom.notices.invalidation import notice_changed
        from newsroom.notices.models import SiteNotice

        for signal in (post_save, post_delete):
            signal.connect(notice_changed, sender=SiteNotice)
