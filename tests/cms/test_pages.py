"""Every page type of the marketing site renders, and an editor creates each in /cms/."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from cms.models import (
    ArticlePage,
    ContactPage,
    ExhibitionIndexPage,
    ExhibitionPage,
    HomePage,
    ImpactPage,
    LapasIndexPage,
    LapasPage,
    NewsIndexPage,
    SegmentPage,
    WorkshopStoryPage,
)
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_tree(home, story, exhibitions, product):
    category = CategoryFactory(name="Makanan", slug="makanan")
    segment = home.add_child(
        instance=SegmentPage(
            title="Kantor dan Instansi",
            slug="kantor",
            intro="Untuk kantor dan sekolah.",
            category=category,
        )
    )
    news = home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))
    article = news.add_child(
        instance=ArticlePage(title="Roti baru", slug="roti-baru", intro="Roti gandum baru.")
    )
    impact = home.add_child(
        instance=ImpactPage(title="Dampak", slug="dampak", intro="Angka program.")
    )
    contact = home.add_child(
        instance=ContactPage(
            title="Kontak",
            slug="kontak",
            intro="Untuk instansi.",
            to_address="pemasaran@example.test",
        )
    )
    return {
        "home": home,
        "segment": segment,
        "lapas_index": story.get_parent().get_parent().specific,
        "lapas": story.get_parent().specific,
        "story": story,
        "exhibition_index": exhibitions["index"],
        "exhibition": exhibitions["upcoming"],
        "news": news,
        "article": article,
        "impact": impact,
        "contact": contact,
    }


@pytest.mark.parametrize(
    "key",
    [
        "home",
        "segment",
        "lapas_index",
        "lapas",
        "story",
        "exhibition_index",
        "exhibition",
        "news",
        "article",
        "impact",
        "contact",
    ],
)
def test_every_page_type_renders_in_the_shop_theme(client, site_tree, key):
    page = site_tree[key]

    response = client.get(page.url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "site-header" in body and "site-footer" in body  # one theme with the shop
    assert '<main id="main"' in body
    assert page.title in body


def test_home_page_leads_to_segments_stories_exhibitions_and_news(client, site_tree):
    body = client.get("/").content.decode()

    assert site_tree["segment"].url in body
    assert site_tree["story"].url in body
    assert site_tree["exhibition"].url in body
    assert site_tree["article"].url in body


def test_story_page_shows_the_workshops_skills_certifications_and_products(
    client, site_tree, product
):
    product.workshop.skills = "Fermentasi adonan\nHigiene dapur"
    product.workshop.save()

    body = client.get(site_tree["story"].url).content.decode()

    assert "Fermentasi adonan" in body
    assert "P-IRT 2063671010115-27" in body
    assert product.title in body
    assert "Rp150.000" in body


def test_exhibition_index_lists_upcoming_and_past_apart(client, site_tree, exhibitions):
    response = client.get(exhibitions["index"].url)

    assert response.context["upcoming"] == [exhibitions["upcoming"]]
    assert response.context["past"] == [exhibitions["past"]]


def test_header_menu_lists_segment_pages_and_sections(client, site_tree):
    Page.objects.filter(pk__in=[site_tree["segment"].pk, site_tree["news"].pk]).update(
        show_in_menus=True
    )

    response = client.get("/catalogue/")

    assert [s["url"] for s in response.context["nav_segments"]] == ["/kantor/"]
    assert [p.pk for p in response.context["nav_sections"]] == [site_tree["news"].pk]


# --- Editors


def rich_fields(model):
    return {f.name for f in model._meta.get_fields() if isinstance(f, RichTextField)}


def admin_create(client, parent, model, fields, *, streamfields=("body",)):
    """Create and publish a page through Wagtail's page editor, as an editor would."""
    url = reverse("wagtailadmin_pages:add", args=["cms", model._meta.model_name, parent.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    for name in streamfields:
        if hasattr(model, name):
            data[f"{name}-count"] = "0"  # the StreamField editor is built by JavaScript
    for name, value in fields.items():
        if name in rich_fields(model):
            value = rich_text(f"<p>{value}</p>")  # what the Draftail editor posts
        data[name] = value
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return model.objects.get(slug=fields["slug"])


@pytest.mark.parametrize(
    "model, parent_key, fields",
    [
        (
            SegmentPage,
            "home",
            {"title": "Rumah Tangga", "slug": "rumah", "intro": "Untuk rumah.", "category": "C"},
        ),
        (LapasIndexPage, "home", None),
        (LapasPage, "lapas_index", {"title": "Lapas Baru", "slug": "baru", "intro": "Lapas."}),
        (
            WorkshopStoryPage,
            "lapas",
            {"title": "Bengkel Batik", "slug": "batik", "intro": "Batik tulis."},
        ),
        (ExhibitionIndexPage, "home", None),
        (NewsIndexPage, "home", None),
        (ArticlePage, "news", {"title": "Kabar", "slug": "kabar", "intro": "Kabar baru."}),
        (ImpactPage, "home", None),
        (ContactPage, "home", None),
    ],
)
def test_an_editor_creates_each_page_type_in_the_cms(
    client, editor, site_tree, model, parent_key, fields
):
    parent = site_tree[parent_key]
    singletons = {
        LapasIndexPage: "lapas_index",
        ExhibitionIndexPage: "exhibition_index",
        NewsIndexPage: "news",
        ImpactPage: "impact",
        ContactPage: "contact",
    }
    if model in singletons:
        # One of each per home page: remove the one there to make room for a new one.
        site_tree[singletons[model]].delete()
        fields = {"title": str(model._meta.verbose_name).title(), "slug": "baru", "intro": "Teks."}
        if model is ContactPage:
            fields["to_address"] = "staf@example.test"
    fields = dict(fields)
    if fields.get("category") == "C":
        fields["category"] = str(CategoryFactory(name="Rumah").pk)
    if model is LapasPage:
        fields["lapas"] = str(site_tree["lapas"].lapas_id)
    if model is WorkshopStoryPage:
        fields["workshop"] = str(site_tree["story"].workshop_id)
    client.force_login(editor)

    page = admin_create(client, parent, model, fields)

    assert page.live
    assert client.get(page.url).status_code == 200


def test_an_editor_publishes_a_new_exhibition_page(client, editor, exhibitions, product):
    client.force_login(editor)
    start = timezone.localdate() + datetime.timedelta(days=40)

    page = admin_create(
        client,
        exhibitions["index"],
        ExhibitionPage,
        {
            "title": "Pameran Kerajinan Bali",
            "slug": "pameran-bali",
            "venue": "Taman Budaya Bali",
            "city": "Denpasar",
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=2)).isoformat(),
            "map_url": "https://www.openstreetmap.org/",
            "intro": "Batik dan anyaman.",
            "featured_products-TOTAL_FORMS": "1",
            "featured_products-0-product": str(product.pk),
            "featured_products-0-ORDER": "1",
        },
    )
    response = Client().get(exhibitions["index"].url)  # a visitor, not the editor

    assert page in response.context["upcoming"]
    assert [p.pk for p in page.featured()] == [product.pk]


