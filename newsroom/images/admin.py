from django.utils.html import format_html
from django.utils.translation import gettext as _

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
