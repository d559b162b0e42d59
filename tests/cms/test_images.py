"""Images: editors must give alt text; pages use renditions (sizes, WebP) that respect
the focal point."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from tests.cms.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def upload(client, **fields):
    data = {
        "title": "Roti",
        "file": SimpleUploadedFile("roti.jpg", jpeg_bytes(), content_type="image/jpeg"),
        **fields,
    }
    return client.post(reverse("wagtailimages:add"), data)


def test_an_image_without_a_description_is_refused(client, editor):
    client.force_login(editor)

    response = upload(client, description="")

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not get_image_model().objects.exists()


def test_an_image_with_a_description_is_accepted(client, editor):
    client.force_login(editor)

    response = upload(client, description="Roti tawar di atas rak.")

    assert response.status_code == 302
    assert get_image_model().objects.get().description == "Roti tawar di atas rak."


def test_story_pictures_are_webp_renditions_cropped_around_the_focal_point(client, story, image):
    image.focal_point_x, image.focal_point_y = 60, 50
    image.focal_point_width, image.focal_point_height = 40, 40
    image.save()
    story.image = image
    story.save()

    body = client.get(story.url).content.decode()

    assert 'type="image/webp"' in body
    assert "fill-640x360" in body and "format-webp" in body
    assert 'alt="Roti tawar di atas rak pendingin."' in body
    rendition = image.get_rendition("fill-640x360|format-webp")
    assert rendition.focal_point is not None
    assert rendition.file.name.endswith(".webp")


def test_hero_picture_is_decorative_behind_the_title(client, home, image):
    home.hero_image = image
    home.save()

    body = client.get("/").content.decode()

    assert 'class="hero-image"' in body
    assert 'alt=""' in body
