"""Demo content of the marketing site, in Indonesian and English.

Called from shop.apps.core.demo.demo_data_load() after the catalogue, the Lapas and the
Indonesian home page exist. Pages are found by their slug under their parent and their
translations through Wagtail's translation key, then updated in place, so loading twice
gives the same site. Pictures are drawn with Pillow (no faces, no words): the site works
offline and shows no one.

Texts describe trades, skills and goods, never a person.
"""

import datetime
import hashlib
import io
import random
from dataclasses import dataclass, field

from django.contrib.sites.models import Site as DjangoSite
from django.core.files.images import ImageFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.models import Site as WagtailSite
from wagtail.rich_text import RichText

from catalog.selectors import segment_list
from production_link.models import Workshop
from shop.apps.core.datafiles import data_file

from .models import (
    ArticlePage,
    ContactPage,
    ExhibitionFeaturedProduct,
    ExhibitionIndexPage,
    ExhibitionPage,
    HomePage,
    HomePageFeaturedProduct,
    ImpactPage,
    LapasIndexPage,
    LapasPage,
    NewsIndexPage,
    SegmentPage,
    WorkshopStoryPage,
)

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

ID, EN = "id", "en"
# The texts and pictures are data (data/demo/cms.yaml); this module builds the pages.
_CONTENT = data_file("demo/cms.yaml")
# The site's own pages: section indexes, impact, contact, exhibitions and segment pages.
_PAGES = data_file("demo/cms_pages.yaml")


@dataclass
class PageSpec:
    """One page in both languages: ``common`` fields are the same in both (a workshop,
    dates), ``id``/``en`` fields are the texts. ``body`` builds a StreamField value."""

    model: type
    slug: dict[str, str]
    id: dict
    en: dict
    common: dict = field(default_factory=dict)
    body: object = None  # callable(lang, ctx) -> list of (block, value)


# --- Pictures


@dataclass(frozen=True)
class PictureSpec:
    key: str
    title: str
    description: str  # the alt text, in Indonesian (the CMS's default language)
    colours: tuple[str, str, str]
    motif: str
    # Focal point (x, y, width, height) in pixels of the 1600x900 picture: crops keep it.
    focal: tuple[int, int, int, int] = (800, 450, 400, 300)


PICTURES = [
    PictureSpec(**{**p, "colours": tuple(p["colours"]), "focal": tuple(p["focal"])})
    for p in _CONTENT["pictures"]
]


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def draw_picture(spec: PictureSpec) -> bytes:
    width, height = 1600, 900
    dark, accent, light = (_rgb(c) for c in spec.colours)
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    rng = random.Random(spec.key)
    if spec.motif == "loaves":
        for row in range(3):
            y = 220 + row * 200
            draw.rectangle((0, y + 110, width, y + 118), fill=light)
            for col in range(7):
                x = 90 + col * 210 + rng.randint(-10, 10)
                draw.rounded_rectangle((x, y, x + 170, y + 110), radius=45, fill=accent)
                draw.arc((x + 20, y + 10, x + 150, y + 80), 200, 340, fill=light, width=5)
    elif spec.motif == "kawung":
        r = 46
        for cy in range(0, height + 150, 150):
            for cx in range(0, width + 150, 150):
                for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    ox, oy = cx + dx * r, cy + dy * r
                    rx, ry = (r, r // 2) if dx else (r // 2, r)
                    draw.ellipse((ox - rx, oy - ry, ox + rx, oy + ry), fill=accent, outline=light)
                draw.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill=light)
    elif spec.motif == "planks":
        y = 0
        while y < height:
            h = rng.randint(70, 120)
            shade = tuple(
                int(a + (b - a) * rng.random()) for a, b in zip(dark, accent, strict=True)
            )
            draw.rectangle((0, y, width, y + h), fill=shade)
            draw.line([(0, y), (width, y)], fill=dark, width=5)
            y += h
    elif spec.motif == "stalls":
        draw.rectangle((0, 620, width, height), fill=light)
        for i in range(4):
            x = 80 + i * 380
            draw.rectangle((x, 240, x + 320, 620), fill=accent)
            draw.polygon([(x - 20, 240), (x + 340, 240), (x + 160, 150)], fill=light)
            for shelf in range(3):
                sy = 320 + shelf * 100
                draw.rectangle((x + 20, sy, x + 300, sy + 12), fill=light)
    elif spec.motif == "beans":
        for _ in range(420):
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse((x, y, x + 34, y + 24), fill=accent if rng.random() < 0.6 else light)
    else:  # stripes
        for i, x in enumerate(range(0, width, 60)):
            draw.rectangle((x, 0, x + 40, height), fill=accent if i % 2 else light)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _pictures_sync() -> dict[str, object]:
    WagtailImage = get_image_model()
    pictures = {}
    for spec in PICTURES:
        image = WagtailImage.objects.filter(title=spec.title).order_by("pk").first()
        if image is None:
            jpeg = draw_picture(spec)
            image = WagtailImage(
                title=spec.title,
                file=ImageFile(io.BytesIO(jpeg), name=f"karya-{spec.key}.jpg"),
                file_size=len(jpeg),
                file_hash=hashlib.sha1(jpeg).hexdigest(),  # noqa: S324 - Wagtail's duplicate check
            )
        image.description = spec.description
        image.focal_point_x, image.focal_point_y = spec.focal[0], spec.focal[1]
        image.focal_point_width, image.focal_point_height = spec.focal[2], spec.focal[3]
        image.save()
        pictures[spec.key] = image
    return pictures


