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
from production_link.demo import production_demo_counts, production_demo_load
from production_link.models import Workshop
from production_link.reports_demo import pnbp_reports_demo_load
from shop.apps.core.pnbp_demo import pnbp_demo_load
from shop.apps.shipping.demo import (
    parcel_demo_load,  # issue 23: a shipped order
    shipping_demo_load,  # issue 5: zones, rates, galleries
)
from shop.pos.demo import pos_demo_load

from .imaging import font, wrap
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

# One user per role. ``role`` is a code of shop.apps.core.roles, or "buyer" / "central_admin"
# for the two kinds of user that are not a role group. ``lapas`` is a Lapas short code.
DEMO_USERS = [
    {
        "role": "buyer",
        "role_label": "Buyer",
        "username": "pembeli",
        "email": "pembeli@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Pembeli",
        "last_name": "Demo",
        "lapas": None,
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/", "/accounts/profile/"),
    },
    {
        "role": "workshop_staff",
        "role_label": "Workshop staff",
        "username": "staf.tangerang",
        "email": "staf.tangerang@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Staf Bengkel",
        "last_name": "Tangerang",
        "lapas": "TNG",
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/dashboard/",),
    },
    {
        "role": "workshop_staff",
        "role_label": "Workshop staff",
        "username": "staf.cipinang",
        "email": "staf.cipinang@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Staf Bengkel",
        "last_name": "Cipinang",
        "lapas": "CPN",
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/dashboard/",),
    },
    {
        "role": "cashier",
        "role_label": "Cashier",
        "username": "kasir.yogya",
        "email": "kasir.yogya@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Kasir Galeri",
        "last_name": "Yogyakarta",
        "lapas": "YGY",
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/pos/",),
    },
    {
        "role": "treasurer",
        "role_label": "Treasurer",
        "username": "bendahara.tangerang",
        "email": "bendahara.tangerang@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Bendahara",
        "last_name": "Tangerang",
        "lapas": "TNG",
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/dashboard/",),
    },
    {
        "role": "kalapas",
        "role_label": "Kalapas",
        "username": "kalapas.tangerang",
        "email": "kalapas.tangerang@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Kalapas",
        "last_name": "Tangerang",
        "lapas": "TNG",
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/dashboard/",),
    },
    {
        "role": "editor",
        "role_label": "Editor",
        "username": "editor",
        "email": "editor@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Editor",
        "last_name": "Konten",
        "lapas": None,
        "is_staff": False,
        "is_superuser": False,
        "login_url": CMS_LOGIN_URL,
        "urls": ("/cms/",),
    },
    {
        "role": "institutional_buyer",
        "role_label": "Institutional buyer",
        "username": "instansi",
        "email": "pengadaan@instansi.karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Bagian Umum",
        "last_name": "Dinas Contoh",
        "lapas": None,
        "is_staff": False,
        "is_superuser": False,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/catalogue/segment/kantor-dan-instansi/", "/basket/"),
    },
    {
        "role": "central_admin",
        "role_label": "Central admin",
        "username": "admin",
        "email": "admin@karya.localhost",
        "password": DEMO_PASSWORD,
        "first_name": "Admin",
        "last_name": "Pusat",
        "lapas": None,
        "is_staff": True,
        "is_superuser": True,
        "login_url": SHOP_LOGIN_URL,
        "urls": ("/dashboard/", "/cms/", "/admin/"),
    },
]

BUYER_ADDRESS = {
    "first_name": "Pembeli",
    "last_name": "Demo",
    "line1": "Jl. Melati No. 12, RT 03/RW 05",
    "line2": "Kel. Menteng",
    "line4": "Jakarta Pusat",
    "state": "DKI Jakarta",
    "postcode": "10310",
    "phone_number": "+6281234567890",
    "notes": "Alamat demo.",
}

DJANGO_SITE_DOMAIN = "127.0.0.1:8000"
HERO_IMAGE_TITLE = "Beranda Karya: gambar utama (demo)"


# --- Categories: the classification of work activities in the standard (seed paper 004):
# agriculture and fishery, services, and industry, each with the fields the standard
# names that Lapas workshops actually run.

