"""Demo data of the catalogue: buyer segments, packaging and label facts, channel prices,
institutional tiers and cost bases for the demo products of shop.apps.core.demo.

Called by shop.apps.core.demo.demo_data_load after the products exist. Looked up by UPC
and updated in place, so loading twice changes nothing (and records no new price
changes). Prices go through catalog.services.product_pricing_set like any staff edit,
so the demo shows a price history, including one confirmed below-cost gallery price.

Licence and certificate numbers are made up in the right formats; they belong to no
real business. Fresh produce carries a P-IRT number here for the demo; in practice
fresh food is registered differently (PSAT), a licence type the gate does not know yet.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from shop.apps.core import reference

from . import compliance, selectors, services
from .choices import LicenceType

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")

FOOD_CLASS_SLUG = "pangan"
PRICE_EDITOR = "admin"  # the demo's central admin "made" the demo price changes

HOUSEHOLDS = "rumah-tangga"
OFFICES = "kantor-dan-instansi"
SOUVENIRS = "oleh-oleh-dan-wisatawan"
COLLECTORS = "kolektor-dan-hadiah"

# Buyer segments are reference data (data/reference/segments.yaml); the demo draws each a
# tile in its colour.
SEGMENT_COLOURS = {
    HOUSEHOLDS: "#8a5a2b",
    OFFICES: "#1f3a5f",
    SOUVENIRS: "#a44a3f",
    COLLECTORS: "#3f8c8c",
}


@dataclass(frozen=True)
class Facts:
    segments: tuple[str, ...]
    net: tuple[str, str] | None = None  # (quantity, unit)
    packaging: tuple[str, str, bool] = ("", "", False)  # (type, material, recyclable)
    gross_weight_grams: int | None = None
    dimensions_cm: tuple[str, str, str] | None = None
    units_per_pack: int = 1
    ingredients: str = ""
    label_name: str = ""
    allergens: str = ""
    storage: str = ""
    shelf_life_days: int | None = None
    licence: tuple[str, str] | None = None  # (type, number)
    halal: tuple[str, date] | None = None  # (certificate number, expiry)
    sni_number: str = ""
    cost: tuple[int, int] | None = None  # (materials, labour) per unit
    gallery: int | None = None
    exhibition: int | None = None
    tiers: dict[int, int] = field(default_factory=dict)
    confirm_below_cost: bool = False


P = LicenceType.PIRT
B = LicenceType.BPOM
KEEP_DRY = "Simpan di tempat sejuk dan kering, terhindar dari sinar matahari langsung."
KEEP_COLD = "Simpan di lemari es (0–5 °C)."
HALAL_2029 = date(2029, 6, 30)
HALAL_2030 = date(2030, 3, 31)

FACTS = {
    # --- Lapas Tangerang: bakery
    "KRY-TNG-0001": Facts(
        segments=(HOUSEHOLDS,),
        net=("500", "g"),
        packaging=("bag", "Plastik PP food grade", True),
        gross_weight_grams=560,
        dimensions_cm=("26", "13", "12"),
        label_name="Roti Tawar Gandum",
        ingredients=(
            "Tepung terigu, tepung gandum utuh (20%), air, gula, ragi, mentega, susu bubuk, "
            "garam, pengemulsi lesitin kedelai."
        ),
        allergens="Gandum (gluten), susu, kedelai",
        storage=KEEP_DRY,
        shelf_life_days=4,
        licence=(P, "2063671010001-29"),
        halal=("ID36110000123450324", HALAL_2029),
        cost=(9000, 4500),
        gallery=20000,
    ),
    "KRY-TNG-0002": Facts(
        segments=(HOUSEHOLDS, OFFICES),
        net=("360", "g"),
        units_per_pack=6,
        packaging=("box", "Kotak kertas food grade", True),
        gross_weight_grams=430,
        label_name="Roti Manis Isi Cokelat",
        ingredients=(
            "Tepung terigu, selai cokelat (20%), gula, telur, mentega, susu bubuk, ragi, garam."
        ),
        allergens="Gandum (gluten), telur, susu",
        storage=KEEP_DRY,
        shelf_life_days=4,
        licence=(P, "2063671010002-29"),
        halal=("ID36110000123450324", HALAL_2029),
        cost=(10500, 5000),
        tiers={20: 23000, 50: 21500},
    ),
    "KRY-TNG-0003": Facts(
        segments=(HOUSEHOLDS, SOUVENIRS),
        net=("400", "g"),
        packaging=("box", "Kotak kertas food grade dengan jendela plastik", False),
        gross_weight_grams=480,
        label_name="Bolu Gulung Pandan",
        ingredients=(
            "Telur, gula, tepung terigu, krim mentega (mentega, gula halus), santan, "
            "ekstrak daun pandan, pewarna alami."
        ),
        allergens="Telur, gandum (gluten), susu",
        storage="Simpan di lemari es setelah dibuka.",
        shelf_life_days=5,
        licence=(P, "2063671010003-29"),
        halal=("ID36110000123450324", HALAL_2029),
        cost=(15000, 6000),
    ),
    # Blocked by the gate: the P-IRT licence has been applied for but is not yet issued.
    "KRY-TNG-0004": Facts(
        segments=(HOUSEHOLDS,),
        net=("450", "g"),
        packaging=("bag", "Plastik PP food grade", True),
        gross_weight_grams=500,
        label_name="Roti Sobek Keju",
        ingredients="Tepung terigu, keju cheddar (12%), gula, telur, mentega, susu, ragi, garam.",
        allergens="Gandum (gluten), susu, telur",
        storage=KEEP_DRY,
        shelf_life_days=4,
        cost=(12000, 5000),
    ),
    # --- Lapas Tangerang: convection
    "KRY-TNG-0005": Facts(
        segments=(OFFICES,),
        net=("1", "pcs"),
        packaging=("bag", "Plastik PE", True),
        gross_weight_grams=380,
        ingredients="Kain katun drill 100%, kancing plastik, benang poliester.",
        storage="Cuci dengan air dingin; setrika suhu sedang.",
        cost=(62000, 38000),
        tiers={12: 135000, 48: 125000},
    ),
    "KRY-TNG-0006": Facts(
        segments=(OFFICES, HOUSEHOLDS),
        net=("1", "pcs"),
        packaging=("bag", "Plastik PE", True),
        gross_weight_grams=220,
        ingredients="Katun combed 30s 100%.",
        cost=(28000, 14000),
        tiers={24: 59000, 100: 55000},
    ),
    "KRY-TNG-0007": Facts(
        segments=(HOUSEHOLDS, SOUVENIRS),
        net=("1", "pcs"),
        packaging=("none", "", False),
        gross_weight_grams=260,
        dimensions_cm=("40", "10", "38"),
        ingredients="Kanvas katun 12 oz, benang poliester.",
        cost=(19000, 11000),
    ),
    "KRY-TNG-0009": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "pcs"),
        packaging=("bag", "Plastik PE", True),
        gross_weight_grams=240,
        ingredients="Kanvas katun 10 oz, tali katun.",
        cost=(22000, 13000),
    ),
    # --- Lapas Tangerang: car wash (a service: no label rules)
    "KRY-TNG-0008": Facts(segments=(HOUSEHOLDS, OFFICES), cost=(15000, 20000)),
    # --- Lapas Yogyakarta: batik
    "KRY-YGY-0001": Facts(
        segments=(COLLECTORS,),
        net=("1", "pcs"),
        packaging=("box", "Kotak karton dengan kertas tisu", True),
        gross_weight_grams=520,
        dimensions_cm=("35", "25", "5"),
        ingredients="Kain katun primisima 200 × 115 cm, malam, pewarna naptol dan soga alam.",
        storage="Cuci tangan dengan lerak atau sampo; jangan dijemur di terik matahari.",
        cost=(210000, 260000),
        exhibition=700000,
    ),
    "KRY-YGY-0002": Facts(
        segments=(SOUVENIRS, COLLECTORS),
        net=("1", "pcs"),
        packaging=("bag", "Plastik PP", True),
        gross_weight_grams=420,
        ingredients="Kain katun prima 200 × 115 cm, pewarna naptol.",
        cost=(95000, 60000),
        gallery=210000,
    ),
    "KRY-YGY-0003": Facts(
        segments=(OFFICES, COLLECTORS),
        net=("1", "pcs"),
        packaging=("box", "Kotak karton", True),
        gross_weight_grams=450,
        ingredients="Batik cap katun prima, furing katun tipis, kancing.",
        cost=(90000, 45000),
        tiers={10: 170000, 30: 162000},
    ),
    "KRY-YGY-0004": Facts(
        segments=(SOUVENIRS,),
        net=("1", "pcs"),
        packaging=("bag", "Plastik PP", True),
        gross_weight_grams=180,
        ingredients="Katun rayon, pewarna naptol.",
        cost=(60000, 45000),
        gallery=140000,
    ),
    # --- Lapas Yogyakarta: woodcraft
    "KRY-YGY-0005": Facts(
        segments=(COLLECTORS, SOUVENIRS),
        net=("1", "pcs"),
        packaging=("box", "Kardus bergelombang dengan bubble wrap", True),
        gross_weight_grams=1900,
        dimensions_cm=("48", "16", "44"),
        ingredients="Kayu jati belanda, kain blacu, benang katun, pernis.",
        cost=(120000, 150000),
        exhibition=395000,
    ),
    "KRY-YGY-0006": Facts(
        segments=(COLLECTORS, HOUSEHOLDS),
        net=("1", "pcs"),
        packaging=("wrap", "Bubble wrap dan kertas kraft", True),
        gross_weight_grams=2100,
        dimensions_cm=("60", "4", "30"),
        ingredients="Kayu jati, pernis.",
        cost=(70000, 90000),
    ),
    "KRY-YGY-0007": Facts(
        segments=(OFFICES, HOUSEHOLDS),
        net=("1", "pcs"),
        packaging=("box", "Kardus", True),
        gross_weight_grams=650,
        dimensions_cm=("26", "14", "11"),
        ingredients="Kayu jati belanda, pernis.",
        cost=(22000, 20000),
        tiers={10: 58000, 25: 54000},
    ),
    # --- Lapas Yogyakarta: catering (services) and sambal
    "KRY-YGY-0008": Facts(segments=(OFFICES,), cost=(17000, 6000), tiers={50: 27500, 100: 26000}),
    "KRY-YGY-0009": Facts(segments=(OFFICES,), cost=(8000, 3000), tiers={50: 13500}),
    "KRY-YGY-0010": Facts(
        segments=(HOUSEHOLDS, SOUVENIRS),
        net=("150", "g"),
        packaging=("jar", "Botol kaca dengan tutup logam", True),
        gross_weight_grams=330,
        label_name="Sambal Bawang Dapur Jasa Boga",
        ingredients="Cabai rawit, bawang putih (25%), minyak sawit, bawang merah, garam, gula.",
        storage="Setelah dibuka simpan di lemari es dan habiskan dalam 2 minggu.",
        shelf_life_days=180,
        licence=(P, "2023471020010-28"),
        halal=("ID34110000987650223", date(2027, 2, 28)),
        cost=(12000, 5000),
        gallery=26000,
    ),
    # --- Lapas Cipinang: furniture
    "KRY-CPN-0001": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "pcs"),
        packaging=("wrap", "Plastik stretch dan pelindung sudut karton", True),
        gross_weight_grams=7600,
        dimensions_cm=("46", "52", "96"),
        ingredients="Kayu jati, lem kayu, pernis melamin.",
        cost=(420000, 230000),
    ),
    "KRY-CPN-0002": Facts(
        segments=(OFFICES,),
        net=("1", "pcs"),
        packaging=("crate", "Peti kayu dan plastik stretch", False),
        gross_weight_grams=41000,
        dimensions_cm=("126", "66", "82"),
        ingredients="Kayu mahoni, rel laci besi, pernis melamin.",
        cost=(1250000, 480000),
        tiers={3: 2250000, 5: 2150000},
    ),
    "KRY-CPN-0003": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "pcs"),
        packaging=("crate", "Peti kayu, dikirim terurai", False),
        gross_weight_grams=68000,
        dimensions_cm=("185", "60", "25"),
        ingredients="Kayu jati, engsel dan kunci kuningan, pernis melamin.",
        cost=(2100000, 800000),
    ),
    "KRY-CPN-0004": Facts(
        segments=(OFFICES, HOUSEHOLDS),
        net=("1", "pcs"),
        packaging=("wrap", "Plastik stretch dan karton sudut", True),
        gross_weight_grams=24000,
        dimensions_cm=("84", "34", "184"),
        ingredients="Kayu mahoni, pernis melamin.",
        cost=(620000, 260000),
        tiers={4: 1090000, 6: 1050000},
    ),
    "KRY-CPN-0005": Facts(
        segments=(HOUSEHOLDS,),
        net=("7", "pcs"),
        packaging=("crate", "Peti kayu dan plastik stretch", False),
        gross_weight_grams=95000,
        ingredients="Kayu jati, pernis tahan panas dan air.",
        cost=(2600000, 1000000),
        exhibition=4250000,
    ),
    "KRY-CPN-0006": Facts(
        segments=(OFFICES, HOUSEHOLDS),
        net=("1", "pcs"),
        packaging=("wrap", "Plastik stretch", True),
        gross_weight_grams=22000,
        dimensions_cm=("150", "55", "80"),
        ingredients="Kayu jati, baut galvanis, pelapis cuaca.",
        cost=(480000, 220000),
        tiers={3: 900000},
    ),
    "KRY-CPN-0010": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "pcs"),
        packaging=("wrap", "Plastik stretch dan karton sudut", True),
        gross_weight_grams=16000,
        dimensions_cm=("94", "54", "78"),
        ingredients="Kayu pinus, cat kayu berbahan dasar air.",
        cost=(360000, 200000),
    ),
    # --- Lapas Cipinang: laundry and furniture care (services)
    "KRY-CPN-0007": Facts(segments=(HOUSEHOLDS,), net=("1", "kg"), cost=(2500, 3000)),
    "KRY-CPN-0008": Facts(segments=(HOUSEHOLDS, OFFICES), cost=(9000, 12000)),
    "KRY-CPN-0009": Facts(segments=(OFFICES, HOUSEHOLDS), cost=(90000, 110000)),
    # --- Lapas Malang: biscuits and snacks
    "KRY-MLG-0001": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS),
        net=("500", "g"),
        packaging=("jar", "Toples plastik PET", True),
        gross_weight_grams=690,
        label_name="Kue Kering Nastar",
        ingredients=(
            "Tepung terigu, mentega, selai nanas (nanas, gula), kuning telur, gula halus, "
            "susu bubuk."
        ),
        allergens="Gandum (gluten), susu, telur",
        storage=KEEP_DRY,
        shelf_life_days=90,
        licence=(P, "2093573010004-28"),
        halal=("ID35110000456780521", HALAL_2030),
        cost=(42000, 18000),
        gallery=80000,
    ),
    "KRY-MLG-0002": Facts(
        segments=(SOUVENIRS,),
        net=("500", "g"),
        packaging=("jar", "Toples plastik PET", True),
        gross_weight_grams=690,
        label_name="Kue Kering Kastengel",
        ingredients="Tepung terigu, mentega, keju edam (25%), keju cheddar, kuning telur.",
        allergens="Gandum (gluten), susu, telur",
        storage=KEEP_DRY,
        shelf_life_days=90,
        licence=(P, "2093573010005-28"),
        halal=("ID35110000456780521", HALAL_2030),
        cost=(47000, 18000),
    ),
    "KRY-MLG-0003": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS),
        net=("250", "g"),
        packaging=("pouch", "Standing pouch aluminium foil", False),
        gross_weight_grams=280,
        label_name="Keripik Tempe Malang",
        ingredients="Tempe kedelai, tepung beras, minyak sawit, bawang putih, daun jeruk, garam.",
        allergens="Kedelai",
        storage=KEEP_DRY,
        shelf_life_days=120,
        licence=(P, "2073573010006-28"),
        halal=("ID35110000456780521", HALAL_2030),
        cost=(11000, 5000),
        gallery=23000,
    ),
    "KRY-MLG-0004": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS),
        net=("250", "g"),
        packaging=("pouch", "Standing pouch aluminium foil", False),
        gross_weight_grams=280,
        label_name="Keripik Singkong Balado",
        ingredients="Singkong, minyak sawit, cabai merah, bawang merah, gula, garam.",
        storage=KEEP_DRY,
        shelf_life_days=120,
        licence=(P, "2073573010007-28"),
        halal=("ID35110000456780521", HALAL_2030),
        cost=(8500, 4500),
    ),
    # --- Lapas Malang: weaving and ceramics
    "KRY-MLG-0005": Facts(
        segments=(SOUVENIRS, COLLECTORS),
        net=("1", "pcs"),
        packaging=("bag", "Kantong kertas kraft", True),
        gross_weight_grams=450,
        dimensions_cm=("38", "14", "30"),
        ingredients="Anyaman daun pandan, lapisan kain katun, pegangan kulit sintetis.",
        cost=(38000, 42000),
        gallery=110000,
    ),
    "KRY-MLG-0006": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "pcs"),
        packaging=("none", "", False),
        gross_weight_grams=600,
        dimensions_cm=("35", "35", "18"),
        ingredients="Bambu apus yang diawetkan.",
        cost=(22000, 28000),
    ),
    "KRY-MLG-0007": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS),
        net=("6", "pcs"),
        units_per_pack=6,
        packaging=("bag", "Kantong kertas kraft", True),
        gross_weight_grams=160,
        ingredients="Anyaman daun pandan dengan pewarna alami.",
        cost=(9000, 13000),
    ),
    "KRY-MLG-0008": Facts(
        segments=(COLLECTORS,),
        net=("1", "pcs"),
        packaging=("box", "Kardus dengan sekat karton dan bubble wrap", True),
        gross_weight_grams=1400,
        dimensions_cm=("18", "18", "30"),
        ingredients="Tanah liat stoneware, glasir bebas timbal.",
        cost=(40000, 52000),
        exhibition=155000,
    ),
    "KRY-MLG-0009": Facts(
        segments=(HOUSEHOLDS, COLLECTORS),
        net=("4", "pcs"),
        units_per_pack=4,
        packaging=("box", "Kardus dengan sekat karton", True),
        gross_weight_grams=1600,
        ingredients="Tanah liat stoneware, glasir bebas timbal.",
        cost=(48000, 55000),
    ),
    # The gallery clears its last piggy banks below cost; the admin confirmed it.
    "KRY-MLG-0010": Facts(
        segments=(SOUVENIRS, COLLECTORS),
        net=("1", "pcs"),
        packaging=("box", "Kardus kecil", True),
        gross_weight_grams=700,
        ingredients="Gerabah (tanah liat merah), cat akrilik.",
        cost=(18000, 24000),
        gallery=40000,
        confirm_below_cost=True,
    ),
    # --- Lapas Nusakambangan: farm, fishery and coffee
    "KRY-NKT-0001": Facts(
        segments=(HOUSEHOLDS,),
        net=("3", "kg"),
        packaging=("box", "Kardus berlubang", True),
        gross_weight_grams=3300,
        label_name="Paket Sayur Segar",
        ingredients="Sayuran musiman: bayam, kangkung, sawi, tomat, cabai.",
        storage=KEEP_COLD,
        shelf_life_days=3,
        licence=(P, "1013301010001-27"),
        cost=(18000, 12000),
    ),
    "KRY-NKT-0002": Facts(
        segments=(HOUSEHOLDS,),
        net=("250", "g"),
        packaging=("bag", "Plastik PE berlubang", True),
        gross_weight_grams=270,
        ingredients="Cabai rawit merah segar.",
        storage=KEEP_COLD,
        shelf_life_days=7,
        licence=(P, "1013301010002-27"),
        cost=(6000, 4000),
    ),
    "KRY-NKT-0003": Facts(
        segments=(HOUSEHOLDS, OFFICES),
        net=("2", "kg"),
        packaging=("bag", "Kantong vakum nilon", False),
        gross_weight_grams=2050,
        label_name="Beras Merah Nusakambangan",
        ingredients="Beras merah pecah kulit 100%.",
        storage=KEEP_DRY,
        shelf_life_days=365,
        licence=(P, "1013301010003-27"),
        cost=(22000, 9000),
        tiers={20: 39000},
    ),
    "KRY-NKT-0004": Facts(
        segments=(HOUSEHOLDS,),
        net=("5", "pcs"),
        packaging=("bag", "Karung jaring", True),
        gross_weight_grams=2000,
        ingredients="Jagung manis segar dengan kelobot.",
        storage=KEEP_COLD,
        shelf_life_days=5,
        licence=(P, "1013301010004-27"),
        cost=(8000, 6000),
    ),
    "KRY-NKT-0005": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "kg"),
        packaging=("box", "Kotak styrofoam dengan es", False),
        gross_weight_grams=1800,
        ingredients="Ikan lele segar (7–8 ekor per kg).",
        storage="Simpan beku (−18 °C) atau masak pada hari yang sama.",
        shelf_life_days=2,
        licence=(P, "1013301030005-27"),
        cost=(17000, 7000),
    ),
    "KRY-NKT-0006": Facts(
        segments=(HOUSEHOLDS,),
        net=("1", "kg"),
        packaging=("box", "Kotak styrofoam dengan es", False),
        gross_weight_grams=1800,
        ingredients="Ikan nila segar, dibersihkan sisiknya (sekitar 4 ekor per kg).",
        storage="Simpan beku (−18 °C) atau masak pada hari yang sama.",
        shelf_life_days=2,
        licence=(P, "1013301030006-27"),
        cost=(20000, 8000),
    ),
    "KRY-NKT-0007": Facts(
        segments=(HOUSEHOLDS,),
        net=("10", "pcs"),
        units_per_pack=10,
        packaging=("tray", "Tray karton daur ulang", True),
        gross_weight_grams=650,
        ingredients="Telur ayam kampung.",
        allergens="Telur",
        storage="Simpan di lemari es.",
        shelf_life_days=14,
        licence=(P, "1013301040007-27"),
        cost=(16000, 6000),
    ),
    "KRY-NKT-0008": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS, OFFICES),
        net=("250", "g"),
        packaging=("pouch", "Standing pouch kraft berlapis aluminium", False),
        gross_weight_grams=275,
        label_name="Kopi Bubuk Robusta Nusakambangan",
        ingredients="Biji kopi robusta sangrai 100%.",
        storage=KEEP_DRY,
        shelf_life_days=365,
        licence=(P, "2013301020008-28"),
        halal=("ID33110000222330622", HALAL_2029),
        cost=(20000, 9000),
        gallery=42000,
        tiers={12: 41000},
    ),
    "KRY-NKT-0009": Facts(
        segments=(SOUVENIRS, COLLECTORS),
        net=("500", "g"),
        packaging=("pouch", "Kantong berkatup satu arah", False),
        gross_weight_grams=540,
        label_name="Biji Kopi Sangrai Robusta",
        ingredients="Biji kopi robusta sangrai 100%.",
        storage=KEEP_DRY,
        shelf_life_days=270,
        licence=(P, "2013301020009-28"),
        halal=("ID33110000222330622", HALAL_2029),
        cost=(40000, 16000),
        exhibition=90000,
    ),
    "KRY-NKT-0010": Facts(
        segments=(SOUVENIRS, COLLECTORS),
        net=("350", "g"),
        packaging=("bottle", "Botol kaca", True),
        gross_weight_grams=620,
        label_name="Madu Lebah Kebun Kopi",
        ingredients="Madu murni 100%.",
        storage=KEEP_DRY,
        shelf_life_days=730,
        licence=(B, "MD 251213001010"),
        halal=("ID33110000222330622", HALAL_2029),
        cost=(45000, 15000),
    ),
    "KRY-NKT-0011": Facts(
        segments=(SOUVENIRS, HOUSEHOLDS),
        net=("500", "g"),
        packaging=("wrap", "Daun pisang kering dan plastik", False),
        gross_weight_grams=540,
        label_name="Gula Aren Cetak",
        ingredients="Nira aren 100%.",
        storage=KEEP_DRY,
        shelf_life_days=180,
        licence=(P, "2023301050011-28"),
        halal=("ID33110000222330622", HALAL_2029),
        cost=(14000, 8000),
    ),
}
BLOCKED_UPC = "KRY-TNG-0004"


@transaction.atomic
def catalog_demo_load(*, products: dict) -> dict[str, int]:
    """Fill the catalogue facts of the demo ``products`` (UPC → Product)."""
    segments = _segments_sync()
    ProductClass.objects.filter(slug=FOOD_CLASS_SLUG, is_food=False).update(is_food=True)
    editor = get_user_model().objects.filter(username=PRICE_EDITOR).first()
    for upc, product in products.items():
        facts = FACTS.get(upc)
        if facts is None:
            continue
        product.refresh_from_db()
        _facts_sync(product, facts)
        product.segments.set([segments[slug] for slug in facts.segments])
        _prices_sync(product, facts, editor)
        if upc == BLOCKED_UPC:
            services.product_unpublish(product=product)
        elif not compliance.is_publishable(product):
            # A mistake in the demo data above: show it rather than publish it.
            services.product_unpublish(product=product)
    return {"segments": Segment.objects.count()}


def _segments_sync() -> dict[str, object]:
    reference.segments_sync()
    found = {}
    for segment in Segment.objects.filter(slug__in=SEGMENT_COLOURS):
        if not segment.image:
            image = _segment_image(SEGMENT_COLOURS[segment.slug])
            segment.image.save(f"segmen-{segment.slug}.png", ContentFile(image))
        found[segment.slug] = segment
    return found


def _segment_image(colour: str) -> bytes:
    # A plain tile in the segment's colour with a few rings: enough for a demo.
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    for radius in range(40, 200, 30):
        draw.ellipse((160 - radius, 160 - radius, 160 + radius, 160 + radius), outline="#f4ead5")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _facts_sync(product, facts: Facts) -> None:
    packaging_type, packaging_material, recyclable = facts.packaging
    length, width, height = facts.dimensions_cm or (None, None, None)
    licence_type, licence_number = facts.licence or ("", "")
    halal_number, halal_expiry = facts.halal or ("", None)
    values = {
        "net_quantity": Decimal(facts.net[0]) if facts.net else None,
        "net_quantity_unit": facts.net[1] if facts.net else "",
        "packaging_type": packaging_type,
        "packaging_material": packaging_material,
        "packaging_recyclable": recyclable,
        "gross_weight_grams": facts.gross_weight_grams,
        "length_cm": Decimal(length) if length else None,
        "width_cm": Decimal(width) if width else None,
        "height_cm": Decimal(height) if height else None,
        "units_per_pack": facts.units_per_pack,
        "label_name": facts.label_name,
        "ingredients": facts.ingredients,
        "allergens": facts.allergens,
        "storage_instructions": facts.storage,
        "shelf_life_days": facts.shelf_life_days,
        "licence_type": licence_type,
        "licence_number": licence_number,
        "halal_claimed": bool(halal_number),
        "halal_certificate_number": halal_number,
        "halal_certificate_expiry": halal_expiry,
        "sni_number": facts.sni_number,
    }
    changed = [name for name, value in values.items() if getattr(product, name) != value]
    for name in changed:
        setattr(product, name, values[name])
    if changed:
        product.full_clean(exclude=["categories", "slug", "code"])
        product.save(update_fields=changed)


def _prices_sync(product, facts: Facts, editor) -> None:
    current = selectors.pricing_state(product)
    materials, labour = facts.cost or (None, None)
    services.product_pricing_set(
        product=product,
        user=editor,
        online=current.online,
        gallery=Decimal(facts.gallery) if facts.gallery else None,
        exhibition=Decimal(facts.exhibition) if facts.exhibition else None,
        tiers=[(q, Decimal(p)) for q, p in facts.tiers.items()],
        cost_materials=Decimal(materials) if materials is not None else None,
        cost_labor=Decimal(labour) if labour is not None else None,
        confirm_below_cost=facts.confirm_below_cost,
    )
