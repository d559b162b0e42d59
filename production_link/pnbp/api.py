"""PNBP API (read-only): ledger entries and deposits of the treasurer's own Lapas.

Scoped like the dashboard pages: a treasurer or Kalapas sees their own Lapas, a central
admin all. Another Lapas is a 404, a user without the ledger permission a 403.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from ..inputs import BoundedPageNumberPagination, parse_id
from . import selectors as sel

router = Router(tags=["pnbp"])


class EntryLineOut(Schema):
    line_id: int
    product: str
    workshop_id: int | None
    workshop: str | None
    batch_id: int | None
    batch: str | None
    quantity: int
    gross: Decimal
    premi_amount: Decimal


class EntryOut(Schema):
    id: int
    lapas_id: int
    lapas: str
    satker_code: str | None
    kind: str
    order: str
    refund_id: int | None
    channel: str
    account_code: str
    gross: Decimal
    pnbp_amount: Decimal
    premi_amount: Decimal
    working_capital_amount: Decimal
    programme_amount: Decimal
    received_at: datetime.datetime
    recorded_at: datetime.datetime
    deadline: datetime.datetime | None
    deposit_id: int | None
    deposit_state: str


class EntryDetailOut(EntryOut):
    lines: list[EntryLineOut]


class DepositOut(Schema):
    id: int
    lapas_id: int
    lapas: str
    amount: Decimal
    status: str
    billing_code: str
    billing_expires_at: datetime.datetime | None
    ntpn: str
    paid_on: datetime.date | None
    created_at: datetime.datetime
    entry_ids: list[int]


def _viewer(request, perm="view_ledgerentry"):
    if not (sel.user_may_view_pnbp(request.user) and sel.user_has_pnbp_perm(request.user, perm)):
        raise HttpError(
            403, "Only treasurers, the Kalapas and central admins may see the PNBP ledger."
        )


def _lapas_filter(request, code: str):
    """The Lapas a filter names (satker code, short code or id), if the user may see it."""
    visible = sel.pnbp_lapas_for_user(request.user)
    query = Q(satker_code=code) | Q(short_code=code.upper())
    lapas_id = parse_id(code)
    if lapas_id is not None:
        query |= Q(pk=lapas_id)
    lapas = visible.filter(query).first()
    if lapas is None:
        raise HttpError(404, "No Lapas with this code that you may see.")
    return lapas


def _entry(entry, deadline=None) -> dict:
    item = getattr(entry, "deposit_item", None)
    return {
        "id": entry.pk,
        "lapas_id": entry.lapas_id,
        "lapas": entry.lapas.name,
        "satker_code": entry.lapas.satker_code,
        "kind": entry.kind,
        "order": entry.order.number,
        "refund_id": entry.refund_id,
        "channel": entry.channel,
        "account_code": entry.account_code,
        "gross": entry.gross,
        "pnbp_amount": entry.pnbp_amount,
        "premi_amount": entry.premi_amount,
        "working_capital_amount": entry.working_capital_amount,
        "programme_amount": entry.programme_amount,
        "received_at": entry.due_at,
        "recorded_at": entry.recorded_at,
        "deadline": deadline if entry.kind == "sale" else None,
        "deposit_id": item.deposit_id if item else None,
        "deposit_state": sel.entry_state(entry),
    }


@router.get(
    "/pnbp/entries",
    response=list[EntryOut],
    summary="PNBP ledger entries of my Lapas",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def entry_list(
    request,
    lapas: str = "",
    # "from" is a Python keyword: the query parameters are called from and to.
    date_from: Annotated[datetime.date | None, Query(None, alias="from")] = None,
    date_to: Annotated[datetime.date | None, Query(None, alias="to")] = None,
    state: str = "",
):
    """Entries received from ``from`` to ``to`` (Jakarta days, inclusive), newest first.
    ``lapas`` is a satker code or short code; ``state`` undeposited, in_deposit or
    deposited."""
    _viewer(request)
    entries = sel.entries_for_user(request.user)
    if lapas:
        entries = entries.filter(lapas=_lapas_filter(request, lapas))
    if date_from:
        entries = entries.filter(due_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(due_at__date__lte=date_to)
    entries = list(sel.entries_in_state(entries, state))
    deadlines = sel.deadlines_for(entries)
    return [_entry(e, deadlines.get(e.pk)) for e in entries]


@router.get(
    "/pnbp/entries/{entry_id}",
    response=EntryDetailOut,
    summary="One ledger entry with its lines",
)
def entry_detail(request, entry_id: int):
    _viewer(request)
    entry = get_object_or_404(sel.entries_for_user(request.user), pk=entry_id)
    data = _entry(entry, sel.pnbp_deadline(due_at=entry.due_at))
    data["lines"] = [
        {
            "line_id": line.line_id,
            "product": line.line.title,
            "workshop_id": line.workshop_id,
            "workshop": line.workshop.name if line.workshop else None,
            "batch_id": line.batch_id,
            "batch": line.batch.code if line.batch else None,
            "quantity": line.quantity,
            "gross": line.gross,
            "premi_amount": line.premi_amount,
        }
        for line in sel.entry_lines(entry=entry)
    ]
    return data


def _deposit(deposit) -> dict:
    return {
        "id": deposit.pk,
        "lapas_id": deposit.lapas_id,
        "lapas": deposit.lapas.name,
        "amount": deposit.amount,
        "status": deposit.status,
        "billing_code": deposit.billing_code,
        "billing_expires_at": deposit.billing_expires_at,
        "ntpn": deposit.ntpn,
        "paid_on": deposit.paid_on,
        "created_at": deposit.created_at,
        "entry_ids": sorted(item.entry_id for item in deposit.items.all()),
    }


@router.get("/pnbp/deposits", response=list[DepositOut], summary="Deposits of my Lapas")
@paginate(BoundedPageNumberPagination, page_size=100)
def deposit_list(request, lapas: str = "", status: str = ""):
    _viewer(request, "view_deposit")
    deposits = sel.deposits_for_user(request.user).prefetch_related("items")
    if lapas:
        deposits = deposits.filter(lapas=_lapas_filter(request, lapas))
    if status:
        deposits = deposits.filter(status=status)
    return [_deposit(d) for d in deposits]


@router.get("/pnbp/deposits/{deposit_id}", response=DepositOut, summary="One deposit")
def deposit_detail(request, deposit_id: int):
    _viewer(request, "view_deposit")
    deposit = get_object_or_404(
        sel.deposits_for_user(request.user).prefetch_related("items"), pk=deposit_id
    )
    return _deposit(deposit)
