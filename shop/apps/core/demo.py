"""A believable demo shop, built offline: Lapas, workshops, categories, products with
drawn images, one user per role and the CMS home page.

Everything is looked up by a stable natural key (satker code, category slug path, UPC,
username, workshop name within its Lapas) and updated in place, so loading twice gives
the same shop. The data is clearly demo data: satker codes start with 99, e-mail
addresses end in .localhost and telephone numbers use the 555 block.

Workshop and product texts describe the trade, the skills and the goods, never a
person: Karya stores nothing about the inmates who work in the workshops.
"""

import hashlib
import io
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from catalog.demo import catalog_demo_load  # issue 3: segments, labels, prices
from catalog.demo_translations import demo_translations_load  # issue 18: English texts
from cms.demo import cms_demo_load
from cms.models import HomePage, HomePageFeaturedProduct
from production_link.commissions.demo import commissions_demo_load  # issue 16: jasa
from production_link.demo import production_demo_counts, production_demo_load
from production_link.insight.demo import (  # issue 19: a year of demand
    insight_demo_load,
    insight_rollup_demo_load,
)
from production_link.models import Workshop
from production_link.programme.demo import programme_demo_load  # issue 19: plans, Kanwil
from production_link.reports_demo import pnbp_reports_demo_load
from production_link.training.demo import training_demo_load  # issue 19: training figures
from shop.apps.core.institutions_demo import institutions_demo_load  # issue 16
from shop.apps.core.pnbp_demo import pnbp_demo_load
from shop.apps.shipping.demo import (
    parcel_demo_load,  # issue 23: a shipped order
    shipping_demo_load,  # issue 5: zones, rates, galleries
)
from shop.marketing.demo import marketing_demo_load  # issue 19: campaigns, feeds
from shop.pos.demo import pos_demo_load

from . import reference
from .datafiles import data_file
from .imaging import font, wrap
from .reference import reference_data_load
from .services import roles_sync, user_assign_role

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")

DEMO_PASSWORD = "karya-demo-2026"
SHOP_LOGIN_URL = "/accounts/login/"
CMS_LOGIN_URL = "/cms/login/"

# The demo's users, the buyer's address, the home page's texts, the featured products and
# the pictures' colours are data: data/demo/site.yaml.
_SITE = data_file("demo/site.yaml")

# One user per role. ``role`` is a code of shop.apps.core.roles, or "buyer" / "central_admin"
# for the two kinds of user that are not a role group. ``lapas`` is a Lapas short code.
DEMO_USERS = [
    {**user, "password": DEMO_PASSWORD, "urls": tuple(user["urls"])} for user in _SITE["users"]
]

BUYER_ADDRESS = _SITE["buyer_address"]

DJANGO_SITE_DOMAIN = "127.0.0.1:8000"
HERO_IMAGE_TITLE = "Beranda Karya: gambar utama (demo)"


# --- Categories and product kinds are reference data (data/reference/, loaded by
# shop.apps.core.reference); the demo's workshops and products name them by slug path,
# e.g. "industri/mebel", and by product kind slug.


@dataclass(frozen=True)
class LapasSpec:
    short_code: str
    name: str
    satker_code: str
    description: str
    phone: str
    email: str
    bank_account_number: str
    line1: str
    city: str
    province: str
    postcode: str
    kind: str = "lapas"
    bank_name: str = "Bank Rakyat Indonesia"
    # Its Stripe connected account (demo ids; Connect onboarding gives the real ones).
    # Empty: its goods cannot be paid by card, which the demo shows with Nusakambangan.
    stripe_account_id: str = ""

    @property
    def bank_account_holder(self):
        return f"RPL BPN {self.satker_code} {self.name} (Bendahara Penerimaan)"


@dataclass(frozen=True)
class ProductSpec:
    upc: str
    title: str
    product_class: str  # a product kind's slug (data/reference/product_kinds.yaml)
    category: str  # slug path, e.g. "industri/mebel"
    price: int  # whole rupiah
    stock: int | None  # None for services: their class does not track stock
    description: str