def _hero_alt_text_sync() -> None:
    # The home page's hero picture comes from the core demo; give it its alt text here.
    home = _home_page()
    if home.hero_image is not None and not home.hero_image.description:
        home.hero_image.description = _PAGES["hero_alt_text"]
        home.hero_image.save(update_fields=["description"])


# --- Page helpers


def _home_page() -> HomePage:
    site = WagtailSite.objects.get(is_default_site=True)
    return HomePage.objects.get(pk=site.root_page_id)


def _publish(page) -> None:
    # Overwrite our own previous revision instead of piling up identical ones on re-runs.
    latest = page.latest_revision
    overwrite = latest if latest is not None and latest.user_id is None else None
    page.save_revision(overwrite_revision=overwrite).publish()


def _set(page, values: dict) -> None:
    for name, value in values.items():
        setattr(page, name, value)


def _page_sync(*, parent, spec: PageSpec, lang: str, ctx: dict):
    """The page of ``spec`` in ``lang`` under ``parent`` (a page of that language)."""
    values = {**spec.common, **getattr(spec, lang), "slug": spec.slug[lang]}
    if spec.body is not None:
        values["body"] = spec.body(lang, ctx)
    model = spec.model
    if lang == ID:
        page = model.objects.child_of(parent).filter(slug=spec.slug[ID]).first()
        if page is None:
            page = model(locale=parent.locale, **{k: v for k, v in values.items() if k != "body"})
            parent.add_child(instance=page)
    else:
        source = ctx["source"]
        page = source.get_translation_or_none(parent.locale)
        if page is None:
            # Wagtail's own way to start a translation: a copy in the other tree.
            page = source.copy_for_translation(parent.locale)
        page = model.objects.get(pk=page.pk)
    _set(page, values)
    _publish(page)
    return model.objects.get(pk=page.pk)


def _both(*, parents: dict, spec: PageSpec, ctx: dict) -> dict:
    page_id = _page_sync(parent=parents[ID], spec=spec, lang=ID, ctx=ctx)
    page_en = _page_sync(parent=parents[EN], spec=spec, lang=EN, ctx={**ctx, "source": page_id})
    return {ID: page_id, EN: page_en}


def _rich(html: str):
    return ("rich_text", RichText(html))


def _image_value(image, alt: str):
    # An ImageBlock value is the image itself, carrying its alt text for this use.
    value = get_image_model().objects.get(pk=image.pk)
    value.contextual_alt_text = alt
    value.decorative = False
    return value


# --- Content

HOME_EN = _CONTENT["home_en"]


def _segment_specs(known_segments: set[str], categories: dict) -> list[PageSpec]:
    def body_of(page):
        body = page["body"]

        def build(lang, ctx):
            texts = body[lang]
            blocks = [_rich(texts["text"])]
            if body.get("product"):
                product = ctx["products"][body["product"]]
                blocks.append(("product", {"product": product, "note": texts["product_note"]}))
            blocks.append(
                (
                    "product_grid",
                    {
                        "heading": texts["grid_heading"],
                        "category": ctx["categories"][body["grid_category"]],
                        "segment": "",
                        "limit": 4,
                        "sort": "newest",
                    },
                )
            )
            if body.get("call_to_action"):
                blocks.append(
                    (
                        "call_to_action",
                        {
                            "heading": texts["cta_heading"],
                            "text": texts["cta_text"],
                            "button_text": texts["cta_button"],
                            "page": ctx["contact"][lang],
                            "url": "",
                        },
                    )
                )
            return blocks

        return build

    return [
        PageSpec(
            model=SegmentPage,
            slug=page["slug"],
            common={
                # Linked to the catalogue's segment when the catalogue has it.
                "segment_slug": page["segment"] if page["segment"] in known_segments else "",
                "category": categories[page["category"]],
                "show_in_menus": page["show_in_menus"],
            },
            id=page[ID],
            en=page[EN],
            body=body_of(page),
        )
        for page in _PAGES["segments"]
    ]


