"""Real image files, made with Pillow (and by hand where Pillow refuses to write them),
and what the tests do with them."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageDraw

RED = (220, 20, 20)
BLUE = (20, 40, 200)
ORIENTATION, MAKE, MODEL, GPS_IFD = 0x0112, 0x010F, 0x0110, 0x8825


def picture(size=(1500, 1000), mode="RGB"):
    """A blue image with a red block in its top-left corner, to see rotations and crops."""
    image = Image.new(mode, size, BLUE if mode == "RGB" else (*BLUE, 255))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 5, size[1] // 5], fill=RED)
    return image


def encoded(image, format_name, **options):
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def jpeg(size=(1500, 1000), **options):
    return encoded(picture(size), "JPEG", quality=90, **options)


def png(size=(1500, 1000), mode="RGB"):
    return encoded(picture(size, mode), "PNG")


def webp(size=(1500, 1000)):
    return encoded(picture(size), "WEBP")


def phone_photo(size=(1600, 1200)):
    """A JPEG as a phone stores a portrait shot: landscape pixels, EXIF orientation 6
    (turn 90° clockwise to view), camera make and model, GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "Phonemaker"
    exif[MODEL] = "Pocket 12 Pro"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return encoded(picture(size), "JPEG", quality=90, exif=exif.tobytes())


def with_srgb_profile(size=(1500, 1000)):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(picture(size), "JPEG", quality=95, icc_profile=profile)


def cmyk_jpeg(size=(1500, 1000)):
    return encoded(picture(size).convert("CMYK"), "JPEG", quality=95)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=14_000, height=14_000):
    """A real greyscale PNG of `width` x `height` black pixels: a few hundred kilobytes on
    disk, `width * height` bytes once decoded (196 MB by default)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" * (width + 1)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def png_header_only(width, height):
    """A PNG header announcing `width` x `height` with no pixel data at all: refusing it
    for its size proves the refusal came before any decoding (which would fail)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IEND", b"")


DISGUISES = {
    "eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto showpage\n",
    "pdf": encoded(picture((200, 200)), "PDF"),
    "tiff": encoded(picture((1500, 1000)), "TIFF"),
    "gif": encoded(picture((1500, 1000)).convert("P"), "GIF"),
    "bmp": encoded(picture((1500, 1000)), "BMP"),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="9" height="9"/>',
    "html": b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
}


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def verified(data, min_size=(1, 1)):
    """`data` as the admin's image field accepts it: verified and re-encoded."""
    from newsroom.images.fields import VerifiedImageFormField

    return VerifiedImageFormField(min_size=min_size).clean(upload(data))


def library_image(data=None, **fields):
    """A saved image of the library, its file verified and re-encoded as uploads are."""
    from newsroom.images.models import Image

    image = Image(**{"title": "A test image", **fields})
    image.file = verified(data or jpeg())
    image.save()
    return image


def stored_files(settings):
    """Every file under MEDIA_ROOT, as storage names."""
    root = settings.MEDIA_ROOT
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