@dataclass(frozen=True)
class WorkshopSpec:
    lapas: str  # short code
    name: str
    field_of_work: str  # category slug path
    description: str
    skills: tuple[str, ...]
    products: tuple[ProductSpec, ...] = field(default_factory=tuple)


def _lapas_specs() -> list[LapasSpec]:
    return [LapasSpec(**row) for row in data_file("demo/lapas.yaml")]


def _workshop_specs() -> list[WorkshopSpec]:
    return [
        WorkshopSpec(
            **{
                **row,
                "skills": tuple(row["skills"]),
                "products": tuple(ProductSpec(**product) for product in row.get("products", ())),
            }
        )
        for row in data_file("demo/workshops.yaml")
    ]


# The demo's Lapas, workshops and products are data: data/demo/lapas.yaml and workshops.yaml.
LAPAS = _lapas_specs()
WORKSHOPS = _workshop_specs()

HOME_PAGE = _SITE["home_page"]
FEATURED_UPCS = _SITE["featured_upcs"]


@dataclass
class DemoResult:
    counts: dict[str, int]
    users: list[dict]


@transaction.atomic
def demo_data_load() -> DemoResult:
    """Create or update the whole demo shop; safe to run again and again.

    Image files are written to storage inside the transaction; if a later step fails,
    the rows roll back but a few files may stay behind, which a re-run ignores.
    """
    roles_sync()
    reference_data_load()  # what a real install has: classification, kinds, segments, …
    categories = _categories_sync()
    classes = _product_classes_sync()
    lapas = _lapas_sync()
    workshops = _workshops_sync(lapas=lapas, categories=categories)
    products = _products_sync(workshops=workshops, categories=categories, classes=classes)
    _users_sync(lapas=lapas)
    production_demo_load(
        products=products,
        stock={spec.upc: spec.stock for w in WORKSHOPS for spec in w.products},
        user=get_user_model().objects.get(username="admin"),
    )
    catalog_demo_load(products=products)  # issue 3: segments, labels, prices
    demo_translations_load()  # issue 18: English names and texts of the rows above
    shipping_demo_load()  # issue 5: shipping rates per zone, pickup galleries
    _home_page_sync(products=products)
    _django_site_sync()
    cms_demo_load()  # Marketing site (issue 8): pages in id and en; needs all of the above.
    pnbp_demo_load()  # PNBP ledger (issue 6): paid orders, entries, deposits; needs the above.
    pnbp_reports_demo_load()  # Issue 6: one approved monthly report; after the ledger demo.
    programme_demo_load()  # Issue 19: regions, work programmes, monev, a returned report.
    parcel_demo_load()  # Issue 23: pembeli's order on its way (JNE waybill); after the ledger.
    pos_demo_load()  # Point of sale (issue 7): gallery, exhibition, transfers, a closed session.
    insight_demo_load()  # Issue 19: a year of sales, views and searches for insight.
    commissions_demo_load()  # Issue 16: service capacities and weekly bookings by date.
    training_demo_load()  # Issue 19: courses, participants, certificates per workshop.
    # Issue 16: an office, a school and a Rutan buying on quotes, invoices and bookings.
    institutions_demo_load(password=DEMO_PASSWORD)
    # Issue 19: subscribers, two campaigns, the channel of the online orders, the feeds;
    # last, so every demo order placed online is credited to a channel.
    marketing_demo_load()
    # Issue 19: insight's daily sales roll-up over every order above; last of all.
    insight_rollup_demo_load()
    return DemoResult(counts=demo_counts(), users=DEMO_USERS)


def demo_counts() -> dict[str, int]:
    """Row counts of what the demo fills; equal after every load when nothing else changed."""
    return {
        "categories": Category.objects.count(),
        "product classes": ProductClass.objects.count(),
        "lapas": Partner.objects.count(),
        "lapas addresses": PartnerAddress.objects.count(),
        "workshops": Workshop.objects.count(),
        "products": Product.objects.count(),
        "stock records": StockRecord.objects.count(),
        "product images": ProductImage.objects.count(),
        "users": get_user_model().objects.count(),
        "user addresses": UserAddress.objects.count(),
        "wagtail images": get_image_model().objects.count(),
        "featured products": HomePageFeaturedProduct.objects.count(),
        **production_demo_counts(),
    }


