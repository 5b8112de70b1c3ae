"""Image settings from the environment: limits, minimum sizes and where media is stored."""

from ast import literal_eval

from tests.test_settings import run_with_environ, setting_values

IMAGE_SETTINGS = [
    "STORAGES['default']",
    "NEWSROOM_IMAGE_MAX_BYTES",
    "NEWSROOM_IMAGE_MAX_PIXELS",
    "NEWSROOM_LEAD_IMAGE_MIN_SIZE",
    "NEWSROOM_AUTHOR_PHOTO_MIN_SIZE",
]


def image_settings(**environ):
    return [
        literal_eval(value)
        for value in setting_values(*IMAGE_SETTINGS, DJANGO_DEBUG="1", **environ)
    ]


def test_media_is_on_the_local_disk_by_default_with_sensible_limits():
    storage, max_bytes, max_pixels, lead_min, photo_min = image_settings()
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert (max_bytes, max_pixels) == (20 * 1024 * 1024, 40_000_000)
    assert (lead_min, photo_min) == ((1200, 630), (200, 200))


def test_a_bucket_moves_media_to_an_s3_compatible_store():
    storage, *_limits = image_settings(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.org"
    assert storage["OPTIONS"]["custom_domain"] == "media.example.org"
    assert storage["OPTIONS"]["querystring_auth"] is False


def test_readers_browsers_may_load_images_from_the_bucket():
    (policy,) = setting_values(
        "CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        DJANGO_DEBUG="1",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
    )
    assert literal_eval(policy)[-2:] == [
        "https://objects.example.org",
        "https://newsroom-media.objects.example.org",
    ]
    (policy,) = setting_values(
        "CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        DJANGO_DEBUG="1",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert literal_eval(policy)[-1] == "https://media.example.org"


def test_limits_and_minimum_sizes_come_from_the_environment():
    _storage, max_bytes, max_pixels, lead_min, _photo = image_settings(
        NEWSROOM_IMAGE_MAX_BYTES="5000000",
        NEWSROOM_IMAGE_MAX_PIXELS="24000000",
        NEWSROOM_LEAD_IMAGE_MIN_SIZE="1600x900",
    )
    assert (max_bytes, max_pixels, lead_min) == (5_000_000, 24_000_000, (1600, 900))


def test_a_malformed_minimum_size_is_a_clear_startup_error():
    result = run_with_environ(
        ["-c", "import django; django.setup()"],
        DJANGO_DEBUG="1",
        NEWSROOM_LEAD_IMAGE_MIN_SIZE="1200 by 630",
    )
    assert result.returncode != 0
    assert "NEWSROOM_LEAD_IMAGE_MIN_SIZE: '1200 by 630' is not WIDTHxHEIGHT" in result.stderr
