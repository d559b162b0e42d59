"""Uploads in S3-compatible object storage: the production settings put them in the bucket,
and Wagtail renditions and Oscar's sorl thumbnails are made and found there."""

import io
import os
import subprocess
import sys
import urllib.request

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image

from shop.settings.object_storage import object_storage_settings

from .conftest import ROOT


def jpeg_bytes(size=(640, 480), colour=(180, 90, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_no_bucket_means_the_local_disk(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    assert object_storage_settings(environ.Env()) == {}


def test_a_public_domain_turns_signed_urls_off_unless_asked(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "karya-media")
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.karya.example")

    values = object_storage_settings(environ.Env())

    assert values["AWS_QUERYSTRING_AUTH"] is False
    assert values["AWS_S3_FILE_OVERWRITE"] is False

    monkeypatch.delenv("AWS_S3_CUSTOM_DOMAIN")
    assert object_storage_settings(environ.Env())["AWS_QUERYSTRING_AUTH"] is True


def test_production_settings_put_an_upload_in_the_bucket(s3_server, bucket):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        s3_server.env(bucket),
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        SECRET_KEY="k4rya-" + "x7Q9pL2mZ8vB3nR6tY1wE5uI0oA4sD" * 2,
        ALLOWED_HOSTS="karya.example",
        DATABASE_URL="sqlite:////tmp/karya-storage-check.sqlite3",
    )
    script = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.save('pos/qris/kode.png', ContentFile(b'qris')))\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pos/qris/kode.png"
    assert s3_server.keys(bucket) == ["media/pos/qris/kode.png"]


def test_a_saved_file_is_readable_through_its_signed_url(object_storage, s3_server):
    name = default_storage.save("catalogue/roti.jpg", ContentFile(jpeg_bytes()))
    url = default_storage.url(name)

    assert url.startswith(s3_server.endpoint)
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        assert response.read()[:2] == b"\xff\xd8"
    # A second upload of the same name gets a name of its own instead of replacing it.
    assert default_storage.save("catalogue/roti.jpg", ContentFile(b"x")) != name


@pytest.mark.django_db
def test_wagtail_renditions_are_made_in_the_bucket(object_storage, s3_server):
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(
        title="Batik tulis",
        file=ImageFile(io.BytesIO(jpeg_bytes()), name="batik.jpg"),
    )

    rendition = image.get_rendition("fill-200x150")

    keys = s3_server.keys(object_storage)
    assert f"media/{image.file.name}" in keys
    assert f"media/{rendition.file.name}" in keys
    assert (rendition.width, rendition.height) == (200, 150)
    # Another node asking for the same rendition finds the row, not a new file.
    assert image.get_rendition("fill-200x150").file.name == rendition.file.name


@pytest.mark.django_db
def test_oscar_thumbnails_are_made_in_the_bucket_and_remembered_in_the_database(
    object_storage, s3_server, product
):
    from oscar.core.loading import get_model
    from oscar.core.thumbnails import get_thumbnailer
    from sorl.thumbnail.models import KVStore

    ProductImage = get_model("catalogue", "ProductImage")

    product_image = ProductImage.objects.create(
        product=product, original=ContentFile(jpeg_bytes(), name="roti.jpg"), display_order=0
    )

    thumbnail = get_thumbnailer().generate_thumbnail(product_image.original, size="120x90")

    assert f"media/{thumbnail.name}" in s3_server.keys(object_storage)
    assert thumbnail.url.startswith(s3_server.endpoint)
    # sorl's key-value store lives in the database (and the cache), never on one node's disk.
    assert KVStore.objects.filter(value__contains=thumbnail.name).exists()