# --- Catalogue structure


def _categories_sync() -> dict[str, object]:
    """The reference classification (loaded if missing), by slug path: "industri/mebel"."""
    reference.classification_sync()
    by_path, slug_path = {}, {}
    for category in Category.objects.order_by("path"):
        parent = slug_path.get(category.path[: -Category.steplen])
        slug_path[category.path] = f"{parent}/{category.slug}" if parent else category.slug
        by_path[slug_path[category.path]] = category
    return by_path


def _product_classes_sync() -> dict[str, object]:
    """The reference product kinds (loaded if missing), by slug."""
    reference.product_kinds_sync()
    return {product_class.slug: product_class for product_class in ProductClass.objects.all()}


# --- Lapas and workshops


def _lapas_sync() -> dict[str, object]:
    indonesia = Country.objects.get(iso_3166_1_a2="ID")
    by_code = {}
    for spec in LAPAS:
        partner, _ = Partner.objects.update_or_create(
            satker_code=spec.satker_code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "short_code": spec.short_code,
                "description": spec.description,
                "phone": spec.phone,
                "email": spec.email,
                "bank_name": spec.bank_name,
                "bank_account_number": spec.bank_account_number,
                "bank_account_holder": spec.bank_account_holder,
                "stripe_account_id": spec.stripe_account_id,
            },
        )
        # One postal address per Lapas: update the first rather than adding another.
        address = partner.addresses.order_by("pk").first() or PartnerAddress(partner=partner)
        address.title = ""
        address.first_name = ""
        address.last_name = spec.name
        address.line1 = spec.line1
        address.line4 = spec.city
        address.state = spec.province
        address.postcode = spec.postcode
        address.country = indonesia
        address.save()
        by_code[spec.short_code] = partner
    return by_code


def _workshops_sync(*, lapas, categories) -> dict[tuple[str, str], Workshop]:
    workshops = {}
    for spec in WORKSHOPS:
        workshop, _ = Workshop.objects.update_or_create(
            lapas=lapas[spec.lapas],
            name=spec.name,
            defaults={
                "field_of_work": categories[spec.field_of_work],
                "description": spec.description,
                "skills": "\n".join(spec.skills),
                "is_active": True,
            },
        )
        workshops[(spec.lapas, spec.name)] = workshop
    return workshops


# --- Products, stock and images


def _products_sync(*, workshops, categories, classes) -> dict[str, object]:
    by_upc = {}
    for workshop_spec in WORKSHOPS:
        workshop = workshops[(workshop_spec.lapas, workshop_spec.name)]
        for spec in workshop_spec.products:
            product, _ = Product.objects.update_or_create(
                upc=spec.upc,
                defaults={
                    "title": spec.title,
                    "slug": slugify(spec.title),
                    "description": spec.description,
                    "product_class": classes[spec.product_class],
                    "structure": Product.STANDALONE,
                    "workshop": workshop,
                    "is_public": True,
                },
            )
            category = categories[spec.category]
            product.categories.set([category])
            stock = StockRecord.objects.filter(product=product, partner=workshop.lapas).first()
            stock_values = {
                "partner_sku": spec.upc,
                "price": Decimal(spec.price),
                "price_currency": settings.OSCAR_DEFAULT_CURRENCY,
            }
            if stock is None:
                # Units on sale come from released batches (production_demo_load), never
                # from a number typed into the stock record.
                StockRecord.objects.create(
                    product=product, partner=workshop.lapas, num_in_stock=0, **stock_values
                )
            else:
                # Saving a stock record sends Oscar's stock alerts; skip it when unchanged.
                _update(stock, **stock_values)
            if not product.images.exists():
                jpeg = draw_product_image(
                    title=spec.title,
                    seed=spec.upc,
                    category_slug=spec.category.rsplit("/", 1)[-1],
                    lapas_code=workshop_spec.lapas,
                )
                image = ProductImage(product=product, caption=spec.title, display_order=0)
                image.original.save(f"{spec.upc.lower()}.jpg", ContentFile(jpeg), save=False)
                image.save()
            by_upc[spec.upc] = product
    return by_upc


