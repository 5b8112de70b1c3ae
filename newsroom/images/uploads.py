"""Accepting an uploaded image: verify it, then keep only a clean re-encoded copy.

Nothing of the uploaded file survives but its pixels: it is opened by Pillow restricted to
JPEG, PNG and WebP, refused before decoding when it has too many pixels, reduced to at most
STORED_MAX_PIXELS, turned upright from its EXIF orientation, converted to sRGB and saved
again without any metadata (GPS, camera, comments). The file name is generated later by
`newsroom.images.fields.GeneratedName`.

Memory: a decoded pixel takes up to 4 bytes, so the largest accepted image (40 MP by
default) is 160 MB once decoded, and each full-size copy would add as much. A JPEG is
decoded directly at the reduced scale (`Image.draft`); another large image is decoded once
and reduced strip by strip into a copy a quarter of its size or less, and everything after
(turning, colour conversion, encoding) works on that copy.
"""

import io
import math
import warnings

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms

# Pillow format name -> file extension of the stored original.
ACCEPTED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
SRGB = ImageCms.createProfile("sRGB")
TRANSPARENT_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
# Enough for every rendition (the widest is 1920 pixels) and for sharper ones later (4K).
STORED_MAX_PIXELS = 16_000_000
# Modes `Image.reduce` works in; others are converted strip by strip first.
REDUCIBLE_MODES = {"L", "LA", "La", "I", "F", "RGB", "RGBA", "RGBa", "CMYK", "YCbCr"}
# Rows of the reduced image made from one strip of the decoded one.
STRIP_ROWS = 256
# EXIF orientation -> the transposition that makes the image upright.
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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
    orientation = exif_orientation(header)
    width, height = header.size
    check_min_size((height, width) if orientation in (5, 6, 7, 8) else (width, height), min_size)
    format_name = header.format
    image = decode_reduced_upright(header, orientation)
    extension = ACCEPTED_FORMATS[format_name]
    return ContentFile(encode(to_srgb(image), format_name), name=f"image{extension}")


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


def exif_orientation(image):
    try:
        return image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:
        return 1  # unreadable EXIF: as it is


def reduction_factor(size):
    """The smallest whole factor that brings `size` to at most STORED_MAX_PIXELS."""
    width, height = size
    return max(1, math.ceil(math.sqrt(width * height / STORED_MAX_PIXELS)))


def decode_reduced_upright(image, orientation):
    """Decode the pixels (only the first frame of an animation), reduced to at most
    STORED_MAX_PIXELS, and apply the EXIF orientation, so that a phone photo taken upright
    is stored upright."""
    try:
        factor = reduction_factor(image.size)
        if factor > 1:
            # JPEG only: decode at 1/2, 1/4 or 1/8 scale, at least the size asked for.
            image.draft(None, (image.width // factor, image.height // factor))
        image.load()
        factor = reduction_factor(image.size)
        if factor > 1:
            image = reduced(image, factor)
        if orientation in UPRIGHT:
            image = image.transpose(UPRIGHT[orientation])
    except Exception as error:
        # A truncated or corrupt file fails here, with whichever error its decoder raises.
        raise ValidationError(
            _("This image file is damaged or incomplete. Export it again and upload the copy."),
            code="damaged_image",
        ) from error
    return image


def reduced(image, factor):
    """`image` reduced by `factor` (averaging each factor x factor block), made strip by
    strip so that no second full-size copy exists at any time."""
    mode = image.mode
    if mode not in REDUCIBLE_MODES:
        mode = "RGBA" if has_transparency(image) else "RGB"
    width, height = image.size
    result = Image.new(mode, (math.ceil(width / factor), math.ceil(height / factor)))
    step = STRIP_ROWS * factor
    for top in range(0, height, step):
        strip = image.crop((0, top, width, min(height, top + step)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        result.paste(strip.reduce(factor), (0, top // factor))
    result.info = dict(image.info)
    image.close()
    return result


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
        # The image is ours alone: no copy when it is already in the right mode.
        converted = image.convert(mode) if image.mode != mode else image
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


class UploadSizeLimitHandler(FileUploadHandler):
    """The first upload handler: a request larger than an image and a form together is
    refused before its body is read, and a file past NEWSROOM_IMAGE_MAX_BYTES is no longer
    kept (in memory or on disk) but only counted, so that the form can say how large it was.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.NEWSROOM_IMAGE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if content_length and content_length > limit:
            raise RequestDataTooBig("The request is larger than an image and a form.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.NEWSROOM_IMAGE_MAX_BYTES:
            return None  # the next handlers neither keep nor see the rest
        return raw_data

    def file_complete(self, file_size):
        if self.received > settings.NEWSROOM_IMAGE_MAX_BYTES:
            return UploadedFile(
                io.BytesIO(), self.file_name, self.content_type, self.received, self.charset
            )
        return None
