"""Memory: the largest image accepted is verified, stored and rendered by a worker whose peak
resident memory stays under 300 MB; an upload over the byte limit is counted, never kept.

The peak is measured in a fresh Python process (its peak resident set, `VmHWM`), as a
worker would run it: the pixels live in Pillow's own memory, which `tracemalloc` does not
see, and `getrusage`'s `ru_maxrss` keeps the parent's peak across `exec` on Linux.
"""

import io
import json
import math
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from newsroom.images import renditions
from newsroom.images.uploads import STORED_MAX_PIXELS, verified_image
from tests.html_forms import form_values
from tests.images import samples

WORKER_MEMORY_LIMIT = 300 * 1024 * 1024

# Verify an uploaded file and make the lead image's renditions from what is stored, as the
# admin does, then report the process's peak resident set in bytes.
WORKER = textwrap.dedent(
    """
    import json, os, sys, tempfile, types
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django
    django.setup()
    from django.core.files.storage import FileSystemStorage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from newsroom.images import renditions
    from newsroom.images.uploads import verified_image

    def peak_resident_bytes():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024

    before = peak_resident_bytes()
    with open(sys.argv[1], "rb") as handle:
        upload = SimpleUploadedFile("upload", handle.read())
    stored = verified_image(upload, min_size=(1200, 630))
    storage = FileSystemStorage(location=tempfile.mkdtemp())
    name = storage.save(stored.name, stored)
    del stored, upload
    from PIL import Image
    with storage.open(name) as handle, Image.open(handle) as image:
        size = image.size
    field_file = types.SimpleNamespace(
        name=name,
        storage=storage,
        open=lambda mode: storage.open(name, mode),
        original_size=size,
        focus=(50, 50),
        field=types.SimpleNamespace(spec=renditions.SPECS["library"]),
    )
    manifest = renditions.build(field_file)
    print(json.dumps({
        "before": before,
        "peak": peak_resident_bytes(),
        "stored": list(size),
        "renditions": len(manifest["renditions"]),
    }))
    """
)


def largest_accepted_size():
    """Square, or nearly: the most pixels NEWSROOM_IMAGE_MAX_PIXELS allows."""
    side = math.isqrt(django_settings.NEWSROOM_IMAGE_MAX_PIXELS)
    return side, django_settings.NEWSROOM_IMAGE_MAX_PIXELS // side


def worker_run(tmp_path, data):
    path = tmp_path / "upload"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def transparent_png(size):
    """Four bytes a pixel once decoded: the most memory an accepted format takes."""
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 20, 20, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def turned_cmyk_jpeg(size):
    """CMYK (four bytes a pixel), turned by its EXIF orientation: a conversion and a
    rotation on top of the decoding."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("CMYK", size, (0, 200, 200, 10)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
@pytest.mark.parametrize("make", [transparent_png, turned_cmyk_jpeg], ids=["png", "jpeg"])
def test_the_largest_accepted_image_keeps_a_worker_under_300_mb(tmp_path, make):
    size = largest_accepted_size()
    assert size[0] * size[1] <= django_settings.NEWSROOM_IMAGE_MAX_PIXELS
    report = worker_run(tmp_path, make(size))
    print(f"{make.__name__} {size}: peak {report['peak'] / 2**20:.0f} MB")  # for bench/README
    spec = renditions.SPECS["library"]
    assert report["renditions"] == len(spec.widths) + sum(map(len, spec.crops.values()))
    assert report["peak"] < WORKER_MEMORY_LIMIT, report
    stored_width, stored_height = report["stored"]
    assert stored_width * stored_height <= STORED_MAX_PIXELS


def test_the_default_limit_is_40_megapixels():
    assert django_settings.NEWSROOM_IMAGE_MAX_PIXELS == 40_000_000


def test_a_large_original_is_stored_reduced_by_a_whole_factor_and_upright():
    data = samples.jpeg((6000, 4000))
    stored = Image.open(io.BytesIO(verified_image(samples.upload(data)).read()))
    assert stored.size == (3000, 2000)
    stored = Image.open(io.BytesIO(verified_image(samples.upload(samples.phone_photo())).read()))
    assert stored.size == (1200, 1600)  # small enough to keep every pixel; turned upright


def test_the_reduced_copy_keeps_the_picture():
    image = Image.new("RGB", (6000, 4000), samples.RED)
    image.paste((0, 0, 255), (0, 0, 3000, 4000))  # the left half blue
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    stored = Image.open(io.BytesIO(verified_image(samples.upload(buffer.getvalue())).read()))
    assert stored.size == (3000, 2000)
    assert stored.getpixel((10, 1000)) == (0, 0, 255)
    assert stored.getpixel((2990, 1000)) == samples.RED


def test_an_upload_past_the_byte_limit_is_counted_but_not_kept(settings, rf):
    """The multipart parser hands each chunk to the size limit first: past the limit, no
    handler after it keeps a byte, and the form learns the size."""
    settings.NEWSROOM_IMAGE_MAX_BYTES = 100_000
    data = b"\xff" * 300_000
    request = rf.post("/", {"lead_image": SimpleUploadedFile("huge.jpg", data)})
    upload = request.FILES["lead_image"]
    assert upload.size == 300_000
    upload.seek(0)
    assert upload.read() == b""
    with pytest.raises(ValidationError) as caught:
        verified_image(upload)
    assert caught.value.code == "file_too_large"


def test_a_request_larger_than_an_image_and_a_form_is_refused_before_reading(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 100_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    factory = RequestFactory()
    request = factory.post("/", {"file": SimpleUploadedFile("x.jpg", b"\0" * 200_000)})
    with pytest.raises(RequestDataTooBig):
        request.FILES  # noqa: B018 (the body is parsed here)


@pytest.mark.django_db
def test_an_oversized_image_is_a_form_error_with_its_size(admin_client, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    url = reverse("admin:images_image_add")
    values = form_values(admin_client.get(url).content.decode()) | {"title": "Noise"}
    noise = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))
    values["file"] = samples.upload(samples.encoded(noise, "JPEG", quality=95), "big.jpg")
    response = admin_client.post(url, values)
    assert response.status_code == 200
    assert "an image may be at most 48.8\xa0KB" in response.content.decode()