# Colours per category: (dark background, accent, light accent). Batik uses indigo and
# soga brown, furniture wood tones, fishery and services water blues (data/demo/site.yaml).
PALETTES = {slug: tuple(colours) for slug, colours in _SITE["palettes"].items()}
MOTIFS = _SITE["motifs"]
DEFAULT_PALETTE = tuple(_SITE["default_palette"])
IMAGE_SIZE = 800
JPEG_QUALITY = 80


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_product_image(*, title: str, seed: str, category_slug: str, lapas_code: str) -> bytes:
    """A square JPEG with a motif in the category's colours and the title in white.

    Seeded by ``seed`` (the UPC) so the same product always gets the same picture.
    """
    rng = random.Random(seed)
    dark, accent, light = (_rgb(c) for c in PALETTES.get(category_slug, DEFAULT_PALETTE))
    size = IMAGE_SIZE
    image = Image.new("RGB", (size, size), dark)
    draw = ImageDraw.Draw(image)
    motif = MOTIFS.get(category_slug, "dots")
    if category_slug == "konveksi-dan-batik":
        # A cloth named after its motif shows that motif; other textiles get either.
        lowered = title.lower()
        if "parang" in lowered or ("kawung" not in lowered and rng.random() < 0.5):
            motif = "parang"
    MOTIF_PAINTERS[motif](draw, rng, size, dark, accent, light)
    _draw_caption(image, title=title, tag=f"KARYA · {lapas_code}", dark=dark)
    return _jpeg(image)


def _draw_caption(image, *, title: str, tag: str, dark) -> None:
    width, height = image.size
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    band = ImageDraw.Draw(overlay)
    band.rectangle((0, height - 190, width, height), fill=(*_mix(dark, (0, 0, 0), 0.6), 220))
    band.rounded_rectangle((28, 28, 48 + 14 * len(tag), 72), radius=10, fill=(0, 0, 0, 150))
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))
    draw = ImageDraw.Draw(image)
    draw.text((42, 38), tag, font=font(24), fill=(255, 255, 255))
    lines = wrap(draw, title, font=font(56), max_width=width - 100)[:2]
    y = height - 170 + (60 if len(lines) == 1 else 0)
    for line in lines:
        draw.text((50, y), line, font=font(56), fill=(255, 255, 255))
        y += 70


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


# Motif painters: each fills the square with a simple pattern in the given colours.


def _paint_dots(draw, rng, size, dark, accent, light):
    for _ in range(60):
        r = rng.randint(12, 70)
        x, y = rng.randint(-r, size), rng.randint(-r, size)
        colour = _mix(accent, light, rng.random() * 0.6)
        draw.ellipse((x, y, x + 2 * r, y + 2 * r), fill=colour)


def _paint_rings(draw, rng, size, dark, accent, light):
    for _ in range(9):
        cx, cy = rng.randint(0, size), rng.randint(0, size)
        for r in range(90, 8, -16):
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r), outline=_mix(accent, light, r / 90), width=5
            )


def _paint_waves(draw, rng, size, dark, accent, light):
    amplitude, step = rng.randint(10, 22), 46
    for row, y0 in enumerate(range(-step, size + step, step)):
        points = [
            (x, y0 + amplitude * math.sin((x / size) * 4 * math.pi + row * 0.7))
            for x in range(0, size + 10, 10)
        ]
        draw.line(points, fill=light if row % 2 else accent, width=6)


