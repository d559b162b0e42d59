"""Writes of institutional buying: applying for an organisation and its approval, the
reservation of products for internal needs, and a quote's life from the request to the
orders it places.

Every refusal raises ``InstitutionError`` (a ValidationError with a message the person can
act on) before anything is written; acceptance runs in one transaction with the quote row
locked, so a double click or a second tab gets the orders of the first acceptance.
"""

from __future__ import annotations

import os
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog import pricing
from catalog.choices import SalesChannel
from shop.apps.core.imaging import image_upload_check
from shop.apps.core.roles import INSTITUTIONAL_BUYER

from . import selectors
from .models import (
    InstitutionalOrder,
    Organisation,
    OrganisationMember,
    ProductReservation,
    Quote,
    QuoteAttachment,
    QuoteLine,
    npwp_normalise,
    npwp_validator,
)
from .signals import quote_accepted

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")

ZERO = Decimal("0")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_QUOTE_LINES = 50
MAX_QUANTITY = 100_000
# A reservation for internal needs holds at most this long; the Lapas may renew it.
MAX_RESERVATION_DAYS = 180
MAX_VALIDITY_DAYS = 180
# The (non-public) product class custom items are sold as.
CUSTOM_PRODUCT_CLASS = "pesanan-khusus"
# Every product targets a segment: a custom item is made for an institution.
INSTITUTIONS_SEGMENT = "kantor-dan-instansi"
Status = Quote.Status


class InstitutionError(ValidationError):
    """A refused request: its message tells the person why; nothing was changed."""


def _refuse(message: str, code: str = "refused"):
    raise InstitutionError(message, code=code)


def _reason(value) -> str:
    """A free-text reason, stripped; a NUL character (refused by PostgreSQL) is a message,
    not a failed save."""
    text = (value or "").strip()
    if "\x00" in text:
        _refuse(_("Null characters are not allowed."), "invalid_text")
    return text


