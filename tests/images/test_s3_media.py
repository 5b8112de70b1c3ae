"""Media in an S3-protocol object store (the `s3` extra), against a real S3 server.

moto's standalone server speaks the S3 HTTP API on loopback; django-storages and boto3 talk
to it exactly as to AWS, MinIO or R2. Skips, with the reason, when it is not installed.
"""

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article
from bench.cluster import public_read_policy
from newsroom.images import renditions
from newsroom.images.models import Image
from tests.factories import ArticleFactory
from tests.images import samples
from tests.images.test_uploads import post_with_image
from tests.transfer.conftest import FIXTURES, run_import, write_image

boto3 = pytest.importorskip("boto3", reason="needs the s3 extra: pip install -e '.[s3]'")
pytest.importorskip("storages", reason="needs the s3 extra: pip install -e '.[s3]'")

PORT = 7452
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "newsroom-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto_server on loopback, with a bucket readers may read from, as the README asks."""
    program = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if program is None:
        pytest.skip("needs moto_server: pip install 'moto[s3]' flask flask-cors (dev extra)")
    log = tmp_path_factory.mktemp("s3") / "requests.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [program, "-H", "127.0.0.1", "-p", str(PORT)], stdout=output, stderr=output
        )
    try:
        client = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", **CREDENTIALS)
        for _ in range(100):
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if server.poll() is not None:
                    pytest.fail(f"moto_server stopped: {log.read_text()}")
                time.sleep(0.1)
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read_policy(BUCKET)))
        yield client, log
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def bucket(s3_server, settings):
    """Media stored in the bucket with the options newsroom/settings.py gives S3Storage."""
    client, log = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    yield Bucket(client, log)
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


class Bucket:
    def __init__(self, client, log):
        self.client = client
        self.log = log

    def names(self):
        listing = self.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {item["Key"] for item in listing}

    def requests_served(self):
        """How many HTTP requests the S3 server has answered so far (its request log)."""
        return sum(" HTTP/1.1" in line for line in self.log.read_text().splitlines())


def files_of(image):
    return {image.file.name, *renditions.files_of(image.file_renditions)}


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def uploaded(bucket, editor_client):
    url = reverse("admin:images_image_add")
    response = post_with_image(editor_client, url, "file", samples.jpeg(), title="Port")
    assert response.status_code == 302
    return ArticleFactory(translated=True, lead_image=Image.objects.get())


@pytest.mark.django_db
def test_an_upload_in_the_admin_stores_the_original_and_its_renditions_in_the_bucket(
    uploaded, bucket
):
    assert uploaded.lead_image.file.name.startswith("images/")
    assert len(files_of(uploaded.lead_image)) > 5
    assert files_of(uploaded.lead_image) <= bucket.names()


@pytest.mark.django_db
def test_image_urls_are_plain_stable_and_readable_by_anyone(uploaded):
    url = uploaded.lead_image.file.url
    assert url == f"{ENDPOINT}/{BUCKET}/{uploaded.lead_image.file.name}"
    assert Image.objects.get().file.url == url
    with urllib.request.urlopen(url) as response:
        assert response.status == 200
        assert response.read()[:3] == b"\xff\xd8\xff"  # a JPEG, read without credentials


@pytest.mark.django_db
def test_pages_are_drawn_without_opening_a_file(uploaded, bucket, client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    before = bucket.requests_served()
    for url in [uploaded.get_absolute_url("en"), "/en/", uploaded.section.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
    assert (
        uploaded.lead_image.file.name.rsplit(".", 1)[0]
        in client.get(uploaded.get_absolute_url("en")).content.decode()
    )
    assert bucket.requests_served() == before


@pytest.mark.django_db(transaction=True)
def test_deleting_the_image_removes_its_files_from_the_bucket(uploaded, bucket):
    files = files_of(uploaded.lead_image)
    uploaded.lead_image.delete()
    assert not files & bucket.names()


@pytest.mark.django_db
def test_an_import_with_media_dir_puts_the_images_in_the_bucket(bucket, tmp_path):
    for name in ["2022/01/harbour.png", "2024/03/corridor.png", "people/lea.png"]:
        write_image(tmp_path / "uploads" / name)
    run_import(FIXTURES / "newsroom.json", "--media-dir", tmp_path / "uploads")
    imported = Article.objects.exclude(lead_image=None).get()
    assert imported.lead_image.file.name.startswith("articles/imported/")
    assert files_of(imported.lead_image) <= bucket.names()