def _paint_leaves(draw, rng, size, dark, accent, light):
    for _ in range(45):
        x, y = rng.randint(0, size), rng.randint(0, size)
        length, width = rng.randint(40, 90), rng.randint(14, 28)
        leaf = Image.new("RGBA", (length, width), (0, 0, 0, 0))
        ImageDraw.Draw(leaf).ellipse(
            (0, 0, length - 1, width - 1), fill=(*_mix(accent, light, rng.random()), 255)
        )
        leaf = leaf.rotate(rng.randint(0, 180), expand=True)
        draw._image.paste(leaf, (x, y), leaf)  # noqa: SLF001 - ImageDraw keeps its image here


def _paint_triangles(draw, rng, size, dark, accent, light):
    cell = 100
    for row in range(0, size, cell):
        for col in range(0, size, cell):
            colour = _mix(accent, light, rng.random() * 0.7)
            if rng.random() < 0.5:
                draw.polygon([(col, row), (col + cell, row), (col, row + cell)], fill=colour)
            else:
                draw.polygon(
                    [(col + cell, row), (col + cell, row + cell), (col, row + cell)], fill=colour
                )


def _paint_kawung(draw, rng, size, dark, accent, light):
    # Kawung: four ovals around a point, the classic Javanese batik motif.
    cell, r = 120, 34
    for cy in range(0, size + cell, cell):
        for cx in range(0, size + cell, cell):
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                ox, oy = cx + dx * r, cy + dy * r
                rx, ry = (r, r // 2) if dx else (r // 2, r)
                draw.ellipse(
                    (ox - rx, oy - ry, ox + rx, oy + ry), fill=accent, outline=light, width=3
                )
            draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=light)


def _paint_parang(draw, rng, size, dark, accent, light):
    # Parang: diagonal bands with a row of dots, after the batik parang rusak.
    for offset in range(-size, size, 90):
        draw.line([(offset, size), (offset + size, 0)], fill=accent, width=34)
        for t in range(0, size, 60):
            x, y = offset + t, size - t
            draw.ellipse((x - 7, y - 7 - 30, x + 7, y + 7 - 30), fill=light)


def _paint_planks(draw, rng, size, dark, accent, light):
    y = 0
    while y < size:
        height = rng.randint(60, 110)
        draw.rectangle((0, y, size, y + height), fill=_mix(dark, accent, rng.random()))
        for _ in range(6):
            gy = y + rng.randint(5, height - 5)
            draw.line(
                [(0, gy), (size, gy + rng.randint(-8, 8))], fill=_mix(accent, light, 0.3), width=2
            )
        draw.line([(0, y), (size, y)], fill=dark, width=4)
        y += height


def _paint_weave(draw, rng, size, dark, accent, light):
    band = 40
    for i, pos in enumerate(range(0, size, band)):
        for j, cross in enumerate(range(0, size, band)):
            over = (i + j) % 2 == 0
            colour = light if over else accent
            if over:
                draw.rectangle((pos + 3, cross, pos + band - 3, cross + band), fill=colour)
            else:
                draw.rectangle((cross, pos + 3, cross + band, pos + band - 3), fill=colour)


MOTIF_PAINTERS = {
    "dots": _paint_dots,
    "rings": _paint_rings,
    "waves": _paint_waves,
    "leaves": _paint_leaves,
    "triangles": _paint_triangles,
    "kawung": _paint_kawung,
    "parang": _paint_parang,
    "planks": _paint_planks,
    "weave": _paint_weave,
}


def draw_hero_image() -> bytes:
    """A wide kawung pattern in indigo for the home page hero."""
    width, height = 1600, 600
    dark, accent, light = (_rgb(c) for c in PALETTES["konveksi-dan-batik"])
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    _paint_kawung(draw, random.Random("karya-hero"), max(width, height), dark, accent, light)
    # Colour chips of the product families along the bottom edge.
    chip_width = width // len(PALETTES)
    for i, (chip_dark, chip_accent, _light) in enumerate(PALETTES.values()):
        right = width if i == len(PALETTES) - 1 else (i + 1) * chip_width
        draw.rectangle(
            (i * chip_width, height - 24, right, height),
            fill=_rgb(chip_accent if i % 2 else chip_dark),
        )
    # No words in the picture: the home page sets its own title over it, in either language.
    return _jpeg(image)