def _queue(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


def _whole_rupiah(value, *, field_label: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        _refuse(_("%(field)s: enter an amount in rupiah.") % {"field": field_label})
    if not amount.is_finite() or amount < 0 or (not allow_zero and amount == 0):
        _refuse(_("%(field)s: enter an amount above zero.") % {"field": field_label})
    if not pricing.is_whole(amount):
        _refuse(
            _("%(field)s: rupiah are whole numbers, leave out the sen (e.g. 150000).")
            % {"field": field_label}
        )
    return amount


# --- organisations -------------------------------------------------------------------------


@transaction.atomic
def organisation_apply(
    *,
    user,
    name: str,
    npwp: str,
    address: str,
    kind: str,
    email: str = "",
    phone: str = "",
    language: str = "id",
) -> Organisation:
    """A signed-in buyer applies for an institutional account; central staff decide."""
    if OrganisationMember.objects.select_for_update().filter(user=user).exists():
        _refuse(_("You already buy for an organisation."), "already_member")
    name, address = (name or "").strip(), (address or "").strip()
    if not name or not address:
        _refuse(_("Enter the organisation's name and address."))
    if kind not in Organisation.Kind.values:
        _refuse(_("Choose the kind of organisation."))
    npwp_validator(npwp)
    organisation = Organisation.objects.create(
        name=name[:200],
        npwp=npwp_normalise(npwp),
        address=address,
        kind=kind,
        email=(email or "").strip(),
        phone=(phone or "").strip()[:32],
        language=(language or "id")[:10],
        requested_by=user,
        is_internal=kind == Organisation.Kind.CORRECTIONAL,
    )
    OrganisationMember.objects.create(organisation=organisation, user=user)
    return organisation


def _locked_organisation(organisation_id: int) -> Organisation:
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def _terms_check(*, payment_terms: str, payment_days, credit_limit) -> tuple[str, int, Decimal]:
    if payment_terms not in Organisation.PaymentTerms.values:
        _refuse(_("Choose the payment terms."))
    try:
        days = int(payment_days or 30)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 180:
        _refuse(_("Days to pay: between 1 and 180."))
    limit = _whole_rupiah(credit_limit or 0, field_label=_("Credit limit"))
    if payment_terms == Organisation.PaymentTerms.INVOICE and limit <= 0:
        _refuse(_("An organisation paying by invoice needs a credit limit above zero."))
    return payment_terms, days, limit


def _central_only(user) -> None:
    if not (user.is_superuser or user.is_staff):
        raise PermissionDenied


@transaction.atomic
def organisation_approve(
    *,
    organisation_id: int,
    user,
    payment_terms: str,
    payment_days=30,
    credit_limit=0,
) -> Organisation:
    """Central staff approve an application with its payment terms; its buyers get the
    institutional buyer role (the tier prices) and an e-mail."""
    _central_only(user)
    organisation = _locked_organisation(organisation_id)
    if organisation.status != Organisation.Status.REQUESTED:
        _refuse(_("This application has already been decided."), "already_decided")
    terms, days, limit = _terms_check(
        payment_terms=payment_terms, payment_days=payment_days, credit_limit=credit_limit
    )
    organisation.status = Organisation.Status.APPROVED
    organisation.payment_terms, organisation.payment_days = terms, days
    organisation.credit_limit = limit
    organisation.decided_by, organisation.decided_at = user, timezone.now()
    organisation.rejection_reason = ""
    organisation.save()
    group, _created = Group.objects.get_or_create(name=INSTITUTIONAL_BUYER.group_name)
    for member in organisation.members.select_related("user"):
        member.user.groups.add(group)
    from .tasks import organisation_decision_notify

    _queue(organisation_decision_notify, organisation.pk)
    return organisation


@transaction.atomic
def organisation_reject(*, organisation_id: int, user, reason: str) -> Organisation:
    _central_only(user)
    organisation = _locked_organisation(organisation_id)
    if organisation.status != Organisation.Status.REQUESTED:
        _refuse(_("This application has already been decided."), "already_decided")
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Tell the applicant why the application is rejected."))
    organisation.status = Organisation.Status.REJECTED
    organisation.rejection_reason = reason
    organisation.decided_by, organisation.decided_at = user, timezone.now()
    organisation.save()
    from .tasks import organisation_decision_notify

    _queue(organisation_decision_notify, organisation.pk)
    return organisation


@transaction.atomic
def organisation_terms_set(
    *, organisation_id: int, user, payment_terms: str, payment_days=30, credit_limit=0
) -> Organisation:
    """Central staff change an approved organisation's terms (orders placed keep theirs)."""
    _central_only(user)
    organisation = _locked_organisation(organisation_id)
    if not organisation.is_approved:
        _refuse(_("Only an approved organisation has payment terms."))
    terms, days, limit = _terms_check(
        payment_terms=payment_terms, payment_days=payment_days, credit_limit=credit_limit
    )
    organisation.payment_terms, organisation.payment_days = terms, days
    organisation.credit_limit = limit
    organisation.save(update_fields=["payment_terms", "payment_days", "credit_limit"])
    return organisation


@transaction.atomic
def organisation_member_add(*, organisation_id: int, user, email: str) -> OrganisationMember:
    """Central staff add another buyer (an existing account, by its e-mail) to an
    organisation; of an approved one they get the institutional buyer role at once."""
    from django.contrib.auth import get_user_model

    _central_only(user)
    organisation = _locked_organisation(organisation_id)
    if organisation.status == Organisation.Status.REJECTED:
        _refuse(_("A rejected organisation takes no buyers."))
    accounts = list(get_user_model().objects.filter(email__iexact=(email or "").strip())[:2])
    if len(accounts) != 1:
        _refuse(_("No single account has this e-mail address: the buyer signs up first."))
    (account,) = accounts
    if OrganisationMember.objects.filter(user=account).exists():
        _refuse(_("This account already buys for an organisation."), "already_member")
    member = OrganisationMember.objects.create(organisation=organisation, user=account)
    if organisation.is_approved:
        group, _created = Group.objects.get_or_create(name=INSTITUTIONAL_BUYER.group_name)
        account.groups.add(group)
    return member


# --- reservations for internal needs -------------------------------------------------------


def _product_of_users_lapas(*, user, product_id: int):
    from production_link.selectors import lapas_for_user

    product = Product.objects.select_related("workshop").filter(pk=product_id).first()
    if product is None or product.workshop_id is None:
        raise Http404
    if not lapas_for_user(user).filter(pk=product.workshop.lapas_id).exists():
        raise Http404
    return product


@transaction.atomic
def product_reservation_set(
    *, user, product_id: int, reserved_until: date, note: str = "", today: date | None = None
) -> ProductReservation:
    """Reserve a product of the user's Lapas for internal needs until a date: till then
    only correctional units may order it or ask a quote for it."""
    product = _product_of_users_lapas(user=user, product_id=product_id)
    today = today or timezone.localdate()
    if reserved_until is None or reserved_until < today:
        _refuse(_("Reserve until today or a later date."))
    if reserved_until > today + timedelta(days=MAX_RESERVATION_DAYS):
        _refuse(
            _("A reservation holds at most %(days)d days; renew it when it ends.")
            % {"days": MAX_RESERVATION_DAYS}
        )
    reservation, _created = ProductReservation.objects.update_or_create(
        product=product,
        defaults={"reserved_until": reserved_until, "note": (note or "")[:200], "created_by": user},
    )
    return reservation


@transaction.atomic
def product_reservation_clear(*, user, product_id: int) -> bool:
    product = _product_of_users_lapas(user=user, product_id=product_id)
    deleted, _rows = ProductReservation.objects.filter(product=product).delete()
    return bool(deleted)


def reservation_blocks(*, user, product, today: date | None = None):
    """The active reservation that keeps ``user`` from ordering ``product`` (None when
    they may: nothing reserved, or they buy for a correctional unit)."""
    reservation = selectors.active_reservation_of(product, today=today)
    if reservation is None or selectors.user_is_internal_buyer(user):
        return None
    return reservation


# --- quote requests ------------------------------------------------------------------------


def _buyer_organisation(user) -> Organisation:
    organisation = selectors.approved_organisation_for_user(user)
    if organisation is None:
        raise PermissionDenied(_("Only buyers of an approved organisation may ask for quotes."))
    return organisation


def _request_fields(*, wanted_by, delivery_place: str, today: date) -> str:
    place = (delivery_place or "").strip()
    if not place:
        _refuse(_("Tell us where the goods are to be delivered."))
    if wanted_by is not None and wanted_by < today:
        _refuse(_("The wanted date cannot be in the past."))
    return place


def attachment_check(file) -> str:
    """The extension to store an attachment under: a PDF or a real image (the shop's one
    image check), at most 10 MB. Judged by the content, never by the name."""
    if file.size > MAX_ATTACHMENT_BYTES:
        _refuse(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": file.name, "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            "attachment_too_large",
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return ".pdf"
    try:
        image_upload_check(file)
    except ValidationError:
        _refuse(
            _("%(name)s: attach a PDF or a photo (JPEG, PNG, WebP, GIF), please.")
            % {"name": file.name},
            "attachment_invalid",
        )
    extension = os.path.splitext(file.name)[1].lower()
    return extension if extension in (".jpg", ".jpeg", ".png", ".webp", ".gif") else ".img"


def _attachments_check(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        _refuse(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    return [(f, attachment_check(f)) for f in files]


def _attachments_save(*, quote, checked, user) -> None:
    for file, extension in checked:
        attachment = QuoteAttachment(
            quote=quote,
            original_name=os.path.basename(file.name)[:200],
            size=file.size,
            uploaded_by=user,
        )
        # A random name: the file is private and its address must not be guessable.
        attachment.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
        attachment.save()


def _quantity(value) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        _refuse(_("Enter a quantity between 1 and %(max)d.") % {"max": MAX_QUANTITY})
    return quantity


def _new_quote(*, organisation, lapas, user, wanted_by, place, note, language, group=""):
    return Quote.objects.create(
        organisation=organisation,
        lapas=lapas,
        requested_by=user,
        request_group=group,
        language=(language or "id")[:10],
        wanted_by=wanted_by,
        delivery_place=place,
        buyer_note=(note or "").strip(),
    )


def _requested(quotes) -> None:
    from .tasks import quote_notify

    for quote in quotes:
        _queue(quote_notify, quote.pk, "requested")


@transaction.atomic
def quote_request_from_basket(
    *,
    user,
    basket,
    wanted_by: date | None = None,
    delivery_place: str,
    note: str = "",
    language: str = "id",
    attachments=(),
    today: date | None = None,
) -> list[Quote]:
    """Ask for a quote on a basket: one request per Lapas, as checkout makes one order per
    Lapas. The basket stays as it is. Attachments go with every request."""
    organisation = _buyer_organisation(user)
    today = today or timezone.localdate()
    place = _request_fields(wanted_by=wanted_by, delivery_place=delivery_place, today=today)
    lines = [line for line in basket.all_lines() if line.stockrecord is not None]
    if not lines:
        _refuse(_("Your basket is empty: add the products you want quoted first."))
    reserved = selectors.reserved_product_ids({line.product_id for line in lines}, today=today)
    if reserved and not organisation.is_internal:
        blocked = next(line.product for line in lines if line.product_id in reserved)
        _refuse(
            _(
                "“%(title)s” is reserved for the internal needs of correctional units until "
                "%(date)s; remove it from the basket to ask for a quote."
            )
            % {"title": blocked.get_title(), "date": reserved[blocked.pk]}
        )
    checked = _attachments_check(attachments)
    groups: OrderedDict = OrderedDict()
    for line in lines:
        groups.setdefault(line.stockrecord.partner_id, (line.stockrecord.partner, []))[1].append(
            line
        )
    group = uuid.uuid4().hex if len(groups) > 1 else ""
    quotes = []
    for _pk, (lapas, basket_lines) in sorted(groups.items()):
        quote = _new_quote(
            organisation=organisation,
            lapas=lapas,
            user=user,
            wanted_by=wanted_by,
            place=place,
            note=note,
            language=language,
            group=group,
        )
        QuoteLine.objects.bulk_create(
            QuoteLine(quote=quote, position=i, product=line.product, quantity=line.quantity)
            for i, line in enumerate(basket_lines)
        )
        if checked:
            for file, _ext in checked:
                file.seek(0)
            _attachments_save(quote=quote, checked=checked, user=user)
        quotes.append(quote)
    _requested(quotes)
    return quotes


@dataclass
class CustomItem:
    description: str
    quantity: int


@transaction.atomic
def quote_request_free_form(
    *,
    user,
    lapas_id: int,
    items: list[CustomItem],
    wanted_by: date | None = None,
    delivery_place: str,
    note: str = "",
    language: str = "id",
    attachments=(),
    today: date | None = None,
) -> Quote:
    """Ask a Lapas for a quote on items not in the catalogue (described by the buyer)."""
    from shop.apps.partner.models import Partner

    organisation = _buyer_organisation(user)
    today = today or timezone.localdate()
    place = _request_fields(wanted_by=wanted_by, delivery_place=delivery_place, today=today)
    lapas = Partner.objects.filter(pk=lapas_id).first()
    if lapas is None:
        _refuse(_("Choose the Lapas to ask."))
    items = [item for item in items if (item.description or "").strip()]
    if not items:
        _refuse(_("Describe at least one item."))
    if len(items) > MAX_QUOTE_LINES:
        _refuse(_("At most %(count)d items per request.") % {"count": MAX_QUOTE_LINES})
    rows = [(_reason(item.description), _quantity(item.quantity)) for item in items]
    checked = _attachments_check(attachments)
    quote = _new_quote(
        organisation=organisation,
        lapas=lapas,
        user=user,
        wanted_by=wanted_by,
        place=place,
        note=note,
        language=language,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            position=i,
            is_custom=True,
            description=description,
            quantity=quantity,
            made_to_order=True,
        )
        for i, (description, quantity) in enumerate(rows)
    )
    _attachments_save(quote=quote, checked=checked, user=user)
    _requested([quote])
    return quote


def _locked_quote(quote_id: int) -> Quote:
    quote = Quote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None:
        raise Http404
    return quote


def _buyer_quote(*, user, quote_id: int) -> Quote:
    """The quote locked, if it is the user's organisation's; 404 otherwise."""
    quote = _locked_quote(quote_id)
    organisation = selectors.organisation_for_user(user)
    if organisation is None or organisation.pk != quote.organisation_id:
        raise Http404
    return quote


def _lapas_quote(*, user, quote_id: int) -> Quote:
    """The quote locked, if it was asked of the user's Lapas; 404 otherwise."""
    from production_link.selectors import lapas_for_user

    quote = _locked_quote(quote_id)
    if not lapas_for_user(user).filter(pk=quote.lapas_id).exists():
        raise Http404
    return quote


@transaction.atomic
def quote_withdraw(*, user, quote_id: int) -> Quote:
    """The buyer withdraws a request the Lapas has not answered yet."""
    quote = _buyer_quote(user=user, quote_id=quote_id)
    if quote.status != Status.REQUESTED:
        _refuse(_("Only a request not yet quoted can be withdrawn."), "not_requested")
    quote.status = Status.WITHDRAWN
    quote.decided_by, quote.decided_at = user, timezone.now()
    quote.save(update_fields=["status", "decided_by", "decided_at"])
    from .tasks import quote_notify

    _queue(quote_notify, quote.pk, "withdrawn")
    return quote


@transaction.atomic
def quote_decline(*, user, quote_id: int, reason: str) -> Quote:
    """The Lapas declines a request it cannot make, saying why."""
    quote = _lapas_quote(user=user, quote_id=quote_id)
    if quote.status != Status.REQUESTED:
        _refuse(_("Only a request not yet quoted can be declined."), "not_requested")
    reason = _reason(reason)
    if not reason:
        _refuse(_("Tell the buyer why the request is declined."))
    quote.status = Status.DECLINED
    quote.decision_reason = reason
    quote.decided_by, quote.decided_at = user, timezone.now()
    quote.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    from .tasks import quote_notify

    _queue(quote_notify, quote.pk, "declined")
    return quote


# --- pricing -------------------------------------------------------------------------------


@dataclass
class LinePricing:
    """What staff enter for one line. ``unit_price`` None on a catalogue line: its tier
    price. ``product_id`` on a custom line: an existing product of the Lapas it is sold as
    (else a non-public product is made for it when the quote is accepted)."""

    line_id: int
    unit_price: Decimal | str | None = None
    reason: str = ""
    made_to_order: bool = False
    workshop_id: int | None = None
    product_id: int | None = None


def _id(value) -> int | None:
    """A posted id, or None when empty; anything else is not found."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as wrong:
        raise Http404 from wrong


def catalogue_tier_price(*, product, lapas, quantity: int) -> Decimal | None:
    """The price an institutional buyer pays for ``quantity`` of a product of ``lapas``:
    the institutional tier their quantity reaches, else the online price (the Strategy's
    rule, catalog.pricing)."""
    record = StockRecord.objects.filter(product=product, partner=lapas).order_by("pk").first()
    if record is None or record.price is None:
        return None
    return pricing.unit_price(
        online_price=record.price,
        channel_prices={},
        tiers=[(t.min_quantity, t.price) for t in product.price_tiers.all()],
        channel=SalesChannel.ONLINE,
        quantity=quantity,
        institutional=True,
    )


@transaction.atomic
def quote_price(
    *,
    user,
    quote_id: int,
    lines: list[LinePricing],
    delivery_cost,
    valid_until: date | None,
    deposit_percent=0,
    note: str = "",
    send: bool = False,
    today: date | None = None,
) -> Quote:
    """Staff of the quote's Lapas price a request (saved as a draft) and, with ``send``,
    send it to the buyer. Every line must be priced to send."""
    from production_link.models import Workshop

    quote = _lapas_quote(user=user, quote_id=quote_id)
    if quote.status != Status.REQUESTED:
        _refuse(_("This quote has already been sent or closed."), "not_requested")
    today = today or timezone.localdate()
    delivery = _whole_rupiah(delivery_cost or 0, field_label=_("Delivery cost"))
    try:
        deposit = int(deposit_percent or 0)
    except (TypeError, ValueError):
        deposit = -1
    if not 0 <= deposit <= 100:
        _refuse(_("Deposit: a percentage from 0 to 100."))
    if valid_until is not None and valid_until < today:
        _refuse(_("The quote must be valid until today or later."))
    if valid_until is not None and valid_until > today + timedelta(days=MAX_VALIDITY_DAYS):
        _refuse(_("A quote is valid for at most %(days)d days.") % {"days": MAX_VALIDITY_DAYS})
    if send and valid_until is None:
        _refuse(_("Set the date the quote is valid until before sending it."))
    by_id = {line.pk: line for line in quote.lines.select_related("product")}
    given = {entry.line_id: entry for entry in lines}
    if set(given) - set(by_id):
        raise Http404
    workshops = {w.pk: w for w in Workshop.objects.filter(lapas_id=quote.lapas_id)}
    for line_id, line in by_id.items():
        entry = given.get(line_id)
        if entry is None:
            if send:
                _refuse(_("Price every line before sending the quote."))
            continue
        label = line.title or _("line %(number)d") % {"number": line.position + 1}
        workshop_id = _id(entry.workshop_id)
        if workshop_id is not None and workshop_id not in workshops:
            raise Http404
        line.workshop = workshops.get(workshop_id)
        line.made_to_order = bool(entry.made_to_order)
        if line.is_custom:
            if _id(entry.product_id) is not None:
                product = Product.objects.filter(
                    pk=_id(entry.product_id), workshop__lapas_id=quote.lapas_id
                ).first()
                if product is None:
                    raise Http404
                line.product = product
            else:
                line.product = None
                # Nothing in stock to sell from: it is made for the buyer.
                line.made_to_order = True
            if entry.unit_price in (None, ""):
                if send:
                    _refuse(_("%(line)s: enter the unit price.") % {"line": label})
                line.unit_price = None
            else:
                line.unit_price = _whole_rupiah(
                    entry.unit_price, field_label=label, allow_zero=False
                )
            line.special_price_reason = ""
            line.list_price = None
        else:
            line.list_price = catalogue_tier_price(
                product=line.product, lapas=quote.lapas, quantity=line.quantity
            )
            if entry.unit_price in (None, ""):
                if line.list_price is None:
                    _refuse(_("%(line)s has no price: enter a special price.") % {"line": label})
                line.unit_price = line.list_price
                line.special_price_reason = ""
            else:
                line.unit_price = _whole_rupiah(
                    entry.unit_price, field_label=label, allow_zero=False
                )
                reason = _reason(entry.reason)
                if line.unit_price != line.list_price and not reason:
                    _refuse(_("%(line)s: give the reason for the special price.") % {"line": label})
                line.special_price_reason = (
                    reason[:255] if line.unit_price != line.list_price else ""
                )
            if line.made_to_order and line.workshop is None:
                line.workshop = workshops.get(line.product.workshop_id)
        if line.made_to_order and line.workshop is None:
            _refuse(_("%(line)s: choose the workshop that makes it.") % {"line": label})
    QuoteLine.objects.bulk_update(
        by_id.values(),
        [
            "product",
            "workshop",
            "made_to_order",
            "unit_price",
            "list_price",
            "special_price_reason",
        ],
    )
    quote.delivery_cost = delivery
    quote.valid_until = valid_until
    quote.deposit_percent = deposit
    quote.lapas_note = (note or "").strip()
    quote.priced_by = user
    fields = ["delivery_cost", "valid_until", "deposit_percent", "lapas_note", "priced_by"]
    if send:
        quote.status = Status.SENT
        quote.sent_at = timezone.now()
        fields += ["status", "sent_at"]
        from .tasks import quote_notify

        _queue(quote_notify, quote.pk, "sent")
    quote.save(update_fields=fields)
    return quote


def quote_totals(quote) -> dict:
    """Goods, delivery and the total of a priced quote (None while a line is unpriced)."""
    lines = list(quote.lines.all())
    if any(line.unit_price is None for line in lines):
        return {"goods": None, "delivery": quote.delivery_cost, "total": None, "deposit": None}
    goods = sum((line.unit_price * line.quantity for line in lines), ZERO)
    total = goods + quote.delivery_cost
    deposit = pricing.whole_rupiah(total * quote.deposit_percent / 100)
    return {"goods": goods, "delivery": quote.delivery_cost, "total": total, "deposit": deposit}


# --- the buyer's decision ------------------------------------------------------------------


def _decidable(quote, today) -> None:
    if quote.status == Status.REQUESTED:
        _refuse(_("This quote has not been sent yet."), "not_sent")
    if quote.status != Status.SENT:
        _refuse(_("This quote is closed: it can no longer be accepted or rejected."), "closed")
    if quote.is_expired(today=today):
        _refuse(
            _(
                "This quote expired on %(date)s and can no longer be accepted. Ask the Lapas "
                "for a new one."
            )
            % {"date": quote.valid_until},
            "expired",
        )


@transaction.atomic
def quote_reject(*, user, quote_id: int, reason: str = "", today: date | None = None) -> Quote:
    quote = _buyer_quote(user=user, quote_id=quote_id)
    _decidable(quote, today or timezone.localdate())
    reason = _reason(reason)
    quote.status = Status.REJECTED
    quote.decision_reason = reason
    quote.decided_by, quote.decided_at = user, timezone.now()
    quote.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    from .tasks import quote_notify

    _queue(quote_notify, quote.pk, "rejected")
    return quote


class OverCreditLimit(InstitutionError):
    pass


def credit_check(*, organisation, amount: Decimal) -> None:
    """Refuse an order on invoice terms that would take the organisation over its limit."""
    if not organisation.pays_by_invoice:
        return
    owed = selectors.organisation_open_exposure(organisation)
    if owed + amount > organisation.credit_limit:
        from oscar.templatetags.currency_filters import currency

        raise OverCreditLimit(
            _(
                "This order of %(amount)s would take %(organisation)s over its credit limit "
                "of %(limit)s (%(owed)s is still open). Nothing was ordered: pay open invoices "
                "first, or ask Karya's staff to raise the limit."
            )
            % {
                "amount": currency(amount),
                "organisation": organisation.name,
                "limit": currency(organisation.credit_limit),
                "owed": currency(owed),
            },
            code="over_credit_limit",
        )


def _custom_product(*, line, lapas):
    """The non-public product a custom item is sold as, in the workshop that makes it."""
    product_class, _created = ProductClass.objects.get_or_create(
        slug=CUSTOM_PRODUCT_CLASS,
        defaults={
            "name_ind": "Pesanan khusus",
            "name_en": "Custom order",
            "requires_shipping": True,
            "track_stock": True,
        },
    )
    title = line.description.splitlines()[0][:200]
    # The buyer's own words name the product in both languages: there is no other name
    # for it, and an empty English title would show "not yet translated" to the buyer.
    product = Product.objects.create(
        title_ind=title,
        title_en=title,
        description_ind=line.description,
        description_en=line.description,
        product_class=product_class,
        workshop=line.workshop,
        is_public=False,
        structure=Product.STANDALONE,
    )
    product.segments.add(*Segment.objects.filter(slug=INSTITUTIONS_SEGMENT))
    StockRecord.objects.create(
        product=product,
        partner=lapas,
        partner_sku=f"Q{line.quote_id}-{line.pk}",
        price=line.unit_price,
    )
    return product


def payment_provider_for(organisation):
    from shop.payments.providers import get_provider

    name = "invoice" if organisation.pays_by_invoice else "bank_transfer"
    provider = get_provider(name)
    if provider is None:
        _refuse(_("Paying by invoice is not available yet: please ask Karya's staff."))
    return provider


def _po_check(po_number: str, po_document) -> tuple[str, str | None]:
    number = (po_number or "").strip()
    if not number:
        _refuse(_("Enter your purchase order (PO) number."), "po_missing")
    if len(number) > 64:
        _refuse(_("A PO number has at most 64 characters."))
    extension = attachment_check(po_document) if po_document else None
    return number, extension


@transaction.atomic
def quote_accept(
    *, user, quote_id: int, po_number: str, po_document=None, today: date | None = None
) -> list:
    """The buyer accepts a sent quote with their purchase order: its order is placed
    through the one sale pipeline at the quoted prices (made-to-order lines take no
    stock), and ``quote_accepted`` is sent. Accepting again returns the same orders."""
    from shop.apps.order import placement

    quote = _buyer_quote(user=user, quote_id=quote_id)
    if quote.status == Status.ACCEPTED:
        # A double click or a second tab: the first acceptance's orders.
        return [row.order for row in quote.orders.select_related("order")]
    organisation = _buyer_organisation(user)
    today = today or timezone.localdate()
    _decidable(quote, today)
    number, extension = _po_check(po_number, po_document)
    lines = list(quote.lines.select_related("product", "workshop").order_by("position", "pk"))
    totals = quote_totals(quote)
    credit_check(organisation=organisation, amount=totals["total"])
    provider = payment_provider_for(organisation)
    lapas = quote.lapas
    for line in lines:
        if line.product_id is None:
            line.product = _custom_product(line=line, lapas=lapas)
    records = {
        r.product_id: r
        for r in StockRecord.objects.filter(
            partner=lapas, product_id__in=[line.product_id for line in lines]
        ).order_by("-pk")
    }
    draft = placement.OrderDraft(
        number=f"INS-{lapas.short_code or lapas.pk}-{quote.pk:06d}",
        lapas=lapas,
        channel=Order.Channel.INSTITUTIONAL,
        user=user,
        language=quote.language,
        shipping_incl_tax=quote.delivery_cost,
        shipping_excl_tax=quote.delivery_cost,
        shipping_method=_("Delivery as quoted") if quote.delivery_cost else "",
        shipping_code="quoted-delivery" if quote.delivery_cost else "",
        lines=[
            placement.LineDraft(
                product=line.product,
                quantity=line.quantity,
                unit_price_incl_tax=line.unit_price,
                stockrecord=records.get(line.product_id),
                made_to_order=line.made_to_order,
            )
            for line in lines
        ],
    )

    def work():
        return placement.orders_place(drafts=[draft], provider=provider, user=user)

    from production_link.services import InsufficientStock

    try:
        orders = placement.with_lock_retry(work)
    except InsufficientStock as short:
        _refuse(
            _(
                "Only %(available)d of “%(title)s” are in stock now (the quote has "
                "%(wanted)d). Nothing was ordered: ask the Lapas to quote it again, e.g. as "
                "made to order."
            )
            % {
                "available": short.available,
                "title": short.product.get_title(),
                "wanted": short.wanted,
            },
            "insufficient_stock",
        )
    order = orders[0]
    row = InstitutionalOrder(
        order=order,
        organisation=organisation,
        quote=quote,
        po_number=number,
        payment_terms=organisation.payment_terms,
        payment_days=organisation.payment_days if organisation.pays_by_invoice else None,
    )
    if po_document:
        name = f"{uuid.uuid4().hex}{extension}"
        row.po_document.save(name, po_document, save=False)
        quote.po_document = row.po_document.name
    row.save()
    for line, placed in zip(lines, order.placed_lines, strict=True):
        line.order_line = placed
    QuoteLine.objects.bulk_update(lines, ["order_line", "product"])
    OrderNote.objects.create(
        order=order,
        user=user,
        note_type="System",
        message=_("Quote %(quote)s accepted with purchase order %(po)s. Deliver to: %(place)s")
        % {"quote": quote.number, "po": number, "place": quote.delivery_place},
    )
    quote.status = Status.ACCEPTED
    quote.po_number = number
    quote.decided_by, quote.decided_at = user, timezone.now()
    quote.save(update_fields=["status", "po_number", "po_document", "decided_by", "decided_at"])
    from oscar.apps.order.signals import order_placed

    order_placed.send(sender=Quote, order=order, user=user)
    quote_accepted.send(sender=Quote, quote=quote, orders=orders)
    from .tasks import quote_notify

    _queue(quote_notify, quote.pk, "accepted")
    return orders