CATEGORY_TREE = [
    (
        "pertanian-dan-perikanan",
        "Pertanian dan Perikanan",
        "Hasil sawah, kebun, kandang dan kolam yang dikelola bengkel kerja Lapas: pangan "
        "segar yang ditanam, dipelihara dan dipanen sendiri.",
        [
            (
                "tanaman-pangan",
                "Tanaman Pangan",
                "Serealia, biji-bijian dan umbi-umbian: beras, jagung, kedelai, kacang, "
                "singkong dan ubi.",
            ),
            (
                "hortikultura",
                "Hortikultura",
                "Sayuran, buah, tanaman obat dan tanaman hias dari kebun Lapas.",
            ),
            (
                "perkebunan",
                "Perkebunan",
                "Hasil tanaman perkebunan seperti kopi, kakao, kelapa dan teh, mentah "
                "maupun olahan.",
            ),
            (
                "peternakan",
                "Peternakan",
                "Telur, daging, susu dan madu dari ternak yang dipelihara di Lapas.",
            ),
            (
                "perikanan",
                "Perikanan",
                "Ikan air tawar dan air payau dari kolam dan tambak Lapas, segar atau olahan.",
            ),
        ],
    ),
    (
        "jasa",
        "Jasa",
        "Layanan yang dikerjakan bengkel kerja Lapas untuk warga dan instansi. Jasa tidak "
        "dikirim: dipesan, lalu dijadwalkan bersama Lapas.",
        [
            (
                "laundry",
                "Laundry",
                "Cuci, kering dan setrika pakaian, seprai dan bed cover, kiloan maupun satuan.",
            ),
            (
                "jasa-boga",
                "Jasa Boga",
                "Katering nasi kotak dan kudapan untuk rapat, acara kantor dan hajatan.",
            ),
            (
                "perawatan-dan-perbaikan",
                "Perawatan dan Perbaikan",
                "Perawatan dan perbaikan barang, misalnya pelapisan ulang mebel kayu.",
            ),
            (
                "cuci-kendaraan",
                "Cuci Kendaraan",
                "Cuci mobil dan motor di tempat cuci kendaraan yang dikelola Lapas.",
            ),
        ],
    ),
    (
        "industri",
        "Industri",
        "Barang jadi dari bengkel kerja Lapas, dari dapur roti sampai bengkel mebel.",
        [
            (
                "makanan-dan-minuman",
                "Makanan dan Minuman",
                "Roti, kue, camilan, sambal dan minuman olahan dari dapur produksi Lapas.",
            ),
            (
                "konveksi-dan-batik",
                "Konveksi dan Batik",
                "Pakaian, kain batik tulis dan cap, serta barang jahitan dari bengkel konveksi.",
            ),
            (
                "mebel",
                "Mebel",
                "Kursi, meja, lemari dan perabot kayu buatan bengkel mebel Lapas.",
            ),
            (
                "kerajinan",
                "Kerajinan",
                "Kerajinan kayu dan hiasan rumah: miniatur, ukiran dan perlengkapan meja.",
            ),
            (
                "anyaman",
                "Anyaman",
                "Tas, keranjang dan perlengkapan rumah dari pandan dan bambu yang dianyam tangan.",
            ),
            (
                "keramik",
                "Keramik",
                "Vas, cangkir dan gerabah yang dibentuk, dibakar dan diglasir di bengkel keramik.",
            ),
        ],
    ),
]

# slug, name, requires_shipping, track_stock
PRODUCT_CLASSES = [
    ("pangan", "Pangan", True, True),
    ("barang", "Barang", True, True),
    ("jasa", "Jasa", False, False),
]


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
    product_class: str  # a slug of PRODUCT_CLASSES
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


LAPAS = [
    LapasSpec(
        short_code="TNG",
        name="Lapas Kelas I Tangerang",
        satker_code="990101",
        description=(
            "Lapas di Kota Tangerang dengan bengkel roti, bengkel konveksi dan tempat cuci "
            "kendaraan untuk program pembinaan kemandirian. Seluruh hasil penjualan disetor "
            "ke kas negara sebagai PNBP. (Data demo.)"
        ),
        phone="(021) 5550-1001",
        email="tangerang@lapas.karya.localhost",
        bank_account_number="099010100001015",
        stripe_account_id="acct_demo990101karya",
        line1="Jl. Pemasyarakatan No. 1, Babakan",
        city="Kota Tangerang",
        province="Banten",
        postcode="15118",
    ),
    LapasSpec(
        short_code="YGY",
        name="Lapas Kelas IIA Yogyakarta",
        satker_code="990102",
        description=(
            "Lapas di Kota Yogyakarta yang meneruskan tradisi batik tulis dan cap, kerajinan "
            "kayu dan jasa boga. Seluruh hasil penjualan disetor ke kas negara sebagai PNBP. "
            "(Data demo.)"
        ),
        phone="(0274) 555-0102",
        email="yogyakarta@lapas.karya.localhost",
        bank_account_number="099010200001023",
        stripe_account_id="acct_demo990102karya",
        line1="Jl. Pemasyarakatan No. 2, Wirogunan",
        city="Kota Yogyakarta",
        province="DI Yogyakarta",
        postcode="55151",
    ),
    LapasSpec(
        short_code="CPN",
        name="Lapas Kelas I Cipinang",
        satker_code="990103",
        description=(
            "Lapas di Jakarta Timur dengan bengkel mebel kayu, laundry dan bengkel perawatan "
            "mebel yang melayani rumah tangga dan kantor. Seluruh hasil penjualan disetor ke "
            "kas negara sebagai PNBP. (Data demo.)"
        ),
        phone="(021) 5550-1003",
        email="cipinang@lapas.karya.localhost",
        bank_account_number="099010300001031",
        stripe_account_id="acct_demo990103karya",
        line1="Jl. Pemasyarakatan No. 3, Cipinang",
        city="Jakarta Timur",
        province="DKI Jakarta",
        postcode="13240",
    ),
    LapasSpec(
        short_code="MLG",
        name="Lapas Perempuan Kelas IIA Malang",
        satker_code="990104",
        description=(
            "Lapas perempuan di Kota Malang dengan dapur kue dan camilan, bengkel anyaman dan "
            "bengkel keramik. Seluruh hasil penjualan disetor ke kas negara sebagai PNBP. "
            "(Data demo.)"
        ),
        phone="(0341) 555-0104",
        email="malang@lapas.karya.localhost",
        bank_account_number="099010400001048",
        stripe_account_id="acct_demo990104karya",
        line1="Jl. Pemasyarakatan No. 4, Sukun",
        city="Kota Malang",
        province="Jawa Timur",
        postcode="65147",
    ),
    LapasSpec(
        short_code="NKT",
        name="Lapas Terbuka Kelas IIB Nusakambangan",
        satker_code="990105",
        description=(
            "Lapas terbuka di Pulau Nusakambangan yang mengelola sawah, kebun sayur, kebun "
            "kopi, kandang ayam dan kolam ikan. Seluruh hasil penjualan disetor ke kas negara "
            "sebagai PNBP. (Data demo.)"
        ),
        phone="(0282) 555-0105",
        email="nusakambangan@lapas.karya.localhost",
        bank_account_number="099010500001056",
        line1="Jl. Pemasyarakatan No. 5, Pulau Nusakambangan",
        city="Kabupaten Cilacap",
        province="Jawa Tengah",
        postcode="53201",
    ),
]