# --- People


def _users_sync(*, lapas) -> None:
    User = get_user_model()
    # Password hashing is deliberately slow; one hash shared by every demo user keeps the
    # load at a few seconds. Fine for demo accounts with a published password.
    password_hash = make_password(DEMO_PASSWORD)
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=spec["username"])
        user.email = spec["email"]
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.is_staff = spec["is_staff"]
        user.is_superuser = spec["is_superuser"]
        user.is_active = True
        user.password = password_hash
        user.save()
        if spec["role"] not in ("buyer", "central_admin"):
            scope = lapas[spec["lapas"]] if spec["lapas"] else None
            user_assign_role(user=user, role_code=spec["role"], lapas=scope)
        if spec["role"] == "buyer":
            _buyer_address_sync(user)


def _buyer_address_sync(user) -> None:
    # One saved address: update the user's first one rather than adding a copy.
    address = user.addresses.order_by("pk").first() or UserAddress(user=user)
    for name, value in BUYER_ADDRESS.items():
        setattr(address, name, value)
    address.country = Country.objects.get(iso_3166_1_a2="ID")
    address.is_default_for_shipping = True
    address.is_default_for_billing = True
    address.save()


# --- CMS and sites


def _home_page_sync(*, products) -> None:
    home = _home_page_as_site_root()
    home.hero_image = _hero_image()
    for name, value in HOME_PAGE.items():
        setattr(home, name, value)
    # Replacing the in-memory list makes the published revision hold exactly these eight.
    home.featured_products = [
        HomePageFeaturedProduct(product=products[upc], sort_order=i)
        for i, upc in enumerate(FEATURED_UPCS)
    ]
    # Overwrite our own previous revision instead of piling up identical ones on re-runs;
    # a revision saved by an editor is kept and a new one is made on top of it.
    latest = home.latest_revision
    overwrite = latest if latest is not None and latest.user_id is None else None
    home.save_revision(overwrite_revision=overwrite).publish()


def _home_page_as_site_root():
    """The HomePage that is the default Wagtail Site's root, creating it if Wagtail's own
    "Welcome" page is still there (the cms migration normally replaced it)."""
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        home = site.root_page.specific
    else:
        home = HomePage.objects.filter(depth=2).order_by("path").first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(title="Karya", slug="beranda", hero_title=HOME_PAGE["hero_title"])
            )
        if site is None:
            site = WagtailSite(hostname="localhost", port=80, is_default_site=True)
        old_root = site.root_page if site.root_page_id else None
        site.root_page = home
        site.site_name = "Karya"
        site.save()
        if (
            old_root is not None
            and old_root.pk != home.pk
            and old_root.specific_class is Page
            and old_root.get_children_count() == 0
            and not WagtailSite.objects.filter(root_page=old_root).exists()
        ):
            old_root.delete()
    return HomePage.objects.get(pk=home.pk)


def _hero_image():
    WagtailImage = get_image_model()
    existing = WagtailImage.objects.filter(title=HERO_IMAGE_TITLE).order_by("pk").first()
    if existing is not None:
        return existing
    jpeg = draw_hero_image()
    image = WagtailImage(
        title=HERO_IMAGE_TITLE,
        file=ImageFile(io.BytesIO(jpeg), name="karya-beranda.jpg"),
        file_size=len(jpeg),
        # Wagtail finds duplicate uploads by this hash; it is the SHA-1 of the file.
        file_hash=hashlib.sha1(jpeg).hexdigest(),  # noqa: S324
    )
    image.save()
    return image


def _django_site_sync() -> None:
    # Oscar builds absolute links in e-mails from django.contrib.sites.
    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": DJANGO_SITE_DOMAIN, "name": "Karya"}
    )
    DjangoSite.objects.clear_cache()


def _update(instance, **values) -> None:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
