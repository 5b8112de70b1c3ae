from django.contrib import admin

from newsroom.permalinks.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "content_type", "object_id", "language", "created_at"]
    list_filter = ["content_type", "language"]
    search_fields = ["old_path"]
    readonly_fields = ["old_path", "content_type", "object_id", "language", "created_at"]

    def has_add_permission(self, request):
        return False