def test_an_exhibition_cannot_end_before_it_starts(client, editor, exhibitions):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["cms", "exhibitionpage", exhibitions["index"].pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "Salah tanggal",
            "slug": "salah",
            "venue": "Balai",
            "city": "Bandung",
            "start_date": "2030-05-10",
            "end_date": "2030-05-01",
            "intro": "x",
            "body-count": "0",
            "action-publish": "action-publish",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not ExhibitionPage.objects.filter(slug="salah").exists()


def test_story_and_lapas_help_texts_forbid_personal_data_of_inmates(english):
    for model in (WorkshopStoryPage, LapasPage):
        for name in ("intro", "image", "body"):
            help_text = str(model._meta.get_field(name).help_text)
            assert "never" in help_text.lower() or "no " in help_text.lower(), (model, name)
        assert "inmate" in str(model._meta.get_field("intro").help_text)
        assert "inmate" in str(model._meta.get_field("image").help_text)


def test_every_editor_field_has_help_text():
    from django.db.models import Field

    models = [
        HomePage,
        SegmentPage,
        LapasIndexPage,
        LapasPage,
        WorkshopStoryPage,
        ExhibitionIndexPage,
        ExhibitionPage,
        NewsIndexPage,
        ArticlePage,
        ImpactPage,
        ContactPage,
    ]
    page_fields = {f.name for f in Page._meta.get_fields()}
    for model in models:
        for field in model._meta.get_fields():
            if isinstance(field, Field) and field.name not in page_fields and field.editable:
                if field.name.endswith("_ptr"):
                    continue
                assert field.help_text, (model.__name__, field.name)


def test_page_types_only_go_where_they_belong(home, story):
    assert SegmentPage.can_create_at(home)
    assert not WorkshopStoryPage.can_create_at(home)
    assert WorkshopStoryPage.can_create_at(story.get_parent().specific)
    assert not ExhibitionPage.can_create_at(home)
    assert not LapasIndexPage.can_create_at(home)  # one per home page, and there is one
