from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin import translated
from newsroom.notices.models import SiteNotice


@admin.register(SiteNotice)
class SiteNoticeAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "is_active", "ends_at", "shown_now"]
    list_editable = ["is_active"]
    search_fields = translated("message")
    fields = ["message", "is_active", "ends_at"]

    @admin.display(description=_("visible now"), boolean=True)
    def shown_now(self, notice):
        return notice.is_shown()
