"""Demo institutional buyers (issue 16; data/demo/institutions.yaml): an approved office,
school and correctional unit with their buyers, quotes in every state, a made-to-order
furniture order whose batch is planned, an invoice paid 30 days after it was issued
(its PNBP booked) and a canteen's weekly bread booked by date.

Everything goes through the services a person would use (shop.institutions,
shop.invoicing, production_link.commissions), acted by the demo's central admin for the
Lapas side, so the demo shows what those services write and nothing else. Safe to re-run:
organisations are found by NPWP, quotes by their buyer's note, the booking by its buyer
and product."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from oscar.core.loading import get_class, get_model

from production_link.models import Workshop
from production_link.selectors import sellable_online_units_of, today
from shop.apps.core.datafiles import data_file

Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

# Who plays the Lapas side (pricing, declining, recording the transfer): the central
# admin may act for every Lapas, as the demo's Lapas need no staff of their own for it.
ADMIN = "admin"


def _users(organisations, password_hash):
    User = get_user_model()
    users = {}
    for spec in organisations:
        user, _created = User.objects.get_or_create(username=spec["username"])
        user.email = spec["email"]
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.is_active = True
        user.password = password_hash
        user.save()
        users[spec["key"]] = user
    return users


def _organisations(specs, users, admin):
    from shop.institutions import services
    from shop.institutions.models import Organisation

    found = {}
    for spec in specs:
        organisation = Organisation.objects.filter(npwp=spec["npwp"]).first()
        if organisation is None:
            organisation = services.organisation_apply(
                user=users[spec["key"]],
                name=spec["name"],
                npwp=spec["npwp"],
                address=spec["address"],
                kind=spec["kind"],
                email=spec["email"],
                phone=spec["phone"],
            )
        if organisation.status == Organisation.Status.REQUESTED:
            organisation = services.organisation_approve(
                organisation_id=organisation.pk,
                user=admin,
                payment_terms=spec["payment_terms"],
                payment_days=spec["payment_days"],
                credit_limit=spec["credit_limit"],
            )
        found[spec["key"]] = organisation
    return found


def _available(product, lapas) -> int:
    return sellable_online_units_of(product_ids=[product.pk]).get((product.pk, lapas.pk), 0)


def _request(spec, *, user, lapas, day):
    """The quote of one spec, asked as the buyer would: from a basket, or free-form."""
    from shop.institutions import services

    place = user.organisation_membership.organisation.address
    if spec.get("custom"):
        return services.quote_request_free_form(
            user=user,
            lapas_id=lapas.pk,
            items=[services.CustomItem(c["description"], c["quantity"]) for c in spec["custom"]],
            wanted_by=day + timedelta(days=45),
            delivery_place=place,
            note=spec["note"],
            today=day,
        )
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for item in spec["items"]:
        product = Product.objects.get(upc=item["upc"])
        quantity = item["quantity"]
        if (
            spec["state"] in ("accepted", "paid_after_30_days")
            and product.get_product_class().track_stock
        ):
            # Accepting takes the units from stock: ask for no more than the demo has left.
            quantity = min(quantity, _available(product, lapas))
        if quantity:
            basket.add_product(product, quantity)
    try:
        (quote,) = services.quote_request_from_basket(
            user=user,
            basket=basket,
            wanted_by=day + timedelta(days=14),
            delivery_place=place,
            note=spec["note"],
            today=day,
        )
    finally:
        basket.delete()
    return quote


def _price(quote, spec, *, admin, day):
    from shop.institutions import services

    lines = []
    workshops = {w.name: w.pk for w in Workshop.objects.filter(lapas=quote.lapas)}
    for line, entry in zip(quote.lines.order_by("position", "pk"), spec["price"], strict=True):
        lines.append(
            services.LinePricing(
                line_id=line.pk,
                unit_price=None if entry.get("unit_price") is None else str(entry["unit_price"]),
                reason=entry.get("reason", ""),
                made_to_order=entry.get("made_to_order", False),
                workshop_id=workshops.get(entry.get("workshop")),
            )
        )
    return services.quote_price(
        user=admin,
        quote_id=quote.pk,
        lines=lines,
        delivery_cost=spec.get("delivery_cost", 0),
        valid_until=day + timedelta(days=spec["valid_days"]),
        deposit_percent=spec.get("deposit_percent", 0),
        send=True,
        today=day,
    )


def _paid_after_30_days(orders, *, admin, key) -> None:
    """The invoice issued 40 days ago and paid in full 30 days after: PNBP is booked."""
    from shop.invoicing import services as invoicing

    for order in orders:
        issued = today() - timedelta(days=40)
        invoice = invoicing.invoice_issue(order_id=order.pk, today=issued)
        if invoice.paid_on is None:
            invoicing.invoice_payment_record(
                invoice_id=invoice.pk,
                user=admin,
                paid_on=invoice.issued_on + timedelta(days=30),
                amount=invoice.total,
                reference=f"BRI-DEMO-{order.number}",
                token=f"demo-{key}-{order.pk}",
            )


def _quotes(specs, *, users, admin) -> int:
    from shop.institutions import services
    from shop.institutions.models import Quote

    made = 0
    for index, spec in enumerate(specs):
        buyer = users[spec["buyer"]]
        organisation = buyer.organisation_membership.organisation
        if Quote.objects.filter(organisation=organisation, buyer_note=spec["note"]).exists():
            continue
        lapas = Partner.objects.get(short_code=spec["lapas"])
        day = today() - timedelta(days=spec.get("priced_days_ago", 0))
        quote = _request(spec, user=buyer, lapas=lapas, day=day)
        state = spec["state"]
        if state == "withdrawn":
            services.quote_withdraw(user=buyer, quote_id=quote.pk)
        elif state == "declined":
            services.quote_decline(user=admin, quote_id=quote.pk, reason=spec["reason"])
        elif state != "requested":
            _price(quote, spec, admin=admin, day=day)
            if state == "rejected":
                services.quote_reject(user=buyer, quote_id=quote.pk, reason=spec["reason"])
            elif state in ("accepted", "paid_after_30_days"):
                orders = services.quote_accept(
                    user=buyer, quote_id=quote.pk, po_number=spec["po_number"]
                )
                if state == "paid_after_30_days":
                    _paid_after_30_days(orders, admin=admin, key=index)
        made += 1
    return made


def _bread_service(spec, *, users, admin) -> None:
    """A bakery's standing weekly delivery as a service booked by date, with the
    workshop's daily capacity; the office books eight weeks on its invoice terms."""
    from production_link.commissions.models import ServiceBooking
    from production_link.commissions.services.bookings import booking_create, capacity_set
    from shop.payments.providers import get_provider

    lapas = Partner.objects.get(short_code=spec["lapas"])
    workshop = Workshop.objects.get(lapas=lapas, name=spec["workshop"])
    product, _created = Product.objects.update_or_create(
        upc=spec["upc"],
        defaults={
            "title_ind": spec["title"],
            "title_en": spec["title_en"],
            "description_ind": spec["description"],
            "description_en": spec["description_en"],
            "product_class": ProductClass.objects.get(slug="jasa"),
            "workshop": workshop,
            "is_public": True,
            "cost_materials": Decimal(spec["cost_materials"]),
        },
    )
    # A canteen's bread: for offices and institutions, like every product of a segment.
    product.segments.add(*Segment.objects.filter(slug="kantor-dan-instansi"))
    if not product.images.exists():
        from django.core.files.base import ContentFile

        from shop.apps.core.demo import draw_product_image  # the demo imports this module

        picture = get_model("catalogue", "ProductImage")(
            product=product, caption=spec["title"], display_order=0
        )
        jpeg = draw_product_image(
            title=spec["title"],
            seed=spec["upc"],
            category_slug="jasa-boga",
            lapas_code=spec["lapas"],
        )
        picture.original.save(f"{spec['upc'].lower()}.jpg", ContentFile(jpeg), save=False)
        picture.save()
    StockRecord.objects.update_or_create(
        product=product,
        partner=lapas,
        defaults={"partner_sku": spec["upc"], "price": Decimal(spec["price"])},
    )
    capacity_set(workshop=workshop, units_per_day=spec["units_per_day"], user=admin)
    booking = spec["booking"]
    buyer = users[booking["buyer"]]
    if ServiceBooking.objects.filter(user=buyer, product=product).exists():
        return
    organisation = buyer.organisation_membership.organisation
    provider = "invoice" if organisation.pays_by_invoice else "bank_transfer"
    booking_create(
        user=buyer,
        product=product,
        quantity=booking["quantity"],
        first_date=today() + timedelta(days=booking["days_ahead"]),
        weeks=booking["weeks"],
        provider=get_provider(provider),
        notes=booking["notes"],
    )


def institutions_demo_load(*, password: str) -> int:
    """Returns how many quotes were made on this run (0 on a re-run)."""
    data = data_file("demo/institutions.yaml")
    admin = get_user_model().objects.get(username=ADMIN)
    users = _users(data["organisations"], make_password(password))
    _organisations(data["organisations"], users, admin)
    made = _quotes(data["quotes"], users=users, admin=admin)
    _bread_service(data["bread_service"], users=users, admin=admin)
    return made
