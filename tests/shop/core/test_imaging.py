"""One image check for every upload (shop.apps.core.imaging.image_upload_check): at most
40 megapixels, real JPEG/PNG/WebP/GIF only (decoded by Pillow, whatever the name says),
decompression bombs refused with a clear message; on Oscar's dashboard, in Wagtail and for
the POS QRIS image."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from shop.apps.core.imaging import MAX_IMAGE_PIXELS, image_upload_check
from shop.pos.forms import QrisForm
from tests.factories import CategoryFactory

ProductImage = get_model("catalogue", "ProductImage")


def png_bytes(size, mode="RGB", colour=0) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    """144 megapixels, as the issue reported; 1-bit and all white, so the file is small
    (about 20 KB) and cheap to make, while decoding it would need 144 MB or more."""
    return png_bytes((12_000, 12_000), mode="1", colour=1)


@pytest.fixture(scope="module")
def huge_bomb_png() -> bytes:
    """Past twice Pillow's own limit (400 megapixels): Pillow refuses even to open it."""
    return png_bytes((20_000, 20_000), mode="1", colour=1)


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def valid_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_144_megapixel_png_is_refused_quickly_with_its_size(bomb_png, english):
    assert len(bomb_png) < 200_000

    started = time.perf_counter()
    with pytest.raises(ValidationError) as exc:
        image_upload_check(upload("poster.png", bomb_png))

    assert time.perf_counter() - started < 1.0  # judged from the header, not decoded
    assert exc.value.code == "image_too_many_pixels"
    assert "144 megapixels" in messages(exc) and "at most 40" in messages(exc)


def test_a_decompression_bomb_past_pillows_own_limit_is_refused(huge_bomb_png, english):
    with pytest.raises(ValidationError) as exc:
        image_upload_check(upload("bomb.png", huge_bomb_png))

    assert exc.value.code == "image_too_many_pixels"
    assert "at most 40 megapixels" in messages(exc)


def test_a_text_file_named_png_is_refused(english):
    with pytest.raises(ValidationError) as exc:
        image_upload_check(upload("photo.png", b"<script>alert(1)</script>\n" * 20))

    assert exc.value.code == "image_invalid"
    assert "not a JPEG, PNG, WebP or GIF" in messages(exc)


def test_other_image_types_and_damaged_images_are_refused():
    bmp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(bmp, "BMP")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    truncated = png_bytes((400, 400), colour=(10, 200, 30))[:200]

    for name, content in (("a.png", bmp.getvalue()), ("b.png", svg), ("c.png", truncated)):
        with pytest.raises(ValidationError) as exc:
            image_upload_check(upload(name, content))
        assert exc.value.code == "image_invalid", name


def test_valid_images_pass_and_stay_readable():
    jpeg = upload("roti.png", valid_jpeg())  # the content decides, not the name
    image_upload_check(jpeg)
    assert jpeg.read() == valid_jpeg()

    just_enough = png_bytes((8_000, 5_000), mode="1")  # exactly 40 megapixels
    assert MAX_IMAGE_PIXELS == 8_000 * 5_000
    image_upload_check(upload("batik.png", just_enough))


@pytest.mark.django_db
def test_oscar_dashboard_refuses_a_bomb_as_product_image(client, workshop_staff, product, bomb_png):
    from tests.catalog.helpers import food_product
    from tests.shop.dashboard.test_catalogue import open_page, page_data, product_url

    product = food_product(
        title="Roti Tawar", workshop=product.workshop, categories=[CategoryFactory(name="Roti")]
    )
    client.force_login(workshop_staff)
    page = open_page(client, product)
    prefix = page.context["image_formset"].prefix
    data = page_data(page)

    data[f"{prefix}-0-original"] = upload("poster.png", bomb_png)
    response = client.post(product_url(product), data)

    assert response.status_code == 200
    errors = str(response.context["image_formset"].errors)
    assert "144" in errors and "40" in errors  # megapixels, in the page's language
    assert not ProductImage.objects.filter(product=product).exists()

    data = page_data(open_page(client, product))
    data[f"{prefix}-0-original"] = upload("foto.jpg", valid_jpeg(), "image/jpeg")
    response = client.post(product_url(product), data)
    assert response.status_code == 302
    assert ProductImage.objects.filter(product=product).count() == 1


@pytest.mark.django_db
def test_wagtail_refuses_a_text_file_named_png(client, central_admin, english):
    from wagtail.images import get_image_model

    client.force_login(central_admin)

    response = client.post(
        "/cms/images/add/",
        {
            "title": "Foto",
            "description": "Roti di rak",
            "file": upload("photo.png", b"not an image at all" * 50),
        },
    )

    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Foto").exists()
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_wagtail_refuses_the_144_megapixel_png(client, central_admin, bomb_png, english):
    from wagtail.images import get_image_model

    client.force_login(central_admin)

    response = client.post(
        "/cms/images/add/",
        {"title": "Poster", "description": "Poster", "file": upload("poster.png", bomb_png)},
    )

    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Poster").exists()
    assert "too many pixels" in str(response.context["form"].errors["file"])


@pytest.mark.django_db
def test_the_qris_image_gets_the_same_check(central_admin, lapas, bomb_png, english):
    def form(name, content):
        return QrisForm(
            {"lapas": lapas.pk}, {"qris_image": upload(name, content)}, user=central_admin
        )

    refused = form("qris.png", bomb_png)
    assert not refused.is_valid()
    assert "144 megapixels" in str(refused.errors["qris_image"])

    assert form("qris.jpg", valid_jpeg()).is_valid()