def _demo_categories() -> dict:
    """The categories the pages name, by slug path ("industri/mebel")."""
    paths = {page["category"] for page in _PAGES["segments"]}
    paths |= {page["body"]["grid_category"] for page in _PAGES["segments"]}
    categories = {}
    for path in sorted(paths):
        slugs = path.split("/")
        categories[path] = Category.objects.get(depth=len(slugs), slug=slugs[-1])
    return categories


LAPAS_EN_INTROS = _CONTENT["lapas_en_intros"]
LAPAS_SLUGS = _CONTENT["lapas_slugs"]
# Workshop stories and news articles: "id" and "en" hold each language's texts.
STORIES = _CONTENT["stories"]
ARTICLES = _CONTENT["articles"]


def cms_demo_load() -> dict[str, int]:
    """Create or update the demo marketing site in Indonesian and English."""
    _site_host_sync()
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in (ID, EN)}
    pictures = _pictures_sync()
    _hero_alt_text_sync()
    products = {p.upc: p for p in Product.objects.filter(upc__startswith="KRY-")}
    categories = _demo_categories()
    homes = {ID: _home_page(), EN: None}
    homes[EN] = _home_en_sync(homes[ID], locales[EN])
    ctx = {"products": products, "categories": categories, "pictures": pictures}

    lapas_index = _both(parents=homes, spec=_lapas_index_spec(), ctx=ctx)
    lapas_pages = {}
    for partner in Partner.objects.filter(short_code__in=LAPAS_SLUGS).order_by("satker_code"):
        lapas_pages[partner.short_code] = _both(
            parents=lapas_index, spec=_lapas_spec(partner, pictures), ctx=ctx
        )
    for story in STORIES:
        workshop = Workshop.objects.get(lapas__short_code=story["lapas"], name=story["workshop"])
        _both(
            parents=lapas_pages[story["lapas"]],
            spec=_story_spec(story, workshop, pictures),
            ctx=ctx,
        )

    exhibitions = _both(parents=homes, spec=_exhibition_index_spec(), ctx=ctx)
    for spec, upcs in _exhibition_specs(pictures):
        pages = _both(parents=exhibitions, spec=spec, ctx=ctx)
        _exhibition_products_sync(pages, [products[upc] for upc in upcs])

    news = _both(parents=homes, spec=_news_index_spec(), ctx=ctx)
    for article in ARTICLES:
        _both(parents=news, spec=_article_spec(article, pictures), ctx=ctx)

    _both(parents=homes, spec=_impact_spec(), ctx=ctx)
    # Menus list the sections in the order they were created; the contact page goes last,
    # and the segment pages (a menu of their own) after it, as they link to it.
    ctx["contact"] = _both(parents=homes, spec=_contact_spec(), ctx=ctx)
    known = set(segment_list().values_list("slug", flat=True))
    for spec in _segment_specs(known, categories):
        _both(parents=homes, spec=spec, ctx=ctx)
    return cms_demo_counts()


def cms_demo_counts() -> dict[str, int]:
    return {
        "pages (id)": Page.objects.filter(locale__language_code=ID, depth__gte=2).count(),
        "pages (en)": Page.objects.filter(locale__language_code=EN, depth__gte=2).count(),
        "live pages": Page.objects.filter(live=True, depth__gte=2).count(),
        "wagtail images": get_image_model().objects.count(),
    }


def _site_host_sync() -> None:
    # Wagtail's Site names the host for canonical links, the sitemap and e-mails: the
    # same host as Oscar's Django Site (set by the core demo), e.g. 127.0.0.1:8000.
    domain = DjangoSite.objects.get_current().domain
    hostname, _sep, port = domain.partition(":")
    site = WagtailSite.objects.get(is_default_site=True)
    port = int(port or 80)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()


def _home_en_sync(home_id: HomePage, locale_en) -> HomePage:
    home_en = home_id.get_translation_or_none(locale_en)
    if home_en is None:
        home_en = home_id.copy_for_translation(locale_en)
    home_en = HomePage.objects.get(pk=home_en.pk)
    _set(home_en, HOME_EN)
    home_en.hero_image = home_id.hero_image
    home_en.featured_products = [
        HomePageFeaturedProduct(product_id=f.product_id, sort_order=f.sort_order)
        for f in home_id.featured_products.all()
    ]
    _publish(home_en)
    return HomePage.objects.get(pk=home_en.pk)


