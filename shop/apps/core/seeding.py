"""A large, deterministic Karya catalogue for benchmarks and for trying the shop at scale.

``seed_catalog`` builds M Lapas with their workshops and N products on the demo's
category tree and product classes, with the label facts the compliance gate asks for, a
price at the Lapas, one image from a small drawn pool, released batches behind every
unit in stock, a designated "hot" product for the concurrency benchmark, a modest number
of orders placed and paid through the shop's own services and, optionally, K PNBP ledger
entries of one Lapas in one month for the report benchmark.

Everything is planned first, by :func:`catalogue_plan`, from ``random.Random(seed)`` and a
base date, without touching the database: the same options give the same plan, so the
same products, titles, prices, UPCs (``SEED-000001``…), batches, stock and orders. The plan
is then written with ``bulk_create`` in chunks inside one transaction: a failed run leaves
nothing behind (except image files, which a later run reuses). Services are called only
for the few things that are counted in tens (Lapas, workshops, warehouses) and for the
orders, which go through the placement service (shop.apps.order.placement: one order per
Lapas, allocation to batches, FEFO) and the payments service (which books the PNBP ledger).

Why the bulk writes keep the invariants the services keep:

* batch stock: every tracked product has released batches with their units in its
  Lapas's warehouse, and ``StockRecord.num_in_stock`` is their sellable sum (released,
  not expired on the real today), as ``stockrecord_sync`` computes it;
* bulk ledger entries are exactly what ``pnbp_record_sale`` would write for a paid order
  of one Lapas: gross = the order's lines, the split by ``split_shares``, the premi over
  lines by ``apportion``, one entry line per order line with the batch its units were
  allocated from. Their orders are paid (status completed) and their units come from
  batches that sold out on them, with an allocation each, so ``pnbp_reconcile`` and the
  trace agree.

The base date defaults to today in Jakarta: food carries expiry dates, and pinning them
to a fixed calendar day would quietly make every food product unsellable a few months
later and change what a benchmark measures. Pass ``--base-date`` to repeat a run exactly.

Seeded data is marked: UPCs start with ``SEED-``, satker codes with 98, e-mail addresses
end in ``.localhost``. Texts describe trades and goods, never people.
"""

import datetime
import functools
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from catalog.choices import LicenceType
from catalog.demo import _segments_sync
from production_link.demo import _workshop_code
from production_link.models import (
    Allocation,
    Batch,
    BatchStock,
    Deposit,
    DepositEntry,
    LedgerEntry,
    LedgerEntryLine,
    RevenueSplit,
    StockLocation,
    Workshop,
)
from production_link.pnbp.money import apportion, fractions_of_split, split_shares
from production_link.pnbp.selectors import next_working_day
from production_link.selectors import today as jakarta_today
from production_link.services import stock_location_warehouse
from shop.apps.core.pnbp_demo import _clock, _place
from shop.apps.order import statuses
from shop.apps.shipping.demo import shipping_demo_load

from .demo import LapasSpec, _categories_sync, _product_classes_sync, draw_product_image

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
OrderPayment = get_model("payments", "OrderPayment")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

UPC_PREFIX = "SEED-"
HOT_UPC = "SEED-HOT-0001"
HOT_PRICE = 50000
ORDER_PREFIX = "SEED-ORD-"
LEDGER_ORDER_PREFIX = "SEED-PNBP-"
SATKER_PREFIX = "98"
BUYER_USERNAME = "seed.pembeli"
IMAGE_FOLDER = "images/products/seed"
IMAGES_PER_CATEGORY = 2
CHUNK = 2000
MAX_LAPAS = 26 * 26
SHIPPING = Decimal("25000")
# Ledger Lapas's revenue split: a wage pool and working capital set aside, as in the demo.
LEDGER_SPLIT = {"pnbp": 85, "premi": 10, "working_capital": 5, "programme": 0}
POS_SHARE = 0.3  # of the ledger month's sales made at the gallery (point of sale)

KEEP_DRY = "Simpan di tempat sejuk dan kering, terhindar dari sinar matahari langsung."


class SeedError(Exception):
    """Seeding cannot start (already seeded, bad options); the message says why."""


# --- What the workshops make ------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A kind of product a workshop makes; variants and sizes give the titles."""

    base: str
    price: tuple[int, int]  # whole rupiah, low and high
    variants: tuple[str, ...]
    sizes: tuple[tuple[str, str, int], ...] = (("1", "pcs", 0),)  # (quantity, unit, grams)
    material: str = ""  # ingredients of food, material of goods
    allergens: str = ""
    packaging: tuple[str, str, bool] = ("bag", "Plastik PE", True)
    weight: tuple[int, int] = (200, 800)  # gross grams of goods (food: net + packaging)
    shelf_life: tuple[int, int] = (180, 365)  # days, food only


@dataclass(frozen=True)
class WorkshopType:
    name: str  # as the demo names its workshops, so production_link.demo gives the code
    category: str  # slug path in the demo's category tree
    product_class: str  # slug of the demo's product classes
    segments: tuple[str, ...]
    description: str
    skills: tuple[str, ...]
    templates: tuple[Template, ...]


HOUSEHOLDS = "rumah-tangga"
OFFICES = "kantor-dan-instansi"
SOUVENIRS = "oleh-oleh-dan-wisatawan"
COLLECTORS = "kolektor-dan-hadiah"

