from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from newsroom.images.models import Image

PREVIEW_WIDTH = 640


def focal_point_picker(field_file):
    """The image as editors see it in the admin; `static/js/focal-point.js` turns a click on
    it into the focus percentages typed into the two fields below it, or, where those fields
    are read-only, places the marker at the stored focus."""
    if not field_file:
        return _("Save the image first, then click on it here to set its focal point.")
    if not field_file._committed:
        # A form that came back with errors: the chosen file was checked but never stored,
        # and a browser cannot send it again by itself.
        return _(
            "The image was not saved because the form has errors: choose the image again "
            "before saving."
        )
    picture = field_file.picture
    if picture is None:
        return _("The image file cannot be read: upload the image again.")
    preview = picture.at_least(PREVIEW_WIDTH)
    names = field_file.field.focus_fields
    return format_html(
        '<div class="focal-point" data-focal-point data-x-input="id_{}" data-y-input="id_{}"'
        ' data-x="{}" data-y="{}">'
        '<img src="{}" alt="{}" width="{}" height="{}">'
        '<span class="focal-point__marker" aria-hidden="true"></span></div>',
        names[0],
        names[1],
        getattr(field_file.instance, names[0]),
        getattr(field_file.instance, names[1]),
        preview.jpeg_url if preview else picture.src,
        _("Click where the crops should centre"),
        picture.width,
        picture.height,
    )


THUMBNAIL_WIDTH = 120
SEARCH_RESULTS = 10
# What the figure box asks of an image uploaded from a body editor.
UPLOAD_FIELDS = ["file", "title", "credit"]


def figure_choice(image):
    """An image as the body editor's figure box lists it (static/js/figures.js)."""
    teaser = image.crops.get("teaser")
    source = teaser.at_least(THUMBNAIL_WIDTH) if teaser else None
    return {
        "id": image.pk,
        "title": image.title,
        "credit": image.credit,
        "caption": image.caption,
        "thumbnail": source.jpeg_url if source else (teaser and teaser.src),
    }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library. An image a live article shows cannot be deleted: the confirmation
    page lists those articles instead."""

    list_display = ["thumbnail", "title", "credit", "size", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "credit"]
    readonly_fields = ["focal_point", "used_in"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "file",
                    "focal_point",
                    ("file_focus_x", "file_focus_y"),
                    "title",
                    "credit",
                    "caption",
                ]
            },
        ),
        (gettext_lazy("Used in"), {"fields": ["used_in"]}),
    ]

    @admin.display(description=gettext_lazy("image"))
    def thumbnail(self, image):
        teaser = image.crops.get("teaser")
        if not teaser:
            return "—"
        source = teaser.at_least(THUMBNAIL_WIDTH)
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy">',
            source.jpeg_url if source else teaser.src,
            THUMBNAIL_WIDTH,
            round(teaser.height * THUMBNAIL_WIDTH / teaser.width),
        )

    @admin.display(description=gettext_lazy("size"))
    def size(self, image):
        width, height = image.file.original_size
        return f"{width} × {height}" if width else "—"

    @admin.display(description=gettext_lazy("focal point"))
    def focal_point(self, image):
        return focal_point_picker(image.file)

    @admin.display(description=gettext_lazy("used in"))
    def used_in(self, image):
        if image.pk is None:
            return "—"
        uses = [
            (reverse("admin:articles_article_change", args=[article.pk]), article)
            for article in image.articles_using().order_by("-pk")
        ] + [
            (reverse("admin:authors_author_change", args=[author.pk]), author)
            for author in image.photo_of.order_by("name")
        ]
        if not uses:
            return _("Nothing uses this image yet.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', uses)
        )

    def get_urls(self):
        return [
            path(
                "search/",
                self.admin_site.admin_view(self.search_view),
                name="images_image_search",
            ),
            path(
                "upload/",
                self.admin_site.admin_view(require_POST(self.upload_view)),
                name="images_image_upload",
            ),
            *super().get_urls(),
        ]

    def search_view(self, request):
        """Images whose title or credit matches `q`, for the body editor's figures
        (static/js/figures.js)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        images, _may_have_duplicates = self.get_search_results(request, Image.objects.all(), term)
        results = [figure_choice(image) for image in images[:SEARCH_RESULTS]] if term else []
        return JsonResponse({"results": results})

    def upload_view(self, request):
        """A new library image from the body editor's figure box, checked by this admin's
        own form: the image as `search_view` lists it, or the form's errors (status 400)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.get_form(request, fields=UPLOAD_FIELDS)(request.POST, request.FILES)
        if not form.is_valid():
            errors = [
                _("%(field)s: %(error)s") % {"field": form[name].label, "error": error}
                for name, field_errors in form.errors.items()
                for error in field_errors
            ]
            return JsonResponse({"errors": errors}, status=400)
        image = self.save_form(request, form, change=False)
        self.save_model(request, image, form, change=False)
        self.log_addition(request, image, self.construct_change_message(request, form, None, True))
        return JsonResponse(figure_choice(image))

    def get_deleted_objects(self, objs, request):
        """Live articles showing one of `objs` are listed as protected: the admin then
        refuses the deletion and shows them."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            protected += [
                _("%(article)s (live, shows “%(image)s”)") % {"article": article, "image": image}
                for article in image.live_articles_using()
            ]
        return deleted, counts, perms_needed, protected

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/focal-point.js"]