def _simple_spec(model, page: dict, *, common=(), body_html: bool = False) -> PageSpec:
    """A page from its entry in cms_pages.yaml: slug, id/en texts, ``common`` fields the
    same in both languages and, with ``body_html``, one rich-text block per language."""

    def body(lang, ctx):
        return [_rich(page["body"][lang])]

    return PageSpec(
        model=model,
        slug=page["slug"],
        common={"show_in_menus": page["show_in_menus"], **{name: page[name] for name in common}},
        id=page[ID],
        en=page[EN],
        body=body if body_html else None,
    )


def _contact_spec() -> PageSpec:
    return _simple_spec(ContactPage, _PAGES["contact"], common=("to_address",), body_html=True)


def _lapas_index_spec() -> PageSpec:
    return _simple_spec(LapasIndexPage, _PAGES["lapas_index"])


def _lapas_spec(partner, pictures) -> PageSpec:
    image = _PAGES["lapas_images"].get(partner.short_code, _PAGES["lapas_image_default"])
    return PageSpec(
        model=LapasPage,
        slug={ID: LAPAS_SLUGS[partner.short_code], EN: LAPAS_SLUGS[partner.short_code]},
        common={"lapas": partner, "image": pictures[image]},
        id={"title": partner.name, "intro": partner.description},
        en={"title": partner.name, "intro": LAPAS_EN_INTROS[partner.short_code]},
    )


def _story_spec(story, workshop, pictures) -> PageSpec:
    def body(lang, ctx):
        texts = story[lang]
        picture = ctx["pictures"][story["image"]]
        return [
            _rich(texts["body"]),
            (
                "gallery",
                {
                    "heading": "",
                    "images": [
                        {
                            "image": _image_value(picture, picture.description),
                            "caption": "",
                        }
                    ],
                },
            ),
            ("quote", {"quote": texts["quote"], "attribution": texts["attribution"]}),
        ]

    return PageSpec(
        model=WorkshopStoryPage,
        slug=story["slug"],
        common={
            "workshop": workshop,
            "image": pictures[story["image"]],
            "certifications": story["certifications"],
        },
        id={"title": story[ID]["title"], "intro": story[ID]["intro"]},
        en={"title": story[EN]["title"], "intro": story[EN]["intro"]},
        body=body,
    )


def _exhibition_index_spec() -> PageSpec:
    return _simple_spec(ExhibitionIndexPage, _PAGES["exhibition_index"])


def _exhibition_specs(pictures) -> list[tuple[PageSpec, list[str]]]:
    """The exhibitions, dated from today (one upcoming, one past), with the UPCs on show."""
    today = timezone.localdate()
    fields = ("venue", "address", "city", "opening_hours", "map_url")
    return [
        (
            PageSpec(
                model=ExhibitionPage,
                slug=show["slug"],
                common={
                    **{name: show[name] for name in fields},
                    "start_date": today + datetime.timedelta(days=show["starts_in_days"]),
                    "end_date": today + datetime.timedelta(days=show["ends_in_days"]),
                    "image": pictures[show["image"]],
                },
                id=show[ID],
                en=show[EN],
            ),
            list(show["products"]),
        )
        for show in _PAGES["exhibitions"]
    ]


def _exhibition_products_sync(pages: dict, products: list) -> None:
    for page in pages.values():
        page.featured_products = [
            ExhibitionFeaturedProduct(product=product, sort_order=i)
            for i, product in enumerate(products)
        ]
        _publish(page)


def _news_index_spec() -> PageSpec:
    return _simple_spec(NewsIndexPage, _PAGES["news_index"])


def _article_spec(article, pictures) -> PageSpec:
    def body(lang, ctx):
        return [_rich(article[lang]["body"])]

    return PageSpec(
        model=ArticlePage,
        slug=article["slug"],
        common={
            "date": timezone.localdate() - datetime.timedelta(days=article["days_ago"]),
            "image": pictures[article["image"]],
        },
        id={"title": article[ID]["title"], "intro": article[ID]["intro"]},
        en={"title": article[EN]["title"], "intro": article[EN]["intro"]},
        body=body,
    )


def _impact_spec() -> PageSpec:
    return _simple_spec(ImpactPage, _PAGES["impact"], body_html=True)