# Food is shelf-stable (months, not days): seeded stock is made weeks before the base date.
WORKSHOP_TYPES = (
    WorkshopType(
        name="Dapur Kue dan Camilan",
        category="industri/makanan-dan-minuman",
        product_class="pangan",
        segments=(HOUSEHOLDS, SOUVENIRS),
        description="Dapur kue kering dan camilan dengan oven dan ruang kemas yang bersih.",
        skills=("Menakar bahan", "Memanggang kue kering", "Pengemasan dan pelabelan pangan"),
        templates=(
            Template(
                "Kue Kering",
                (25000, 75000),
                ("Nastar Nanas", "Kastengel Keju", "Putri Salju", "Lidah Kucing", "Sagu Keju"),
                (("250", "g", 250), ("500", "g", 500)),
                "Tepung terigu, mentega, gula, telur, susu bubuk, garam.",
                "Gandum (gluten), telur, susu",
                ("jar", "Toples plastik PET food grade", True),
                shelf_life=(120, 180),
            ),
            Template(
                "Keripik",
                (12000, 35000),
                ("Singkong Balado", "Pisang Manis", "Tempe", "Talas", "Ubi Ungu"),
                (("100", "g", 100), ("200", "g", 200)),
                "Umbi atau buah segar, minyak sawit, bumbu, garam.",
                "",
                ("pouch", "Standing pouch aluminium foil", False),
                shelf_life=(120, 180),
            ),
            Template(
                "Sambal",
                (18000, 40000),
                ("Bawang", "Roa", "Teri", "Matah Kering", "Cumi"),
                (("150", "g", 150), ("250", "g", 250)),
                "Cabai, bawang merah, bawang putih, minyak sawit, gula, garam.",
                "Ikan",
                ("jar", "Botol kaca dengan tutup ulir", True),
                shelf_life=(180, 270),
            ),
        ),
    ),
    WorkshopType(
        name="Kebun Kopi",
        category="pertanian-dan-perikanan/perkebunan",
        product_class="pangan",
        segments=(SOUVENIRS, HOUSEHOLDS),
        description="Kebun kopi dan pohon aren dengan tempat jemur dan mesin sangrai kecil.",
        skills=("Petik merah", "Pengeringan biji", "Sangrai kopi", "Pengemasan pangan"),
        templates=(
            Template(
                "Kopi",
                (35000, 120000),
                ("Robusta Bubuk", "Arabika Biji Sangrai", "Robusta Biji Sangrai", "Luwak Liar"),
                (("200", "g", 200), ("250", "g", 250), ("500", "g", 500)),
                "Biji kopi sangrai 100%.",
                "",
                ("pouch", "Kemasan kraft dengan katup", True),
                shelf_life=(270, 365),
            ),
            Template(
                "Gula Aren",
                (20000, 45000),
                ("Cetak", "Semut", "Batok"),
                (("500", "g", 500), ("1", "kg", 1000)),
                "Nira aren 100%.",
                "",
                ("bag", "Plastik PP food grade", True),
                shelf_life=(180, 365),
            ),
            Template(
                "Teh",
                (15000, 40000),
                ("Hijau", "Hitam", "Serai Jahe", "Rosella"),
                (("50", "g", 50), ("100", "g", 100)),
                "Daun teh kering; rempah kering sesuai varian.",
                "",
                ("box", "Kotak karton", True),
                shelf_life=(365, 540),
            ),
        ),
    ),
    WorkshopType(
        name="Kebun Sayur dan Sawah",
        category="pertanian-dan-perikanan/tanaman-pangan",
        product_class="pangan",
        segments=(HOUSEHOLDS,),
        description="Sawah dan kebun Lapas dengan gudang gabah dan mesin penggiling padi.",
        skills=("Pembibitan", "Pengairan", "Panen dan pascapanen", "Penggilingan padi"),
        templates=(
            Template(
                "Beras",
                (15000, 80000),
                ("Pandan Wangi", "Merah", "Putih Medium", "Cokelat Organik"),
                (("1", "kg", 1000), ("2", "kg", 2000), ("5", "kg", 5000)),
                "Beras 100%.",
                "",
                ("bag", "Karung plastik anyam", True),
                shelf_life=(180, 365),
            ),
            Template(
                "Kacang",
                (15000, 40000),
                ("Tanah Kupas", "Hijau", "Kedelai Lokal", "Merah"),
                (("500", "g", 500), ("1", "kg", 1000)),
                "Kacang kering sortir.",
                "Kacang tanah, kedelai",
                ("bag", "Plastik PP food grade", True),
                shelf_life=(180, 365),
            ),
        ),
    ),
    WorkshopType(
        name="Kolam Ikan dan Kandang Ayam",
        category="pertanian-dan-perikanan/peternakan",
        product_class="pangan",
        segments=(HOUSEHOLDS, SOUVENIRS),
        description="Kandang ayam petelur, rumah lebah dan kolam ikan lele dan nila.",
        skills=("Pemberian pakan", "Kebersihan kandang", "Panen madu", "Pengolahan ikan"),
        templates=(
            Template(
                "Madu",
                (45000, 150000),
                ("Hutan", "Randu", "Kaliandra", "Klanceng"),
                (("250", "ml", 330), ("500", "ml", 650)),
                "Madu murni 100%.",
                "",
                ("bottle", "Botol kaca", True),
                shelf_life=(540, 720),
            ),
            Template(
                "Abon",
                (30000, 70000),
                ("Lele", "Nila", "Ayam"),
                (("100", "g", 100), ("250", "g", 250)),
                "Daging ikan atau ayam, bawang, gula, garam, rempah, minyak sawit.",
                "Ikan",
                ("jar", "Toples plastik PET food grade", True),
                shelf_life=(120, 180),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Konveksi",
        category="industri/konveksi-dan-batik",
        product_class="barang",
        segments=(OFFICES, HOUSEHOLDS),
        description="Bengkel jahit dengan mesin jahit industri, mesin obras dan meja potong.",
        skills=("Membuat pola", "Memotong kain", "Menjahit mesin industri", "Finishing"),
        templates=(
            Template(
                "Kemeja Kerja",
                (95000, 185000),
                ("Lengan Panjang", "Lengan Pendek", "Drill Biru Dongker", "Oxford Putih"),
                material="Kain katun drill, kancing plastik, benang poliester.",
                weight=(300, 450),
            ),
            Template(
                "Kaos",
                (45000, 95000),
                ("Polos Hitam", "Polos Putih", "Kerah Abu-abu", "Lengan Panjang Biru"),
                material="Katun combed 30s 100%.",
                weight=(180, 260),
            ),
            Template(
                "Tas Kanvas",
                (40000, 110000),
                ("Belanja", "Ransel", "Selempang", "Laptop"),
                material="Kanvas katun 12 oz, benang poliester.",
                packaging=("none", "", False),
                weight=(220, 600),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Batik",
        category="industri/konveksi-dan-batik",
        product_class="barang",
        segments=(COLLECTORS, SOUVENIRS),
        description="Bengkel batik tulis dan cap dengan meja canting, kompor malam dan bak celup.",
        skills=("Mencanting", "Mengecap", "Pewarnaan alami", "Melorod"),
        templates=(
            Template(
                "Kain Batik",
                (150000, 950000),
                ("Tulis Parang", "Cap Kawung", "Tulis Truntum", "Cap Sidomukti", "Tulis Mega"),
                material="Kain katun primisima, malam, pewarna alami.",
                packaging=("box", "Kotak karton", True),
                weight=(250, 400),
            ),
            Template(
                "Kemeja Batik",
                (175000, 450000),
                ("Parang Lengan Panjang", "Kawung Lengan Pendek", "Truntum Lengan Panjang"),
                material="Katun primisima batik cap, kancing batok.",
                weight=(300, 420),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Mebel",
        category="industri/mebel",
        product_class="barang",
        segments=(OFFICES, HOUSEHOLDS),
        description="Bengkel kayu dengan mesin serut, gergaji meja dan ruang finishing.",
        skills=("Membaca gambar kerja", "Sambungan kayu", "Pengamplasan", "Finishing"),
        templates=(
            Template(
                "Kursi Kayu",
                (350000, 1200000),
                ("Jati Makan", "Mahoni Lipat", "Jati Kantor", "Bangku Taman"),
                material="Kayu jati atau mahoni, lem kayu, pernis.",
                packaging=("wrap", "Bubble wrap dan karton", False),
                weight=(4000, 9000),
            ),
            Template(
                "Meja",
                (450000, 2500000),
                ("Kerja Jati", "Makan Mahoni", "Lipat Lesehan", "Rapat Kecil"),
                material="Kayu jati atau mahoni, sekrup, pernis.",
                packaging=("wrap", "Bubble wrap dan karton", False),
                weight=(6000, 20000),
            ),
            Template(
                "Rak Buku",
                (300000, 900000),
                ("Tiga Susun", "Lima Susun", "Dinding"),
                material="Kayu pinus, sekrup, pernis.",
                packaging=("wrap", "Karton tebal", True),
                weight=(5000, 12000),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Kerajinan Kayu",
        category="industri/kerajinan",
        product_class="barang",
        segments=(COLLECTORS, SOUVENIRS),
        description="Bengkel ukir dan bubut kayu untuk miniatur, hiasan dan perlengkapan meja.",
        skills=("Mengukir", "Membubut", "Finishing alami"),
        templates=(
            Template(
                "Miniatur",
                (60000, 350000),
                ("Kapal Pinisi", "Becak", "Rumah Joglo", "Sepeda Onthel"),
                material="Kayu mahoni, lem kayu, pernis.",
                packaging=("box", "Kotak karton", True),
                weight=(300, 1200),
            ),
            Template(
                "Tempat Tisu Ukir",
                (45000, 120000),
                ("Motif Daun", "Motif Bunga", "Polos"),
                material="Kayu jati, pernis.",
                packaging=("box", "Kotak karton", True),
                weight=(300, 700),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Anyaman",
        category="industri/anyaman",
        product_class="barang",
        segments=(HOUSEHOLDS, SOUVENIRS),
        description="Bengkel anyaman pandan dan bambu, dari bahan mentah sampai barang jadi.",
        skills=("Menyiapkan pandan", "Menganyam", "Menjahit lapisan"),
        templates=(
            Template(
                "Tas Anyaman",
                (60000, 180000),
                ("Pandan Jinjing", "Pandan Selempang", "Bambu Belanja"),
                material="Daun pandan kering, kain katun pelapis.",
                packaging=("none", "", False),
                weight=(250, 600),
            ),
            Template(
                "Keranjang",
                (35000, 140000),
                ("Bambu Buah", "Pandan Serbaguna", "Rotan Cucian"),
                material="Bambu atau pandan atau rotan.",
                packaging=("none", "", False),
                weight=(300, 1500),
            ),
        ),
    ),
    WorkshopType(
        name="Bengkel Keramik",
        category="industri/keramik",
        product_class="barang",
        segments=(COLLECTORS, HOUSEHOLDS),
        description="Bengkel keramik dengan meja putar, tungku bakar dan ruang glasir.",
        skills=("Membentuk di meja putar", "Membakar", "Mengglasir"),
        templates=(
            Template(
                "Cangkir Keramik",
                (35000, 90000),
                ("Glasir Biru", "Glasir Cokelat", "Tanah Liat Polos"),
                material="Tanah liat stoneware, glasir bebas timbal.",
                packaging=("box", "Kotak karton dengan sekat", True),
                weight=(300, 500),
            ),
            Template(
                "Vas",
                (60000, 300000),
                ("Gerabah Tinggi", "Glasir Hijau", "Motif Kawung"),
                material="Tanah liat gerabah, glasir.",
                packaging=("box", "Kotak karton dengan sekat", True),
                weight=(600, 2500),
            ),
        ),
    ),
    WorkshopType(
        name="Laundry",
        category="jasa/laundry",
        product_class="jasa",
        segments=(HOUSEHOLDS, OFFICES),
        description="Laundry dengan mesin cuci industri, pengering dan meja setrika uap.",
        skills=("Memilah cucian", "Mencuci dan mengeringkan", "Menyetrika"),
        templates=(
            Template(
                "Cuci Setrika",
                (7000, 60000),
                ("Kiloan 1 kg", "Bed Cover", "Jas dan Kebaya", "Seprai Set"),
            ),
        ),
    ),
    WorkshopType(
        name="Dapur Jasa Boga",
        category="jasa/jasa-boga",
        product_class="jasa",
        segments=(OFFICES,),
        description="Dapur katering untuk rapat, acara kantor dan hajatan.",
        skills=("Menyusun menu", "Memasak dalam jumlah besar", "Higiene dapur"),
        templates=(
            Template(
                "Nasi Kotak",
                (25000, 55000),
                ("Ayam Bakar", "Rendang", "Ikan Nila Goreng", "Vegetarian"),
            ),
            Template("Snack Box Rapat", (12000, 30000), ("Isi 3", "Isi 4", "Isi 5")),
        ),
    ),
    WorkshopType(
        name="Bengkel Cuci Kendaraan",
        category="jasa/cuci-kendaraan",
        product_class="jasa",
        segments=(HOUSEHOLDS,),
        description="Tempat cuci mobil dan motor dengan mesin semprot bertekanan.",
        skills=("Mencuci kendaraan", "Poles bodi", "Membersihkan interior"),
        templates=(Template("Cuci", (15000, 90000), ("Motor", "Mobil", "Mobil dan Vakum")),),
    ),
)
WORKSHOP_TYPE_BY_NAME = {w.name: w for w in WORKSHOP_TYPES}
# The first Lapas always has a convection workshop: it makes the hot product.
HOT_WORKSHOP = "Bengkel Konveksi"

CITIES = (
    ("Bandung", "Jawa Barat", "40115"),
    ("Semarang", "Jawa Tengah", "50131"),
    ("Surabaya", "Jawa Timur", "60111"),
    ("Medan", "Sumatera Utara", "20111"),
    ("Makassar", "Sulawesi Selatan", "90111"),
    ("Denpasar", "Bali", "80111"),
    ("Palembang", "Sumatera Selatan", "30111"),
    ("Pontianak", "Kalimantan Barat", "78111"),
    ("Padang", "Sumatera Barat", "25111"),
    ("Manado", "Sulawesi Utara", "95111"),
    ("Mataram", "Nusa Tenggara Barat", "83111"),
    ("Kupang", "Nusa Tenggara Timur", "85111"),
    ("Banjarmasin", "Kalimantan Selatan", "70111"),
    ("Pekanbaru", "Riau", "28111"),
    ("Jambi", "Jambi", "36111"),
    ("Bengkulu", "Bengkulu", "38111"),
    ("Ambon", "Maluku", "97111"),
    ("Jayapura", "Papua", "99111"),
    ("Kendari", "Sulawesi Tenggara", "93111"),
    ("Palu", "Sulawesi Tengah", "94111"),
    ("Samarinda", "Kalimantan Timur", "75111"),
    ("Serang", "Banten", "42111"),
    ("Cirebon", "Jawa Barat", "45111"),
    ("Madiun", "Jawa Timur", "63111"),
)
KINDS = (("lapas", "Lapas Kelas IIA"), ("lapas", "Lapas Kelas I"), ("rutan", "Rutan Kelas I"))


# --- The plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedOptions:
    products: int
    lapas: int
    seed: int = 1
    ledger_entries: int = 0
    ledger_month: datetime.date | None = None  # first day; default: the month before base
    hot_stock: int = 20000
    orders: int | None = None  # default: products // 100, at least 3
    base_date: datetime.date | None = None  # default: today in Jakarta


@dataclass(frozen=True)
class BatchPlan:
    quantity: int
    production_date: datetime.date
    expiry_date: datetime.date | None


@dataclass(frozen=True)
class ProductPlan:
    upc: str
    title: str
    lapas: int  # index into CataloguePlan.lapas
    workshop: str  # WorkshopType name
    price: int
    segments: tuple[str, ...]
    facts: tuple[tuple[str, object], ...]  # Product field values
    batches: tuple[BatchPlan, ...]
    image: int  # which of its category's pool images

    @property
    def workshop_type(self) -> WorkshopType:
        return WORKSHOP_TYPE_BY_NAME[self.workshop]

    @property
    def tracks_stock(self) -> bool:
        return self.workshop_type.product_class != "jasa"


@dataclass(frozen=True)
class OrderPlan:
    number: str
    items: tuple[tuple[str, int], ...]  # (UPC, quantity)
    placed_at: datetime.datetime


@dataclass(frozen=True)
class LedgerSale:
    """One paid sale of the ledger Lapas: lines of (product UPC, quantity)."""

    number: str
    channel: str
    received_at: datetime.datetime
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CataloguePlan:
    options: SeedOptions
    base_date: datetime.date
    lapas: tuple[LapasSpec, ...]
    workshops: tuple[tuple[str, ...], ...]  # per Lapas, WorkshopType names
    products: tuple[ProductPlan, ...]  # the hot product last
    orders: tuple[OrderPlan, ...]
    ledger_month: datetime.date | None
    ledger_sales: tuple[LedgerSale, ...] = field(default=())


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _round_price(value: float) -> int:
    step = 500 if value < 100000 else 5000
    return max(step, int(round(value / step)) * step)


def _short_code(index: int) -> str:
    # Two letters after S: SAA, SAB, …; no demo Lapas uses S, so batch codes never clash.
    return "S" + chr(65 + index // 26) + chr(65 + index % 26)


def _lapas_specs(count: int) -> tuple[LapasSpec, ...]:
    specs = []
    for i in range(count):
        city, province, postcode = CITIES[i % len(CITIES)]
        round_ = i // len(CITIES)
        kind, prefix = KINDS[i % len(KINDS)]
        name = f"{prefix} {city}" + (f" {round_ + 1}" if round_ else "")
        satker = f"{SATKER_PREFIX}{i + 1:04d}"
        specs.append(
            LapasSpec(
                short_code=_short_code(i),
                name=name,
                satker_code=satker,
                kind=kind,
                description=(
                    f"{name} menjalankan bengkel kerja program pembinaan kemandirian. Seluruh "
                    "hasil penjualan disetor ke kas negara sebagai PNBP. (Data benchmark.)"
                ),
                phone=f"(021) 555-{i + 1:04d}",
                email=f"{slugify(name)}@lapas.seed.karya.localhost",
                bank_account_number=f"0{satker}0000{i + 1:04d}",
                line1=f"Jl. Pemasyarakatan No. {i + 1}",
                city=f"Kota {city}",
                province=province,
                postcode=postcode,
            )
        )
    return tuple(specs)


def _workshop_names(rng: random.Random, lapas_count: int) -> tuple[tuple[str, ...], ...]:
    names = [w.name for w in WORKSHOP_TYPES]
    result = []
    for i in range(lapas_count):
        chosen = set(rng.sample(names, rng.randint(4, 6)))
        if i == 0:
            chosen.add(HOT_WORKSHOP)
        result.append(tuple(n for n in names if n in chosen))  # in a stable order
    return tuple(result)


def _facts(rng: random.Random, kind: WorkshopType, template: Template, size, title, base):
    """Packaging and label facts of one product, as the compliance gate wants them."""
    quantity, unit, grams = size
    if kind.product_class == "jasa":
        return ()
    facts = {
        "net_quantity": Decimal(quantity),
        "net_quantity_unit": unit,
        "packaging_type": template.packaging[0],
        "packaging_material": template.packaging[1],
        "packaging_recyclable": template.packaging[2],
        "ingredients": template.material,
        "label_name": title,
    }
    if kind.product_class == "pangan":
        facts["gross_weight_grams"] = grams + rng.randint(20, 120)
        facts["allergens"] = template.allergens
        facts["storage_instructions"] = KEEP_DRY
        facts["shelf_life_days"] = rng.randint(*template.shelf_life)
        if rng.random() < 0.8:
            facts["licence_type"] = LicenceType.PIRT
            facts["licence_number"] = f"{rng.randrange(10**12, 10**13)}-{rng.randint(26, 30)}"
        else:
            facts["licence_type"] = LicenceType.BPOM
            facts["licence_number"] = f"MD{rng.randrange(10**11, 10**12)}"
        if rng.random() < 0.7:
            facts["halal_claimed"] = True
            facts["halal_certificate_number"] = f"ID{rng.randrange(10**16, 10**17)}"
            # Certificates run for years; three years past the base date keeps them valid.
            facts["halal_certificate_expiry"] = base + datetime.timedelta(days=3 * 365)
    else:
        facts["gross_weight_grams"] = rng.randint(*template.weight)
        if rng.random() < 0.4:
            facts["length_cm"] = Decimal(rng.randint(10, 80))
            facts["width_cm"] = Decimal(rng.randint(5, 50))
            facts["height_cm"] = Decimal(rng.randint(2, 60))
    return tuple(sorted(facts.items()))


def _batches(rng, kind: WorkshopType, facts: dict, base: datetime.date) -> tuple[BatchPlan, ...]:
    if kind.product_class == "jasa":
        return ()
    food = kind.product_class == "pangan"
    # Food gets two batches so FEFO allocation has a choice; goods one or two.
    count = 2 if food else rng.choice((1, 1, 2))
    batches = []
    for _ in range(count):
        made = base - datetime.timedelta(days=rng.randint(7, 60))
        expiry = made + datetime.timedelta(days=facts["shelf_life_days"]) if food else None
        batches.append(BatchPlan(rng.randint(5, 80), made, expiry))
    return tuple(sorted(batches, key=lambda b: b.production_date))


def _product_plans(rng, options, base, workshops) -> list[ProductPlan]:
    slots = [(i, name) for i, names in enumerate(workshops) for name in names]
    plans = []
    for n in range(1, options.products + 1):
        lapas_index, workshop = rng.choice(slots)
        kind = WORKSHOP_TYPE_BY_NAME[workshop]
        template = rng.choice(kind.templates)
        variant = rng.choice(template.variants)
        size = rng.choice(template.sizes)
        title = f"{template.base} {variant}"
        if size[1] != "pcs":
            title = f"{title} {size[0]} {size[1]}"
        low, high = template.price
        price = _round_price(rng.uniform(low, high))
        facts = _facts(rng, kind, template, size, title, base)
        plans.append(
            ProductPlan(
                upc=f"{UPC_PREFIX}{n:06d}",
                title=title,
                lapas=lapas_index,
                workshop=workshop,
                price=price,
                segments=tuple(
                    sorted(rng.sample(kind.segments, rng.randint(1, len(kind.segments))))
                ),
                facts=facts,
                batches=_batches(rng, kind, dict(facts), base),
                image=rng.randrange(IMAGES_PER_CATEGORY),
            )
        )
    return plans


def _hot_product(options, base) -> ProductPlan:
    made = base - datetime.timedelta(days=3)
    return ProductPlan(
        upc=HOT_UPC,
        title="Tas Kanvas Karya Belanja",
        lapas=0,
        workshop=HOT_WORKSHOP,
        price=HOT_PRICE,
        segments=(HOUSEHOLDS,),
        facts=tuple(
            sorted(
                {
                    "net_quantity": Decimal("1"),
                    "net_quantity_unit": "pcs",
                    "packaging_type": "none",
                    "packaging_material": "",
                    "packaging_recyclable": False,
                    "ingredients": "Kanvas katun 12 oz, benang poliester.",
                    "label_name": "Tas Kanvas Karya Belanja",
                    "gross_weight_grams": 260,
                }.items()
            )
        ),
        batches=(BatchPlan(options.hot_stock, made, None),) if options.hot_stock else (),
        image=0,
    )


def _order_plans(rng, options, base, products) -> tuple[OrderPlan, ...]:
    """Online orders of goods (not food: no expiry question) in the three weeks before the
    base date, each within what the batches hold."""
    count = options.orders if options.orders is not None else max(3, options.products // 100)
    left = {
        p.upc: sum(b.quantity for b in p.batches)
        for p in products
        if p.workshop_type.product_class == "barang" and p.upc != HOT_UPC
    }
    candidates = sorted(left)
    lapas_of = {p.upc: p.lapas for p in products}
    orders = []
    for n in range(1, count + 1):
        if not candidates:
            break
        # Each order is of one Lapas, as checkout places them (one order per Lapas).
        lapas = rng.choice(sorted({lapas_of[upc] for upc in candidates}))
        own = [upc for upc in candidates if lapas_of[upc] == lapas]
        items = []
        for upc in rng.sample(own, min(len(own), rng.randint(1, 3))):
            quantity = min(left[upc], rng.randint(1, 2))
            if quantity:
                items.append((upc, quantity))
                left[upc] -= quantity
        candidates = [upc for upc in candidates if left[upc] > 0]
        if not items:
            continue
        day = base - datetime.timedelta(days=rng.randint(1, 21))
        orders.append(
            OrderPlan(
                number=f"{ORDER_PREFIX}{n:06d}",
                items=tuple(items),
                placed_at=_aware(day, rng.randint(8, 20), rng.randint(0, 59)),
            )
        )
    return tuple(sorted(orders, key=lambda o: (o.placed_at, o.number)))


def _month_after(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def default_ledger_month(base: datetime.date) -> datetime.date:
    """The month before the base date's: the last one a monthly report is made for."""
    return (base.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _ledger_sales(rng, options, month, products) -> tuple[LedgerSale, ...]:
    """K paid sales of the first Lapas spread over the days of one month: online and at
    its gallery, one or two lines each, over its goods, food and services."""
    if not options.ledger_entries:
        return ()
    own = [p for p in products if p.lapas == 0 and p.upc != HOT_UPC]
    if not own:
        raise SeedError("The ledger Lapas has no products; seed more products.")
    days = (_month_after(month) - month).days
    sales = []
    for n in range(1, options.ledger_entries + 1):
        channel = Order.Channel.POS if rng.random() < POS_SHARE else Order.Channel.ONLINE
        count = 2 if rng.random() < 0.2 and len(own) > 1 else 1
        chosen = rng.sample(own, count)
        items = tuple((p.upc, rng.randint(1, 3) if p.tracks_stock else 1) for p in chosen)
        day = month + datetime.timedelta(days=rng.randrange(days))
        received = _aware(day, rng.randint(8, 20), rng.randint(0, 59))
        sales.append(LedgerSale(f"{LEDGER_ORDER_PREFIX}{n:06d}", channel, received, items))
    return tuple(sales)


def catalogue_plan(options: SeedOptions) -> CataloguePlan:
    """Everything a seed run will write, decided from the options alone (no database)."""
    if options.products < 1:
        raise SeedError("--products must be at least 1.")
    if not 1 <= options.lapas <= MAX_LAPAS:
        raise SeedError(f"--lapas must be between 1 and {MAX_LAPAS}.")
    if options.ledger_entries < 0 or options.hot_stock < 0:
        raise SeedError("--ledger-entries and --hot-stock cannot be negative.")
    base = options.base_date or jakarta_today()
    rng = random.Random(options.seed)
    lapas = _lapas_specs(options.lapas)
    workshops = _workshop_names(rng, options.lapas)
    products = _product_plans(rng, options, base, workshops)
    products.append(_hot_product(options, base))
    orders = _order_plans(rng, options, base, products)
    month = options.ledger_month or default_ledger_month(base)
    return CataloguePlan(
        options=options,
        base_date=base,
        lapas=lapas,
        workshops=workshops,
        products=tuple(products),
        orders=orders,
        ledger_month=month if options.ledger_entries else None,
        ledger_sales=_ledger_sales(rng, options, month, products),
    )


# --- Writing the plan -------------------------------------------------------------------


@dataclass
class SeedResult:
    plan: CataloguePlan
    counts: dict[str, int]
    seconds: float


def seeded_already() -> bool:
    return (
        Product.objects.filter(upc__startswith=UPC_PREFIX).exists()
        or Partner.objects.filter(satker_code__startswith=SATKER_PREFIX).exists()
    )


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model, rows: list, size: int = CHUNK) -> list:
    created = []
    for chunk in _chunks(rows, size):
        created += model.objects.bulk_create(chunk)
    return created


class _Progress:
    def __init__(self, report: Callable[[str], None] | None):
        self.report = report or (lambda message: None)
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        self.report(f"[{time.monotonic() - self.started:6.1f} s] {message}")


def catalogue_seed(
    *, options: SeedOptions, progress: Callable[[str], None] | None = None
) -> SeedResult:
    """Write the plan of ``options``; refused (SeedError) if seeded data already exists."""
    say = _Progress(progress)
    plan = catalogue_plan(options)
    say(
        f"planned {len(plan.products)} products, {len(plan.orders)} orders and "
        f"{len(plan.ledger_sales)} ledger sales (seed {options.seed}, base date "
        f"{plan.base_date})"
    )
    with transaction.atomic():
        if seeded_already():
            raise SeedError(
                "Seeded data already exists (products with UPC SEED-… or Lapas with satker "
                "code 98…): seed_catalog runs once per database. Use a fresh database."
            )
        _write(plan, say)
    if connection.vendor == "postgresql":
        # Thousands of rows at once: the planner's statistics are refreshed now rather than
        # when autovacuum gets round to it, so the first pages are planned for this size.
        # ANALYZE waits for an autovacuum working on a table (which gives way after
        # deadlock_timeout): the placements' short lock_timeout would make it fail instead
        # when they ran in the same transaction (a test's).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
            cursor.execute("ANALYZE")
        say("analyzed")
    return SeedResult(plan=plan, counts=seed_counts(), seconds=time.monotonic() - say.started)


def _write(plan: CataloguePlan, say) -> None:
    categories = _categories_sync()
    classes = _product_classes_sync()
    # The catalogue's food rules apply to the food class (catalog.demo sets the same flag).
    ProductClass.objects.filter(slug="pangan", is_food=False).update(is_food=True)
    classes["pangan"].refresh_from_db()
    segments = _segments_sync()
    shipping_demo_load()  # courier rates per zone, so seeded goods can be checked out
    lapas, workshops = _lapas_and_workshops(plan, categories)
    say(f"{len(lapas)} Lapas and {len(workshops)} workshops")
    images = _image_pool(plan, categories)
    say(f"{len(images)} pool images")
    products = _products(plan, lapas, workshops, categories, classes, segments, images)
    say(f"{len(products)} products with stock records, categories, segments and images")
    batch_code = _stock(plan, products, lapas, workshops)
    say(f"{Batch.objects.filter(product__upc__startswith=UPC_PREFIX).count()} released batches")
    _statistics_refresh()
    _orders(plan, products)
    say(f"{len(plan.orders)} orders placed and paid")
    if plan.ledger_sales:
        _ledger(plan, products, lapas[0], workshops, batch_code)
        say(f"{len(plan.ledger_sales)} ledger entries for {lapas[0].name}")


def _statistics_refresh() -> None:
    """ANALYZE (PostgreSQL) the tables just filled in bulk, before orders are placed on
    them: without statistics the planner takes a table of 10,000 products for one row
    and plans joins as scans of all of it, seconds per order. Autovacuum would get there
    later; the orders are placed now."""
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Product, ProductClass, StockRecord, Partner, Batch, BatchStock)
    ] + [StockLocation._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _lapas_and_workshops(plan, categories):
    indonesia = Country.objects.get(iso_3166_1_a2="ID")
    lapas, workshops = [], {}
    for index, spec in enumerate(plan.lapas):
        partner = Partner.objects.create(
            name=spec.name,
            satker_code=spec.satker_code,
            kind=spec.kind,
            short_code=spec.short_code,
            description=spec.description,
            phone=spec.phone,
            email=spec.email,
            bank_name=spec.bank_name,
            bank_account_number=spec.bank_account_number,
            bank_account_holder=spec.bank_account_holder,
        )
        PartnerAddress.objects.create(
            partner=partner,
            last_name=spec.name,
            line1=spec.line1,
            line4=spec.city,
            state=spec.province,
            postcode=spec.postcode,
            country=indonesia,
        )
        stock_location_warehouse(lapas=partner)
        for name in plan.workshops[index]:
            kind = WORKSHOP_TYPE_BY_NAME[name]
            workshops[(index, name)] = Workshop.objects.create(
                lapas=partner,
                name=name,
                code=_workshop_code(name),
                field_of_work=categories[kind.category],
                description=kind.description,
                skills="\n".join(kind.skills),
            )
        lapas.append(partner)
    return lapas, workshops


def _image_pool(plan, categories) -> dict[tuple[str, int], str]:
    """A few drawn JPEGs per category, shared by all its products (file names only)."""
    used = sorted({p.workshop_type.category for p in plan.products})
    names = {}
    for path in used:
        slug = path.rsplit("/", 1)[-1]
        for k in range(IMAGES_PER_CATEGORY):
            name = f"{IMAGE_FOLDER}/{slug}-{k + 1}.jpg"
            # Drawn from the category alone, so an existing file (an earlier or rolled-back
            # run) is the same picture and is reused as it is.
            if not default_storage.exists(name):
                jpeg = _pool_jpeg(categories[path].name, slug, k)
                name = default_storage.save(name, ContentFile(jpeg))
            names[(path, k)] = name
    return names


@functools.lru_cache(maxsize=64)
def _pool_jpeg(title: str, slug: str, k: int) -> bytes:
    # Drawing takes a good fraction of a second; a process that seeds several databases
    # (the tests) draws each picture once.
    return draw_product_image(
        title=title, seed=f"seed-{slug}-{k}", category_slug=slug, lapas_code="KARYA"
    )


def _products(plan, lapas, workshops, categories, classes, segments, images) -> dict:
    rows = []
    for p in plan.products:
        kind = p.workshop_type
        rows.append(
            Product(
                upc=p.upc,
                title=p.title,
                slug=slugify(p.title)[:128],
                description=(
                    f"{p.title} dari {kind.name} {plan.lapas[p.lapas].name}. {kind.description}"
                ),
                product_class=classes[kind.product_class],
                structure=Product.STANDALONE,
                workshop=workshops[(p.lapas, p.workshop)],
                is_public=True,
                **dict(p.facts),
            )
        )
    products = {product.upc: product for product in _bulk(Product, rows, 1000)}
    currency = settings.OSCAR_DEFAULT_CURRENCY
    today = jakarta_today()
    stock_rows, category_rows, segment_rows, image_rows = [], [], [], []
    Through = Product.segments.through
    for p in plan.products:
        product = products[p.upc]
        sellable = sum(
            b.quantity for b in p.batches if b.expiry_date is None or b.expiry_date >= today
        )
        stock_rows.append(
            StockRecord(
                product=product,
                partner=lapas[p.lapas],
                partner_sku=p.upc,
                price=Decimal(p.price),
                price_currency=currency,
                num_in_stock=sellable if p.tracks_stock else 0,
                num_allocated=0,
            )
        )
        category_rows.append(
            ProductCategory(product=product, category=categories[p.workshop_type.category])
        )
        segment_rows += [Through(product=product, segment=segments[s]) for s in p.segments]
        image_rows.append(
            ProductImage(
                product=product,
                original=images[(p.workshop_type.category, p.image)],
                caption=p.title,
                display_order=0,
            )
        )
    _bulk(StockRecord, stock_rows)
    _bulk(ProductCategory, category_rows)
    _bulk(Through, segment_rows)
    _bulk(ProductImage, image_rows)
    return products


def _batch_codes():
    taken = Counter()

    def code(lapas, workshop, made: datetime.date) -> str:
        prefix = f"{lapas.short_code}-{workshop.code}-{made:%y%m%d}-"
        taken[prefix] += 1
        return f"{prefix}{taken[prefix]:02d}"

    return code


def _batch(*, code, product, workshop, quantity, made, expiry, status) -> Batch:
    checked = _aware(made, 15)
    return Batch(
        code=code,
        product=product,
        workshop=workshop,
        status=status,
        planned_quantity=quantity,
        produced_quantity=quantity,
        production_date=made,
        expiry_date=expiry,
        materials_cost=None,
        labor_hours=Decimal(quantity) / 4,
        head_count=min(12, 2 + quantity // 20),
        qc_checklist={"appearance": True, "packaging": True, "labeling": True},
        qc_passed=True,
        qc_at=checked,
        released_at=checked + datetime.timedelta(hours=1),
    )


def _stock(plan, products, lapas, workshops):
    """Released batches with their units in the Lapas warehouse, as batch_release leaves
    them; the stock records already hold the sellable sums. Returns the batch code
    numbering, which the ledger's sold-out batches continue."""
    code = _batch_codes()
    warehouses = {
        loc.lapas_id: loc
        for loc in StockLocation.objects.filter(lapas__in=lapas, kind=StockLocation.Kind.WAREHOUSE)
    }
    rows, quantities = [], []
    for p in plan.products:
        workshop = workshops[(p.lapas, p.workshop)]
        for b in p.batches:
            rows.append(
                _batch(
                    code=code(lapas[p.lapas], workshop, b.production_date),
                    product=products[p.upc],
                    workshop=workshop,
                    quantity=b.quantity,
                    made=b.production_date,
                    expiry=b.expiry_date,
                    status=Batch.Status.RELEASED,
                )
            )
            quantities.append((b.quantity, warehouses[lapas[p.lapas].pk]))
    batches = _bulk(Batch, rows)
    _bulk(
        BatchStock,
        [
            BatchStock(batch=batch, location=location, quantity=quantity)
            for batch, (quantity, location) in zip(batches, quantities, strict=True)
        ],
    )
    return code


def _buyer():
    """The seeded buyer. No e-mail address: the orders' payment e-mails are skipped (and
    so not printed by the console mail backend), and no password: nobody logs in as it."""
    User = get_user_model()
    buyer = User(username=BUYER_USERNAME, first_name="Pembeli", last_name="Benchmark")
    buyer.set_unusable_password()
    buyer.save()
    return buyer


def _orders(plan, products) -> None:
    """Place and pay the planned orders through the shop's own code, each at its moment:
    the placement service makes one order per Lapas and allocates units to batches
    (FEFO), the payments service marks each paid and books the PNBP ledger."""
    from shop.payments.services import PaymentRecorded, order_record_payment

    if not plan.orders:
        return
    buyer = _buyer()
    for order_plan in plan.orders:
        items = [(products[upc], quantity) for upc, quantity in order_plan.items]
        with _clock(order_plan.placed_at):
            orders = _place(
                number=order_plan.number, items=items, buyer=buyer, when=order_plan.placed_at
            )
        with _clock(order_plan.placed_at + datetime.timedelta(hours=2)):
            for order in orders:
                outcome = order_record_payment(
                    order_id=order.pk,
                    amount=order.total_incl_tax,
                    currency_code=order.currency,
                    reference=f"TRF-{order.number}",
                    provider="bank transfer",
                )
                if outcome != PaymentRecorded.RECORDED:
                    raise SeedError(f"Order {order.number} was not paid: {outcome}.")


# --- The ledger month -------------------------------------------------------------------


def _ntpn(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:16].upper()


def _ledger(plan, products, lapas, workshops, code) -> None:
    """K paid sales of one Lapas in one month, written as pnbp_record_sale writes them.

    Bulk, because the ledger's writer takes one order at a time. Each sale is an order
    (completed: paid and handed over) whose lines took their units from batches that
    sold out on these sales, one per product and channel, with an allocation per line.
    The first half of the month is deposited (billing code and NTPN), as a treasurer
    would have done by the report's date.
    """
    month = plan.ledger_month
    split = RevenueSplit.objects.create(
        lapas=lapas,
        effective_from=month,
        pnbp_percent=Decimal(LEDGER_SPLIT["pnbp"]),
        premi_percent=Decimal(LEDGER_SPLIT["premi"]),
        working_capital_percent=Decimal(LEDGER_SPLIT["working_capital"]),
        programme_percent=Decimal(LEDGER_SPLIT["programme"]),
    )
    fractions = fractions_of_split(split)
    warehouse = stock_location_warehouse(lapas=lapas)
    gallery = StockLocation.objects.create(
        lapas=lapas,
        kind=StockLocation.Kind.GALLERY,
        name=f"Galeri {lapas.name}",
        fulfils_online=False,
        city=lapas.primary_address.line4 if lapas.primary_address else "",
    )
    location_of = {Order.Channel.ONLINE: warehouse.pk, Order.Channel.POS: gallery.pk}
    plans = {p.upc: p for p in plan.products}
    records = dict(
        StockRecord.objects.filter(partner=lapas, product__upc__startswith=UPC_PREFIX).values_list(
            "product_id", "pk"
        )
    )

    # Sold-out batches: made a week before the month, holding exactly what the month sold.
    units: Counter = Counter()
    for sale in plan.ledger_sales:
        for upc, quantity in sale.items:
            if plans[upc].tracks_stock:
                units[(upc, sale.channel)] += quantity
    made = month - datetime.timedelta(days=7)
    keys = sorted(units)
    batch_rows = []
    for upc, channel in keys:
        p = plans[upc]
        workshop = workshops[(p.lapas, p.workshop)]
        shelf = dict(p.facts).get("shelf_life_days")
        batch_rows.append(
            _batch(
                code=code(lapas, workshop, made),
                product=products[upc],
                workshop=workshop,
                quantity=units[(upc, channel)],
                made=made,
                expiry=made + datetime.timedelta(days=shelf) if shelf else None,
                status=Batch.Status.SOLD_OUT,
            )
        )
    sold_out = {key: batch.pk for key, batch in zip(keys, _bulk(Batch, batch_rows), strict=True)}
    _bulk(
        BatchStock,
        [
            BatchStock(batch_id=batch_id, location_id=location_of[channel], quantity=0)
            for (_upc, channel), batch_id in sold_out.items()
        ],
    )

    # Amounts repeat (a few prices times a few quantities): split each gross once.
    shares_of = functools.lru_cache(maxsize=None)(lambda gross: split_shares(gross, **fractions))
    cent = Decimal("0.01")
    currency = settings.OSCAR_DEFAULT_CURRENCY
    now = timezone.now()
    deposit_until = _aware(month + datetime.timedelta(days=15), 0)
    deposited: list[tuple[int, Decimal]] = []
    workshop_ids = {key: w.pk for key, w in workshops.items()}
    for chunk in _chunks(list(plan.ledger_sales), 10000):
        order_ids = _reserve_ids(Order, len(chunk))
        entry_ids = _reserve_ids(LedgerEntry, len(chunk))
        line_ids = iter(_reserve_ids(Line, sum(len(sale.items) for sale in chunk)))
        orders, lines, allocations, entries, entry_lines = [], [], [], [], []
        # Paid means a recorded payment (payments.OrderPayment), as the mark-paid service
        # writes it: by bank transfer online, in cash at the gallery.
        payments = []
        for sale, order_id, entry_id in zip(chunk, order_ids, entry_ids, strict=True):
            priced = [(plans[upc], quantity) for upc, quantity in sale.items]
            amounts = [Decimal(p.price) * quantity for p, quantity in priced]
            goods = sum(amounts, Decimal(0))
            ships = sale.channel == Order.Channel.ONLINE and any(p.tracks_stock for p, _q in priced)
            shipping = SHIPPING if ships else Decimal(0)
            orders.append(
                {
                    "id": order_id,
                    "number": sale.number,
                    "lapas_id": lapas.pk,
                    "site_id": settings.SITE_ID,
                    "currency": currency,
                    "total_incl_tax": goods + shipping,
                    "total_excl_tax": goods + shipping,
                    "shipping_incl_tax": shipping,
                    "shipping_excl_tax": shipping,
                    "shipping_method": "Kurir" if ships else "",
                    "shipping_code": "seed-courier" if ships else "",
                    "status": statuses.COMPLETED,
                    "channel": sale.channel,
                    "date_placed": sale.received_at,
                }
            )
            payments.append(
                {
                    "order_id": order_id,
                    "provider": "bank_transfer" if sale.channel == Order.Channel.ONLINE else "cash",
                    "amount": goods + shipping,
                    "reference": "",
                    "recorded_at": sale.received_at,
                    "charge_id": "",
                    "transfer_id": "",
                    "transfer_destination": "",
                }
            )
            gross = goods.quantize(cent)
            shares = shares_of(gross)
            entries.append(
                {
                    "id": entry_id,
                    "lapas_id": lapas.pk,
                    "kind": LedgerEntry.Kind.SALE,
                    "order_id": order_id,
                    "channel": sale.channel,
                    "account_code": lapas.pnbp_account_code,
                    "gross": gross,
                    "pnbp_amount": shares.pnbp,
                    "premi_amount": shares.premi,
                    "working_capital_amount": shares.working_capital,
                    "programme_amount": shares.programme,
                    "split_id": split.pk,
                    "due_at": sale.received_at,
                    "recorded_at": now,
                }
            )
            if sale.received_at < deposit_until:
                deposited.append((entry_id, shares.pnbp))
            premis = [shares.premi] if len(amounts) == 1 else apportion(shares.premi, amounts)
            for (p, quantity), amount, premi in zip(priced, amounts, premis, strict=True):
                line_id = next(line_ids)
                product_id = products[p.upc].pk
                lines.append(
                    {
                        "id": line_id,
                        "order_id": order_id,
                        "partner_id": lapas.pk,
                        "partner_name": lapas.name,
                        "partner_sku": p.upc,
                        "stockrecord_id": records[product_id],
                        "product_id": product_id,
                        "title": p.title,
                        "upc": p.upc,
                        "quantity": quantity,
                        "num_allocated": quantity,  # as Oscar's OrderCreator sets it
                        "line_price_incl_tax": amount,
                        "line_price_excl_tax": amount,
                        "line_price_before_discounts_incl_tax": amount,
                        "line_price_before_discounts_excl_tax": amount,
                        "unit_price_incl_tax": Decimal(p.price),
                        "unit_price_excl_tax": Decimal(p.price),
                        "status": statuses.COMPLETED,
                    }
                )
                batch_id = sold_out.get((p.upc, sale.channel))
                if batch_id is not None:
                    allocations.append(
                        {
                            "line_id": line_id,
                            "batch_id": batch_id,
                            "location_id": location_of[sale.channel],
                            "quantity": quantity,
                            "created_at": sale.received_at,
                        }
                    )
                entry_lines.append(
                    {
                        "entry_id": entry_id,
                        "line_id": line_id,
                        "batch_id": batch_id,
                        "workshop_id": workshop_ids[(p.lapas, p.workshop)],
                        "quantity": quantity,
                        "gross": amount.quantize(cent),
                        "premi_amount": premi,
                    }
                )
        # Parents before children: the foreign keys are checked at commit anyway.
        _insert(Order, orders)
        _insert(OrderPayment, payments)
        _insert(Line, lines)
        _insert(Allocation, allocations)
        _insert(LedgerEntry, entries)
        _insert(LedgerEntryLine, entry_lines)
    _reset_sequences(Order, Line, LedgerEntry)
    _deposit(lapas=lapas, month=month, entries=deposited)


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows about to be inserted, so children can point at them without
    reading ids back. PostgreSQL hands them out from the table's sequence (safe beside
    other writers); elsewhere they follow the highest id (seeding runs alone)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    top = model.objects.aggregate(top=Max("pk"))["top"] or 0
    return list(range(top + 1, top + count + 1))


def _reset_sequences(*models) -> None:
    # Ids taken from the highest id (not PostgreSQL) must move the sequence past them.
    if connection.vendor == "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _insert(model, rows: list[dict]) -> None:
    """Insert plain rows (by attribute name; other columns take their field default)
    without building model instances: for the ledger's hundreds of thousands of rows,
    Django's bulk_create spends most of its time preparing values one by one. On
    PostgreSQL the rows are streamed with COPY."""
    if not rows:
        return
    given = set().union(*(row.keys() for row in rows[:1]))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in given]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = [f.attname for f in fields]
    values = [tuple(row.get(name, defaults.get(name)) for name in names) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
            return
        adapt = [_adapter(f) for f in fields]
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            # Table and column names come from the model, quoted; values are parameters.
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            [tuple(a(v) for a, v in zip(adapt, value, strict=True)) for value in values],
        )


def _adapter(field):
    # What Django's own inserts would pass to a database other than PostgreSQL.
    def adapt(value):
        return field.get_db_prep_save(value, connection)

    return adapt


def _deposit(*, lapas, month, entries) -> None:
    if not entries:
        return
    paid = next_working_day(month + datetime.timedelta(days=15))
    billing = f"8{lapas.satker_code}{paid:%y%m%d}01"
    deposit = Deposit.objects.create(
        lapas=lapas,
        amount=sum((amount for _pk, amount in entries), Decimal(0)),
        status=Deposit.Status.PAID,
        billing_code=billing,
        billing_expires_at=_aware(paid + datetime.timedelta(days=1), 23),
        ntpn=_ntpn(f"seed-{lapas.satker_code}-{billing}"),
        paid_on=paid,
        ntpn_recorded_at=_aware(paid, 11),
    )
    _insert(DepositEntry, [{"deposit_id": deposit.pk, "entry_id": pk} for pk, _a in entries])


# --- Counts -----------------------------------------------------------------------------


def seed_counts() -> dict[str, int]:
    """Rows of the seeded data (by its markers), for the summary and the tests."""
    seeded = {"product__upc__startswith": UPC_PREFIX}
    return {
        "lapas": Partner.objects.filter(satker_code__startswith=SATKER_PREFIX).count(),
        "workshops": Workshop.objects.filter(lapas__satker_code__startswith=SATKER_PREFIX).count(),
        "products": Product.objects.filter(upc__startswith=UPC_PREFIX).count(),
        "stock records": StockRecord.objects.filter(**seeded).count(),
        "product images": ProductImage.objects.filter(**seeded).count(),
        "batches": Batch.objects.filter(**seeded).count(),
        "units in stock": BatchStock.objects.filter(
            batch__product__upc__startswith=UPC_PREFIX
        ).aggregate(n=Sum("quantity"))["n"]
        or 0,
        "orders": Order.objects.filter(number__startswith=ORDER_PREFIX).count(),
        "ledger orders": Order.objects.filter(number__startswith=LEDGER_ORDER_PREFIX).count(),
        "ledger entries": LedgerEntry.objects.filter(
            lapas__satker_code__startswith=SATKER_PREFIX
        ).count(),
    }