FOOD = "industri/makanan-dan-minuman"
TEXTILE = "industri/konveksi-dan-batik"

WORKSHOPS = [
    # --- Lapas Kelas I Tangerang
    WorkshopSpec(
        lapas="TNG",
        name="Bengkel Roti",
        field_of_work=FOOD,
        description=(
            "Dapur roti dengan oven dek dan ruang pengembangan adonan. Roti dipanggang setiap "
            "pagi dalam jumlah kecil, dikemas dan diberi label tanggal produksi."
        ),
        skills=(
            "Menimbang dan mencampur adonan",
            "Fermentasi dan pembentukan roti",
            "Pengoperasian oven dek",
            "Higiene dan sanitasi dapur",
            "Pengemasan dan pelabelan pangan",
        ),
        products=(
            ProductSpec(
                upc="KRY-TNG-0001",
                title="Roti Tawar Gandum 500 g",
                product_class="pangan",
                category=FOOD,
                price=22000,
                stock=40,
                description=(
                    "Roti tawar dari campuran tepung gandum utuh, bertekstur lembut dan "
                    "berserat. Dipanggang pagi hari di Bengkel Roti Lapas Tangerang dan "
                    "paling nikmat dalam tiga hari."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0002",
                title="Roti Manis Isi Cokelat (isi 6)",
                product_class="pangan",
                category=FOOD,
                price=25000,
                stock=50,
                description=(
                    "Enam roti manis empuk berisi selai cokelat, cocok untuk bekal sekolah "
                    "dan suguhan rapat. Adonan dibentuk satu per satu di Bengkel Roti."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0003",
                title="Bolu Gulung Pandan",
                product_class="pangan",
                category=FOOD,
                price=35000,
                stock=25,
                description=(
                    "Bolu gulung beraroma pandan dengan isian krim mentega. Digulung rapi dan "
                    "dikemas dalam kotak, siap menjadi oleh-oleh."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0004",
                title="Roti Sobek Keju",
                product_class="pangan",
                category=FOOD,
                price=28000,
                stock=30,
                description=(
                    "Roti sobek sembilan bagian dengan taburan keju di atasnya. Mudah dibagi "
                    "dan pas untuk sarapan keluarga."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="TNG",
        name="Bengkel Konveksi",
        field_of_work=TEXTILE,
        description=(
            "Bengkel jahit dengan mesin jahit industri, mesin obras dan meja potong. Bengkel "
            "ini menerima pesanan seragam kerja dan kaos dalam jumlah besar."
        ),
        skills=(
            "Membaca dan membuat pola",
            "Memotong kain",
            "Menjahit dengan mesin industri",
            "Obras dan finishing",
            "Pemeriksaan mutu jahitan",
        ),
        products=(
            ProductSpec(
                upc="KRY-TNG-0005",
                title="Kemeja Kerja Lengan Panjang",
                product_class="barang",
                category=TEXTILE,
                price=145000,
                stock=60,
                description=(
                    "Kemeja kerja dari kain katun drill yang kuat, dengan saku dada dan jahitan "
                    "ganda di bahu. Tersedia dalam ukuran S sampai XXL dari Bengkel Konveksi."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0006",
                title="Kaos Polos Katun Combed 30s",
                product_class="barang",
                category=TEXTILE,
                price=65000,
                stock=120,
                description=(
                    "Kaos polos berbahan katun combed 30s yang adem dan tidak mudah melar. "
                    "Cocok untuk dipakai sehari-hari atau disablon untuk acara komunitas."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0007",
                title="Tas Belanja Kanvas",
                product_class="barang",
                category=TEXTILE,
                price=45000,
                stock=80,
                description=(
                    "Tas belanja dari kanvas tebal dengan tali panjang yang dijahit kuat. "
                    "Pengganti kantong plastik yang bisa dipakai bertahun-tahun."
                ),
            ),
            ProductSpec(
                upc="KRY-TNG-0009",
                title="Celemek Dapur Kanvas",
                product_class="barang",
                category=TEXTILE,
                price=55000,
                stock=70,
                description=(
                    "Celemek dapur dengan dua saku depan dan tali leher yang bisa diatur. "
                    "Dijahit dari kanvas yang sama dengan seragam Bengkel Roti."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="TNG",
        name="Bengkel Cuci Kendaraan",
        field_of_work="jasa/cuci-kendaraan",
        description=(
            "Tempat cuci kendaraan di area depan Lapas dengan pompa bertekanan dan tempat "
            "pengeringan. Air bekas cucian disaring sebelum dibuang."
        ),
        skills=(
            "Pencucian bodi dan kolong kendaraan",
            "Perawatan interior",
            "Pengoperasian pompa bertekanan",
            "Pelayanan pelanggan",
        ),
        products=(
            ProductSpec(
                upc="KRY-TNG-0008",
                title="Jasa Cuci Mobil",
                product_class="jasa",
                category="jasa/cuci-kendaraan",
                price=50000,
                stock=None,
                description=(
                    "Cuci mobil bagian luar, kolong dan interior, dikerjakan sekitar satu jam. "
                    "Datang ke tempat cuci kendaraan Lapas Tangerang pada jam layanan setelah "
                    "memesan."
                ),
            ),
        ),
    ),
    # --- Lapas Kelas IIA Yogyakarta
    WorkshopSpec(
        lapas="YGY",
        name="Bengkel Batik",
        field_of_work=TEXTILE,
        description=(
            "Bengkel batik tulis dan cap dengan meja canting, kompor malam dan bak pewarnaan. "
            "Motif klasik Yogyakarta seperti parang dan kawung dikerjakan dengan pewarna "
            "yang diuji luntur sebelum dijual."
        ),
        skills=(
            "Menggambar pola batik",
            "Membatik tulis dengan canting",
            "Membatik cap",
            "Pewarnaan dan pelorodan",
            "Menjahit busana batik",
        ),
        products=(
            ProductSpec(
                upc="KRY-YGY-0001",
                title="Kain Batik Tulis Parang 2 m",
                product_class="barang",
                category=TEXTILE,
                price=650000,
                stock=8,
                description=(
                    "Kain batik tulis motif parang sepanjang dua meter di atas katun primisima. "
                    "Setiap lembar dicanting tangan di Bengkel Batik, sehingga garisnya sedikit "
                    "berbeda satu sama lain."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0002",
                title="Kain Batik Cap Kawung 2 m",
                product_class="barang",
                category=TEXTILE,
                price=225000,
                stock=20,
                description=(
                    "Kain batik cap motif kawung dengan warna soga dan biru tua. Dicap dengan "
                    "cap tembaga dan diwarnai dua kali agar warnanya dalam."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0003",
                title="Kemeja Batik Pria Lengan Pendek",
                product_class="barang",
                category=TEXTILE,
                price=185000,
                stock=35,
                description=(
                    "Kemeja batik cap berlapis furing tipis, rapi untuk kantor maupun acara "
                    "resmi. Kain dibatik dan dijahit di Bengkel Batik Lapas Yogyakarta."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0004",
                title="Selendang Batik Katun",
                product_class="barang",
                category=TEXTILE,
                price=150000,
                stock=25,
                description=(
                    "Selendang batik ringan dengan motif truntum, dapat dipakai sebagai syal "
                    "atau penutup bahu. Tepinya dijahit gulung dengan rapi."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="YGY",
        name="Bengkel Kerajinan Kayu",
        field_of_work="industri/kerajinan",
        description=(
            "Bengkel kecil untuk kerajinan kayu halus: miniatur, ukiran dan perlengkapan "
            "meja. Kayu yang dipakai adalah sisa potongan dari pemasok mebel setempat."
        ),
        skills=(
            "Membaca gambar kerja",
            "Mengukir dan memahat kayu",
            "Merakit miniatur",
            "Mengamplas dan mempernis",
        ),
        products=(
            ProductSpec(
                upc="KRY-YGY-0005",
                title="Miniatur Kapal Pinisi 40 cm",
                product_class="barang",
                category="industri/kerajinan",
                price=375000,
                stock=10,
                description=(
                    "Miniatur kapal pinisi sepanjang 40 cm lengkap dengan tiang dan layar kain. "
                    "Setiap bilah lambung dipasang tangan dan dipernis agar awet dipajang."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0006",
                title="Hiasan Dinding Kayu Ukir",
                product_class="barang",
                category="industri/kerajinan",
                price=210000,
                stock=12,
                description=(
                    "Panel kayu ukir bermotif sulur daun untuk hiasan ruang tamu. Diukir dan "
                    "diamplas halus di Bengkel Kerajinan Kayu."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0007",
                title="Kotak Tisu Kayu",
                product_class="barang",
                category="industri/kerajinan",
                price=65000,
                stock=40,
                description=(
                    "Kotak tisu dari kayu jati belanda dengan tutup geser di bawah. Sederhana, "
                    "kokoh dan cocok untuk meja kantor."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="YGY",
        name="Dapur Jasa Boga",
        field_of_work="jasa/jasa-boga",
        description=(
            "Dapur produksi yang memasak untuk pesanan katering kantor dan acara. Menu disusun "
            "bersama ahli gizi dan bahan dibeli segar setiap hari."
        ),
        skills=(
            "Mengolah masakan Nusantara",
            "Menyusun menu dan porsi",
            "Higiene dan sanitasi pangan",
            "Pengemasan dan pengantaran katering",
        ),
        products=(
            ProductSpec(
                upc="KRY-YGY-0008",
                title="Katering Nasi Kotak (per kotak)",
                product_class="jasa",
                category="jasa/jasa-boga",
                price=30000,
                stock=None,
                description=(
                    "Nasi kotak berisi lauk ayam, sayur, sambal dan buah untuk rapat atau "
                    "acara. Pesan paling lambat dua hari sebelumnya; diantar di wilayah Kota "
                    "Yogyakarta."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0009",
                title="Snack Box Rapat (per kotak)",
                product_class="jasa",
                category="jasa/jasa-boga",
                price=15000,
                stock=None,
                description=(
                    "Kotak kudapan berisi dua kue tradisional, satu kue basah dan air mineral. "
                    "Disiapkan pagi hari oleh Dapur Jasa Boga untuk pesanan minimal 20 kotak."
                ),
            ),
            ProductSpec(
                upc="KRY-YGY-0010",
                title="Sambal Bawang 150 g",
                product_class="pangan",
                category=FOOD,
                price=28000,
                stock=60,
                description=(
                    "Sambal bawang pedas gurih dalam botol kaca, dimasak sampai matang agar "
                    "tahan lama. Resep yang sama dipakai untuk nasi kotak Dapur Jasa Boga."
                ),
            ),
        ),
    ),
    # --- Lapas Kelas I Cipinang
    WorkshopSpec(
        lapas="CPN",
        name="Bengkel Mebel",
        field_of_work="industri/mebel",
        description=(
            "Bengkel kayu dengan mesin potong, serut dan bor duduk serta ruang finishing. "
            "Bengkel ini membuat mebel rumah dan kantor dari kayu jati dan mahoni yang "
            "dikeringkan terlebih dahulu."
        ),
        skills=(
            "Membaca gambar kerja",
            "Pengoperasian mesin kayu dengan aman",
            "Sambungan kayu (purus dan lubang)",
            "Perakitan mebel",
            "Finishing dan pernis",
        ),
        products=(
            ProductSpec(
                upc="KRY-CPN-0001",
                title="Kursi Makan Kayu Jati",
                product_class="barang",
                category="industri/mebel",
                price=850000,
                stock=10,
                description=(
                    "Kursi makan dari kayu jati dengan sandaran berlengkung dan sambungan purus. "
                    "Dihaluskan dan dipernis tipis sehingga serat kayunya tetap terlihat."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0002",
                title="Meja Kantor Mahoni 120 cm",
                product_class="barang",
                category="industri/mebel",
                price=2350000,
                stock=6,
                description=(
                    "Meja kantor 120 x 60 cm dari kayu mahoni dengan tiga laci di sisi kanan. "
                    "Dibuat di Bengkel Mebel Lapas Cipinang, yang juga melayani pesanan "
                    "instansi."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0003",
                title="Lemari Pakaian 2 Pintu",
                product_class="barang",
                category="industri/mebel",
                price=3750000,
                stock=5,
                description=(
                    "Lemari pakaian dua pintu dari kayu jati dengan rak lipat dan gantungan "
                    "baju. Dikirim dalam keadaan terurai dan mudah dirakit kembali."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0004",
                title="Rak Buku 5 Susun",
                product_class="barang",
                category="industri/mebel",
                price=1150000,
                stock=8,
                description=(
                    "Rak buku lima susun setinggi 180 cm dengan papan tebal yang tidak melengkung. "
                    "Cocok untuk perpustakaan rumah, sekolah maupun kantor."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0005",
                title="Set Meja Makan Jati 6 Kursi",
                product_class="barang",
                category="industri/mebel",
                price=4500000,
                stock=5,
                description=(
                    "Satu meja makan 160 x 90 cm dan enam kursi dari kayu jati. Permukaan meja "
                    "dilapisi pernis tahan panas dan air."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0006",
                title="Bangku Taman Kayu",
                product_class="barang",
                category="industri/mebel",
                price=950000,
                stock=7,
                description=(
                    "Bangku taman untuk tiga orang dari kayu jati yang dilapisi pelindung cuaca. "
                    "Kuat untuk teras, taman kantor atau ruang tunggu."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0010",
                title="Meja Belajar Anak",
                product_class="barang",
                category="industri/mebel",
                price=780000,
                stock=8,
                description=(
                    "Meja belajar 90 cm dengan rak buku kecil dan sudut yang dibulatkan. "
                    "Dicat dengan cat kayu berbahan dasar air."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="CPN",
        name="Laundry",
        field_of_work="jasa/laundry",
        description=(
            "Laundry dengan mesin cuci dan pengering berkapasitas besar serta meja setrika uap. "
            "Setiap cucian diberi nomor dan ditimbang saat diterima dan saat diserahkan."
        ),
        skills=(
            "Memilah cucian menurut bahan dan warna",
            "Pengoperasian mesin cuci dan pengering industri",
            "Menyetrika dan melipat",
            "Pencatatan dan pelayanan pelanggan",
        ),
        products=(
            ProductSpec(
                upc="KRY-CPN-0007",
                title="Laundry Kiloan (per kg)",
                product_class="jasa",
                category="jasa/laundry",
                price=8000,
                stock=None,
                description=(
                    "Cuci, kering, setrika dan lipat untuk pakaian sehari-hari, dihitung per "
                    "kilogram. Selesai dalam dua hari kerja; antar dan ambil di loket laundry "
                    "Lapas Cipinang."
                ),
            ),
            ProductSpec(
                upc="KRY-CPN-0008",
                title="Cuci Bed Cover dan Selimut (per buah)",
                product_class="jasa",
                category="jasa/laundry",
                price=35000,
                stock=None,
                description=(
                    "Pencucian bed cover, selimut tebal atau sprei set dengan mesin berkapasitas "
                    "besar. Dikeringkan sempurna dan dikemas dalam plastik bersih."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="CPN",
        name="Bengkel Perawatan Mebel",
        field_of_work="jasa/perawatan-dan-perbaikan",
        description=(
            "Bagian dari bengkel kayu yang merawat dan memperbaiki mebel milik warga dan "
            "instansi: sambungan longgar, permukaan kusam dan pernis yang mengelupas."
        ),
        skills=(
            "Menilai kerusakan mebel",
            "Memperbaiki sambungan kayu",
            "Mengamplas dan melapis ulang pernis",
        ),
        products=(
            ProductSpec(
                upc="KRY-CPN-0009",
                title="Jasa Pelapisan Ulang Kursi Kayu (per kursi)",
                product_class="jasa",
                category="jasa/perawatan-dan-perbaikan",
                price=250000,
                stock=None,
                description=(
                    "Kursi kayu lama diamplas, sambungannya dikencangkan dan dilapis pernis "
                    "baru. Kursi diantar ke bengkel dan siap diambil dalam sekitar satu minggu."
                ),
            ),
        ),
    ),
    # --- Lapas Perempuan Kelas IIA Malang
    WorkshopSpec(
        lapas="MLG",
        name="Dapur Kue dan Camilan",
        field_of_work=FOOD,
        description=(
            "Dapur produksi kue kering dan keripik dengan oven, penggorengan dan mesin "
            "pengemas. Bahan baku seperti tempe dan singkong dibeli dari petani sekitar Malang."
        ),
        skills=(
            "Membuat adonan kue kering",
            "Mengiris dan menggoreng keripik",
            "Higiene dan sanitasi pangan",
            "Pengemasan kedap udara dan pelabelan",
        ),
        products=(
            ProductSpec(
                upc="KRY-MLG-0001",
                title="Kue Kering Nastar 500 g",
                product_class="pangan",
                category=FOOD,
                price=85000,
                stock=40,
                description=(
                    "Nastar lembut berisi selai nanas yang dimasak sendiri, dalam toples "
                    "bertutup rapat. Dibuat di Dapur Kue dan Camilan menjelang hari raya "
                    "maupun sepanjang tahun."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0002",
                title="Kue Kering Kastengel 500 g",
                product_class="pangan",
                category=FOOD,
                price=90000,
                stock=35,
                description=(
                    "Kastengel renyah dengan keju parut di dalam adonan dan di atasnya. Dikemas "
                    "dalam toples agar tetap renyah."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0003",
                title="Keripik Tempe 250 g",
                product_class="pangan",
                category=FOOD,
                price=25000,
                stock=80,
                description=(
                    "Keripik tempe tipis khas Malang dengan bumbu bawang dan daun jeruk. Diiris "
                    "dan digoreng di Dapur Kue dan Camilan, lalu dikemas dalam kantong kedap "
                    "udara."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0004",
                title="Keripik Singkong Balado 250 g",
                product_class="pangan",
                category=FOOD,
                price=20000,
                stock=90,
                description=(
                    "Keripik singkong renyah berbalut bumbu balado yang pedas manis. Singkong "
                    "dibeli dari petani sekitar dan diolah pada hari yang sama."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="MLG",
        name="Bengkel Anyaman",
        field_of_work="industri/anyaman",
        description=(
            "Bengkel anyaman pandan dan bambu. Daun pandan dijemur, diwarnai dan dianyam "
            "menjadi tas dan perlengkapan rumah dengan teknik anyaman tradisional."
        ),
        skills=(
            "Mengolah dan mewarnai daun pandan",
            "Membelah dan menipiskan bambu",
            "Teknik anyaman tunggal dan silang",
            "Menjahit lapisan dan pegangan tas",
        ),
        products=(
            ProductSpec(
                upc="KRY-MLG-0005",
                title="Tas Anyaman Pandan",
                product_class="barang",
                category="industri/anyaman",
                price=120000,
                stock=25,
                description=(
                    "Tas jinjing dari anyaman pandan dengan lapisan kain dan pegangan kulit "
                    "sintetis. Ringan, lapang dan cocok untuk ke pasar atau ke pantai."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0006",
                title="Keranjang Bambu Serbaguna",
                product_class="barang",
                category="industri/anyaman",
                price=75000,
                stock=30,
                description=(
                    "Keranjang bambu berbentuk bulat untuk buah, roti atau pakaian kotor. "
                    "Bilah bambu diawetkan agar tidak mudah berjamur."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0007",
                title="Tatakan Gelas Anyaman (isi 6)",
                product_class="barang",
                category="industri/anyaman",
                price=35000,
                stock=60,
                description=(
                    "Enam tatakan gelas anyaman pandan dengan warna alami dan cokelat. Hadiah "
                    "kecil yang berguna dari Bengkel Anyaman."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="MLG",
        name="Bengkel Keramik",
        field_of_work="industri/keramik",
        description=(
            "Bengkel keramik dengan meja putar, tungku pembakaran dan ruang glasir, meneruskan "
            "tradisi keramik kota Malang. Setiap barang dibakar dua kali."
        ),
        skills=(
            "Mengolah tanah liat",
            "Membentuk dengan meja putar",
            "Mengglasir",
            "Pembakaran dengan tungku",
        ),
        products=(
            ProductSpec(
                upc="KRY-MLG-0008",
                title="Vas Keramik Glasir Biru 25 cm",
                product_class="barang",
                category="industri/keramik",
                price=145000,
                stock=15,
                description=(
                    "Vas keramik setinggi 25 cm dengan glasir biru yang mengalir alami, sehingga "
                    "setiap vas sedikit berbeda. Bagian dalam diglasir dan kedap air."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0009",
                title="Set Cangkir Keramik (isi 4)",
                product_class="barang",
                category="industri/keramik",
                price=160000,
                stock=20,
                description=(
                    "Empat cangkir keramik berwarna krem dengan pegangan yang nyaman. Aman untuk "
                    "minuman panas dan mesin pencuci piring."
                ),
            ),
            ProductSpec(
                upc="KRY-MLG-0010",
                title="Celengan Gerabah",
                product_class="barang",
                category="industri/keramik",
                price=45000,
                stock=40,
                description=(
                    "Celengan gerabah berbentuk buah dengan cat warna-warni. Dibentuk dan "
                    "dibakar di Bengkel Keramik; cocok sebagai hadiah untuk anak."
                ),
            ),
        ),
    ),
    # --- Lapas Terbuka Kelas IIB Nusakambangan
    WorkshopSpec(
        lapas="NKT",
        name="Kebun Sayur dan Sawah",
        field_of_work="pertanian-dan-perikanan/hortikultura",
        description=(
            "Kebun sayur, bedeng cabai dan petak sawah di lahan Lapas terbuka. Pupuk kandang "
            "berasal dari kandang ayam Lapas sendiri."
        ),
        skills=(
            "Persemaian dan penanaman",
            "Pemupukan dan pengairan",
            "Pengendalian hama",
            "Panen dan sortasi hasil",
        ),
        products=(
            ProductSpec(
                upc="KRY-NKT-0001",
                title="Paket Sayur Segar (± 3 kg)",
                product_class="pangan",
                category="pertanian-dan-perikanan/hortikultura",
                price=45000,
                stock=30,
                description=(
                    "Paket sayur musiman seperti bayam, kangkung, sawi dan tomat, dipetik pagi "
                    "hari sebelum dikirim. Isi paket mengikuti hasil panen minggu itu."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0002",
                title="Cabai Rawit Merah 250 g",
                product_class="pangan",
                category="pertanian-dan-perikanan/hortikultura",
                price=15000,
                stock=50,
                description=(
                    "Cabai rawit merah segar dari bedeng cabai Lapas Nusakambangan. Dipanen saat "
                    "merah penuh dan disortir sebelum dikemas."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0003",
                title="Beras Merah 2 kg",
                product_class="pangan",
                category="pertanian-dan-perikanan/tanaman-pangan",
                price=42000,
                stock=60,
                description=(
                    "Beras merah pecah kulit dari petak sawah Lapas, digiling secukupnya agar "
                    "seratnya tetap terjaga. Dikemas dalam kantong vakum dua kilogram."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0004",
                title="Jagung Manis (5 tongkol)",
                product_class="pangan",
                category="pertanian-dan-perikanan/tanaman-pangan",
                price=20000,
                stock=40,
                description=(
                    "Lima tongkol jagung manis yang dipanen muda, enak direbus atau dibakar. "
                    "Dikirim bersama kelobotnya agar tetap segar."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="NKT",
        name="Kolam Ikan dan Kandang Ayam",
        field_of_work="pertanian-dan-perikanan/perikanan",
        description=(
            "Kolam terpal untuk lele dan nila serta kandang ayam kampung. Air kolam dialirkan "
            "untuk menyiram kebun sayur, sehingga tidak ada yang terbuang."
        ),
        skills=(
            "Pembenihan dan pembesaran ikan",
            "Pengelolaan kualitas air kolam",
            "Pemeliharaan ayam kampung",
            "Panen dan penanganan hasil segar",
        ),
        products=(
            ProductSpec(
                upc="KRY-NKT-0005",
                title="Ikan Lele Segar 1 kg",
                product_class="pangan",
                category="pertanian-dan-perikanan/perikanan",
                price=32000,
                stock=50,
                description=(
                    "Lele segar ukuran konsumsi, sekitar 7 sampai 8 ekor per kilogram. Dipanen "
                    "pada hari pengiriman dan dikemas dengan es."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0006",
                title="Ikan Nila Segar 1 kg",
                product_class="pangan",
                category="pertanian-dan-perikanan/perikanan",
                price=38000,
                stock=40,
                description=(
                    "Nila segar dari kolam Lapas, sekitar 4 ekor per kilogram, sudah dibersihkan "
                    "sisiknya. Dikemas dengan es agar tetap segar."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0007",
                title="Telur Ayam Kampung (isi 10)",
                product_class="pangan",
                category="pertanian-dan-perikanan/peternakan",
                price=30000,
                stock=80,
                description=(
                    "Sepuluh butir telur ayam kampung dari kandang Lapas Nusakambangan. Telur "
                    "diperiksa dan dibersihkan satu per satu sebelum dikemas."
                ),
            ),
        ),
    ),
    WorkshopSpec(
        lapas="NKT",
        name="Kebun Kopi",
        field_of_work="pertanian-dan-perikanan/perkebunan",
        description=(
            "Kebun kopi robusta di lereng pulau dengan rumah jemur dan mesin sangrai kecil. "
            "Di sela pohon kopi dipelihara koloni lebah yang membantu penyerbukan."
        ),
        skills=(
            "Perawatan dan pemangkasan tanaman kopi",
            "Petik merah dan pengolahan pascapanen",
            "Penyangraian dan penggilingan kopi",
            "Budi daya lebah madu",
        ),
        products=(
            ProductSpec(
                upc="KRY-NKT-0008",
                title="Kopi Bubuk Robusta 250 g",
                product_class="pangan",
                category="pertanian-dan-perikanan/perkebunan",
                price=45000,
                stock=70,
                description=(
                    "Kopi robusta petik merah, disangrai sedang lalu digiling halus. Rasanya "
                    "tebal dengan sedikit cokelat; cocok untuk kopi tubruk."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0009",
                title="Biji Kopi Sangrai Robusta 500 g",
                product_class="pangan",
                category="pertanian-dan-perikanan/perkebunan",
                price=85000,
                stock=40,
                description=(
                    "Biji kopi robusta utuh yang disangrai di Kebun Kopi Lapas Nusakambangan. "
                    "Kantong berkatup satu arah menjaga aromanya sampai digiling."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0010",
                title="Madu Lebah Kebun Kopi 350 g",
                product_class="pangan",
                category="pertanian-dan-perikanan/peternakan",
                price=95000,
                stock=30,
                description=(
                    "Madu dari koloni lebah yang hidup di sela pohon kopi, dengan rasa manis "
                    "dan sedikit pahit. Disaring tanpa pemanasan dan dikemas dalam botol kaca."
                ),
            ),
            ProductSpec(
                upc="KRY-NKT-0011",
                title="Gula Aren Cetak 500 g",
                product_class="pangan",
                category="pertanian-dan-perikanan/perkebunan",
                price=30000,
                stock=50,
                description=(
                    "Gula aren cetak dari nira pohon aren di tepi kebun kopi, dimasak di "
                    "tungku kayu. Teman yang pas untuk kopi dan kolak."
                ),
            ),
        ),
    ),
]

HOME_PAGE = {
    "hero_title": "Karya tangan dari bengkel kerja Lapas",
    "hero_text": (
        "Roti, batik, mebel, kopi dan hasil kebun yang dibuat di bengkel kerja lembaga "
        "pemasyarakatan di Indonesia. Setiap rupiah hasil penjualan masuk ke kas negara."
    ),
    "hero_cta_text": "Belanja sekarang",
    "intro": (
        "<p><b>Karya</b> adalah toko daring untuk barang dan jasa dari program "
        "<i>pembinaan kemandirian</i> di Lapas dan Rutan. Di bengkel kerja, keterampilan "
        "seperti memanggang roti, membatik, menjahit, membuat mebel, bertani dan beternak "
        "dilatih dan dipraktikkan; setiap hasil produksi diperiksa mutunya sebelum "
        "dijual.</p>"
        "<p>Seluruh hasil penjualan disetor ke kas negara sebagai Penerimaan Negara Bukan "
        "Pajak (PNBP) oleh bendahara penerimaan setiap Lapas. Isi toko ini adalah data "
        "demo.</p>"
    ),
    "featured_title": "Pilihan dari bengkel kerja",
    "search_description": (
        "Karya: barang dan jasa dari bengkel kerja Lapas di Indonesia. Hasil penjualan "
        "disetor sebagai PNBP."
    ),
}
FEATURED_UPCS = [
    "KRY-YGY-0001",
    "KRY-TNG-0001",
    "KRY-CPN-0002",
    "KRY-MLG-0005",
    "KRY-NKT-0008",
    "KRY-MLG-0008",
    "KRY-YGY-0005",
    "KRY-NKT-0010",
]


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
    parcel_demo_load()  # Issue 23: pembeli's order on its way (JNE waybill); after the ledger.
    pos_demo_load()  # Point of sale (issue 7): gallery, exhibition, transfers, a closed session.
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
    by_path = {}
    for root_slug, root_name, root_description, children in CATEGORY_TREE:
        root = Category.objects.filter(depth=1, slug=root_slug).first()
        if root is None:
            root = Category.add_root(
                name=root_name, slug=root_slug, description=root_description, is_public=True
            )
        else:
            _update(root, name=root_name, description=root_description, is_public=True)
        by_path[root_slug] = root
        for slug, name, description in children:
            child = root.get_children().filter(slug=slug).first()
            if child is None:
                # Re-read the parent: treebeard keeps numchild on the row it was given.
                root.refresh_from_db()
                child = root.add_child(
                    name=name, slug=slug, description=description, is_public=True
                )
            else:
                _update(child, name=name, description=description, is_public=True)
            by_path[f"{root_slug}/{slug}"] = child
    return by_path


def _product_classes_sync() -> dict[str, object]:
    classes = {}
    for slug, name, requires_shipping, track_stock in PRODUCT_CLASSES:
        classes[slug], _ = ProductClass.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "requires_shipping": requires_shipping,
                "track_stock": track_stock,
            },
        )
    return classes


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
# soga brown, furniture wood tones, fishery and services water blues.
PALETTES = {
    "tanaman-pangan": ("#6f5a17", "#b8922a", "#e8d48b"),
    "hortikultura": ("#285c33", "#5a9e55", "#b3d89a"),
    "perkebunan": ("#43291a", "#7b4b2a", "#c28e5c"),
    "peternakan": ("#8a4d16", "#cf8a2e", "#f4cd7a"),
    "perikanan": ("#174560", "#2f7fa3", "#8ccbe0"),
    "laundry": ("#234f78", "#5b8fc7", "#c2dbf2"),
    "jasa-boga": ("#7c3410", "#c4622d", "#f2b276"),
    "perawatan-dan-perbaikan": ("#35414d", "#6b7d8f", "#b7c4d1"),
    "cuci-kendaraan": ("#124c6b", "#2a8ab8", "#a6d8ee"),
    "makanan-dan-minuman": ("#843d15", "#d0782f", "#f5c985"),
    "konveksi-dan-batik": ("#2c2350", "#6b4b94", "#d9b466"),
    "mebel": ("#4e321d", "#8b5e3c", "#cfa273"),
    "kerajinan": ("#5e2828", "#a44a3f", "#e4ae72"),
    "anyaman": ("#5c4b22", "#a88c4a", "#e1cb94"),
    "keramik": ("#19434d", "#3f8c8c", "#ead9bb"),
}
MOTIFS = {
    "tanaman-pangan": "dots",
    "hortikultura": "leaves",
    "perkebunan": "dots",
    "peternakan": "rings",
    "perikanan": "waves",
    "laundry": "rings",
    "jasa-boga": "dots",
    "perawatan-dan-perbaikan": "triangles",
    "cuci-kendaraan": "waves",
    "makanan-dan-minuman": "dots",
    "konveksi-dan-batik": "kawung",
    "mebel": "planks",
    "kerajinan": "triangles",
    "anyaman": "weave",
    "keramik": "rings",
}
DEFAULT_PALETTE = ("#3a3a3a", "#7a7a7a", "#c8c8c8")
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
