"""Accepting an uploaded image: verify it, then keep only a clean re-encoded copy.

Nothing of the uploaded file survives but its pixels: it is opened by Pillow restricted to
JPEG, PNG and WebP, refused before decoding when it has too many pixels, turned upright
from its EXIF orientation, converted to sRGB and saved again without any metadata (GPS,
camera, comments). The file name is generated later by `newsroom.images.fields.GeneratedName`.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

# Pillow format name -> file extension of the stored original.
ACCEPTED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
SRGB = ImageCms.createProfile("sRGB")
TRANSPARENT_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def verified_image(upload, *, min_size=(1, 1)):
    """A clean re-encoded copy of `upload` as a `ContentFile`, or a `ValidationError`
    that tells the editor, in their language, why the image was refused."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; an image may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    header = open_header(upload)
    check_pixels(header.size)
    image = decode_upright(header)
    check_min_size(image.size, min_size)
    extension = ACCEPTED_FORMATS[header.format]
    return ContentFile(encode(to_srgb(image), header.format), name=f"image{extension}")


def open_header(upload):
    """Read only the header, with Pillow restricted to the accepted formats."""
    try:
        with warnings.catch_warnings():
            # `check_pixels` refuses such an image next, with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=list(ACCEPTED_FORMATS))
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except Exception as error:
        # Pillow raises many exception types on hostile headers; all mean "refused".
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image. This file is not one (or it is damaged)."),
            code="invalid_image_format",
        ) from error
    return image


def check_pixels(size):
    width, height = size
    if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise too_many_pixels()


def too_many_pixels():
    return ValidationError(
        _("This image has too many pixels: an image may have at most %(limit)s million."),
        code="too_many_pixels",
        params={"limit": f"{settings.NEWSROOM_IMAGE_MAX_PIXELS / 1_000_000:g}"},
    )


def check_min_size(size, min_size):
    (width, height), (min_width, min_height) = size, min_size
    if width < min_width or height < min_height:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; it must be at least "
                "%(min_width)s × %(min_height)s."
            ),
            code="image_too_small",
            params={
                "width": width,
                "height": height,
                "min_width": min_width,
                "min_height": min_height,
            },
        )


def decode_upright(image):
    """Decode the pixels (only the first frame of an animation) and apply the EXIF
    orientation, so that a phone photo taken upright is stored upright."""
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Exception as error:
        # A truncated or corrupt file fails here, with whichever error its decoder raises.
        raise ValidationError(
            _("This image file is damaged or incomplete. Export it again and upload the copy."),
            code="damaged_image",
        ) from error
    return upright


def to_srgb(image):
    """The pixels in sRGB (RGB, or RGBA when transparent), with no metadata attached."""
    mode = "RGBA" if has_transparency(image) else "RGB"
    profile = image.info.get("icc_profile")
    converted = None
    if profile:
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)), SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # an unusable profile: treat the pixels as sRGB
    if converted is None:
        converted = image.convert(mode) if image.mode != mode else image.copy()
    converted.info = {}
    return converted


def has_transparency(image):
    return image.mode in TRANSPARENT_MODES or "transparency" in image.info


def encode(image, format_name):
    """Save `image` in `format_name` with no EXIF, XMP, ICC profile or text chunks."""
    buffer = io.BytesIO()
    if format_name == "JPEG":
        flatten(image).save(buffer, "JPEG", quality=90, optimize=True, progressive=True)
    elif format_name == "WEBP":
        image.save(buffer, "WEBP", quality=90, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def flatten(image, background=(255, 255, 255)):
    """JPEG has no transparency: lay a transparent image on white."""
    if image.mode != "RGBA":
        return image.convert("RGB") if image.mode != "RGB" else image
    flat = Image.new("RGB", image.size, background)
    flat.paste(image, mask=image.getchannel("A"))
    return flat
