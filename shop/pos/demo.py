"""Demo point of sale: a gallery and a dated exhibition of Lapas Yogyakarta (the demo
cashier's Lapas), stock sent there from its warehouse, a clearly marked demo QRIS image,
supervisor PINs, and one closed session with its Z report.

Idempotent: everything is found by a natural key (location name, Lapas) and created only
when missing; the exhibition's dates follow the day the demo is loaded, so it is open.
"""

import datetime
import io
import uuid

import segno
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from production_link.models import StockLocation
from production_link.services import stock_location_warehouse
from shop.apps.core.datafiles import data_file
from shop.apps.core.imaging import font, wrap

from . import selectors, services, transfers
from .models import PosLapasSettings, PosLocation, PosSession, StockTransfer, SupervisorPin

Partner = get_model("partner", "Partner")

# The names, places, PINs and texts are data (data/demo/pos.yaml); this module builds them.
_DATA = data_file("demo/pos.yaml")
LAPAS_CODE = _DATA["lapas"]
CASHIER = _DATA["cashier"]
ADMIN = _DATA["admin"]
# Documented in the README ("Point of sale"): the PIN a supervisor types on the till.
DEMO_PINS = _DATA["supervisor_pins"]
GALLERY = _DATA["gallery"]
EXHIBITION = _DATA["exhibition"]
QRIS = _DATA["qris"]
SESSION = _DATA["session"]


def _qris_demo_png(lapas) -> bytes:
    """A QR code that is plainly not a payment code, with a label saying so."""
    payload = f"{QRIS['payload']} - {lapas.name}"
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=3)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    width = max(qr.width, 420)
    image = Image.new("L", (width, qr.height + 120), 255)
    image.paste(qr, ((width - qr.width) // 2, 70))
    draw = ImageDraw.Draw(image)
    title = font(30)
    draw.text((20, 18), QRIS["title"], font=title, fill=0)
    small = font(18, bold=False)
    y = qr.height + 74
    for line in wrap(
        draw,
        QRIS["caption"],
        font=small,
        max_width=width - 40,
    ):
        draw.text((20, y), line, font=small, fill=0)
        y += 22
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _location(*, lapas, kind, spec, starts_on=None, ends_on=None, cashiers=()):
    stock_location, _created = StockLocation.objects.get_or_create(
        lapas=lapas,
        kind=kind,
        name=spec["name"],
        defaults={"city": spec["city"], "fulfils_online": False},
    )
    location, _created = PosLocation.objects.get_or_create(stock_location=stock_location)
    location.venue = spec["venue"]
    location.starts_on, location.ends_on = starts_on, ends_on
    location.save()
    location.cashiers.add(*cashiers)
    return location


def _stock_up(*, admin, lapas, location, units: int, products: int):
    """Send units of the warehouse's first sellable batches, once per location."""
    if StockTransfer.objects.filter(destination=location.stock_location).exists():
        return
    seen, lines = set(), []
    for row in selectors.warehouse_stock_for_transfer(lapas=lapas):
        if row.batch.product_id in seen or row.quantity < units * 3:
            continue
        seen.add(row.batch.product_id)
        lines.append(transfers.TransferLineRequest(batch_id=row.batch_id, quantity=units))
        if len(lines) == products:
            break
    if not lines:
        return
    transfer = transfers.transfer_send(
        user=admin,
        source=stock_location_warehouse(lapas=lapas),
        destination=location.stock_location,
        lines=lines,
        note=_DATA["transfer_note"],
    )
    transfers.transfer_receive(user=admin, transfer=transfer, received={}, reasons={})


def _closed_session(*, cashier, location):
    """A first till: three sales, counted and closed with a small difference."""
    if PosSession.objects.filter(location=location).exists():
        return
    catalogue = selectors.location_catalogue(location=location)
    if len(catalogue) < 2:
        return
    session, _created = services.session_open(
        user=cashier, location=location, opening_float=SESSION["opening_float"]
    )
    first, second = catalogue[0], catalogue[1]
    when = timezone.now().isoformat()
    # The buyer pays with the next round Rp50.000 above the price, and gets change.
    tendered = str((int(first["price"]) // 50000 + 1) * 50000)
    sales = [
        ((first, 1), "cash", tendered, ""),
        ((second, 2), "qris", None, SESSION["qris_reference"]),
        ((first, 1), "cash", None, ""),
    ]
    for index, ((product, quantity), method, tendered, reference) in enumerate(sales):
        result = services.sale_record(
            user=cashier,
            data={
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"karya-demo-{session.pk}-{index}")),
                "session_id": session.pk,
                "created_at": when,
                "lines": [
                    {
                        "product_id": product["id"],
                        "batch_code": product["batches"][0]["code"],
                        "quantity": quantity,
                        "unit_price": str(product["price"]),
                    }
                ],
                "payment": {"method": method, "tendered": tendered, "reference": reference},
                "offline": False,
            },
        )
        if result["status"] != "recorded":
            raise RuntimeError(f"Demo sale not recorded: {result['message']}")
    expected_cash = selectors.session_figures(session)["expected"]["cash"]
    # Counted short, so the demo Z report shows a difference and its reason.
    counted, rest = {}, int(expected_cash) - SESSION["short_by"]
    for denomination in selectors.DENOMINATIONS:
        if rest >= denomination:
            counted[str(denomination)], rest = divmod(rest, denomination)
    services.session_close(
        user=cashier,
        session=session,
        counted=counted,
        reason=SESSION["closing_reason"],
    )


@transaction.atomic
def pos_demo_load() -> None:
    User = get_user_model()
    lapas = Partner.objects.filter(short_code=LAPAS_CODE).first()
    cashier = User.objects.filter(username=CASHIER).first()
    admin = User.objects.filter(username=ADMIN).first()
    if lapas is None or cashier is None or admin is None:
        return
    for username, pin in DEMO_PINS.items():
        user = User.objects.filter(username=username).first()
        if user and not SupervisorPin.objects.filter(user=user).exists():
            services.supervisor_pin_set(user=user, pin=pin)

    settings_row, _created = PosLapasSettings.objects.get_or_create(lapas=lapas)
    if not settings_row.qris_image:
        settings_row.qris_image.save(
            f"qris-demo-{lapas.short_code.lower()}.png", ContentFile(_qris_demo_png(lapas))
        )

    today = timezone.localdate()
    gallery = _location(
        lapas=lapas, kind=StockLocation.Kind.GALLERY, spec=GALLERY, cashiers=[cashier]
    )
    exhibition = _location(
        lapas=lapas,
        kind=StockLocation.Kind.EXHIBITION,
        spec=EXHIBITION,
        starts_on=today - datetime.timedelta(days=EXHIBITION["opened_days_ago"]),
        ends_on=today + datetime.timedelta(days=EXHIBITION["closes_in_days"]),
        cashiers=[cashier],
    )
    for location, spec in ((gallery, GALLERY), (exhibition, EXHIBITION)):
        _stock_up(
            admin=admin,
            lapas=lapas,
            location=location,
            units=spec["units"],
            products=spec["products"],
        )
    _closed_session(cashier=cashier, location=gallery)


def pos_demo_counts() -> dict[str, int]:
    from .models import PosSale

    return {
        "sales locations": PosLocation.objects.count(),
        "stock transfers": StockTransfer.objects.count(),
        "cash sessions": PosSession.objects.count(),
        "pos sales": PosSale.objects.count(),
    }
