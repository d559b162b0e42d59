"""Fixtures for the marketing site: the migrated home page, the English locale, an image,
an editor, and helpers that build pages the way editors and the demo do."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import (
    ExhibitionIndexPage,
    ExhibitionPage,
    HomePage,
    LapasIndexPage,
    LapasPage,
    WorkshopStoryPage,
)


def jpeg_bytes(size=(320, 200), colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def translate(page, *, locale, **fields):
    """An English (or other) version of ``page``, made as editors make it."""
    copy = page.copy_for_translation(locale)
    copy = type(page).objects.get(pk=copy.pk)
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def locale_en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def image(db):
    data = jpeg_bytes()
    return get_image_model().objects.create(
        title="Roti di rak",
        description="Roti tawar di atas rak pendingin.",
        file=ImageFile(io.BytesIO(data), name="roti.jpg"),
    )


@pytest.fixture
def editor(db):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(user=UserFactory(username="editor"), role_code="editor")


@pytest.fixture
def story(home, product):
    """Lapas index → Lapas page → workshop story of the product's workshop."""
    workshop = product.workshop
    index = home.add_child(instance=LapasIndexPage(title="Lapas dan Bengkel", slug="lapas"))
    lapas_page = index.add_child(
        instance=LapasPage(
            title=workshop.lapas.name,
            slug="lapas-tangerang",
            lapas=workshop.lapas,
            intro="Lapas dengan bengkel roti.",
        )
    )
    return lapas_page.add_child(
        instance=WorkshopStoryPage(
            title="Bengkel Roti",
            slug="bengkel-roti",
            workshop=workshop,
            intro="Roti dipanggang setiap pagi.",
            certifications="P-IRT 2063671010115-27",
        )
    )


@pytest.fixture
def exhibitions(home):
    index = home.add_child(instance=ExhibitionIndexPage(title="Pameran", slug="pameran"))
    today = timezone.localdate()
    upcoming = index.add_child(
        instance=ExhibitionPage(
            title="Pameran Produk Pemasyarakatan",
            slug="pameran-produk",
            venue="Gedung Smesco",
            address="Jl. Gatot Subroto Kav. 94",
            city="Jakarta Selatan",
            start_date=today + datetime.timedelta(days=10),
            end_date=today + datetime.timedelta(days=12),
            map_url="https://www.openstreetmap.org/",
            intro="Batik, mebel dan kopi.",
        )
    )
    past = index.add_child(
        instance=ExhibitionPage(
            title="Bazar Jawa Tengah",
            slug="bazar",
            venue="Taman Budaya",
            city="Surakarta",
            start_date=today - datetime.timedelta(days=30),
            end_date=today - datetime.timedelta(days=28),
            intro="Bazar empat hari.",
        )
    )
    return {"index": index, "upcoming": upcoming, "past": past}
