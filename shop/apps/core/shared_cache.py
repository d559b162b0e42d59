"""Slow-changing reads that every storefront page repeats, kept in Django's cache.

The header menu (categories, buyer segments, sections), the Wagtail Site of the host,
the paths of private pages and each page's language links change when staff edit the
catalogue tree or the CMS, not when buyers browse; reading them from the database on
every page cost about half of a page's queries (issue 9's budget: 10 per page).

Entries live under a generation token. Any save or delete of a model they are built
from replaces the token (``invalidate``, connected in ``connect_invalidation``), so a
change shows on the next page view in every app process; the orphaned entries expire.
"""

import hashlib
import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction

# Entries of an old generation are never read again; they only need to expire.
TIMEOUT = 24 * 60 * 60


# The tokens read during the current request: a request asks for them many times (rate
# tables, stock locations, menus, ...) and each read is a round trip to the cache. Set up
# when a request starts and dropped when it ends; outside a request every read goes to the
# cache.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.tokens = {}


def _request_finished(**kwargs) -> None:
    _request.tokens = None


request_started.connect(_request_started, dispatch_uid="karya-shared-cache-request-started")
request_finished.connect(_request_finished, dispatch_uid="karya-shared-cache-request-finished")


class Generation:
    """A token in the cache that keys a family of entries: replacing it forgets them all
    at once, in every app process, and the orphans expire by themselves. The page cache
    (shop.apps.core.page_cache) keeps its own family the same way."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> str:
        tokens = getattr(_request, "tokens", None)
        if tokens and self.key in tokens:
            return tokens[self.key]
        token = cache.get(self.key)
        if token is None:
            token = uuid.uuid4().hex
            # add, not set: two processes starting a generation at once agree on one.
            if not cache.add(self.key, token, timeout=None):
                token = cache.get(self.key, token)
        if tokens is not None:
            tokens[self.key] = token
        return token

    def replace(self) -> None:
        token = uuid.uuid4().hex
        cache.set(self.key, token, timeout=None)
        tokens = getattr(_request, "tokens", None)
        if tokens is not None:
            tokens[self.key] = token


SHARED = Generation("karya:shared:generation")


def invalidate() -> None:
    SHARED.replace()


def get_or_compute(name: str, compute, *parts):
    """``compute()``'s value, computed once per generation for ``name`` and ``parts``.
    None is not stored: it is computed again next time."""
    # Parts may be long URL paths; hashed, every key suits every cache backend.
    digest = hashlib.sha256("\x00".join(str(p) for p in parts).encode()).hexdigest()
    key = f"karya:shared:{SHARED.current()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout=TIMEOUT)
    return value


# In-process copies of small reference reads (rate tables, a Lapas's online stock
# locations, payment source types): (generation, value) by name and parts.
_LOCAL: dict = {}


# Set while the current transaction has made rows that the code making them reads back at
# once (a payment source or event type made by the first payment of its kind): until the
# transaction ends they may still be rolled back, so nothing read meanwhile is kept. Rows
# staff edit (rates, locations) are written in a transaction of their own, which reads
# nothing back; the generation moves on at the write and again at the commit.
_uncommitted = threading.local()
MADE_ON_THE_FLY = {("payment", "sourcetype"), ("order", "paymenteventtype")}


def get_local(name: str, compute, *parts):
    """Like ``get_or_compute``, but the value stays in this process, unpickled: for small
    reads a request repeats (shipping rates, stock locations) whose rows change when staff
    edit them. One cache read (the generation) replaces the queries; a change anywhere
    moves the generation and every process reads the rows again."""
    if getattr(_uncommitted, "writes", False):
        if connection.in_atomic_block:
            return compute()
        # That transaction has ended, committed or rolled back.
        _uncommitted.writes = False
    token = SHARED.current()
    key = (name, *parts)
    held = _LOCAL.get(key)
    if held is not None and held[0] == token:
        return held[1]
    value = compute()
    _LOCAL[key] = (token, value)
    return value


def forget_local() -> None:
    """Drop every in-process copy (tests start from a fresh database)."""
    _LOCAL.clear()
    _uncommitted.writes = False


def _committed() -> None:
    _uncommitted.writes = False
    invalidate()


def _on_change(sender, **kwargs):
    invalidate()
    meta = getattr(sender, "_meta", None)
    if (
        meta is not None
        and (meta.app_label, meta.model_name) in MADE_ON_THE_FLY
        and connection.in_atomic_block
    ):
        _uncommitted.writes = True
    # Again once the change is committed: a process that read the rows between the write
    # and the commit stored the old rows under the new generation.
    transaction.on_commit(_committed)


def connect_invalidation() -> None:
    """Invalidate on any write to what the entries are built from (called from
    CmsConfig.ready)."""
    from django.db.models.signals import m2m_changed
    from oscar.core.loading import get_model
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    models = [
        get_model("catalogue", "Category"),
        get_model("catalogue", "Segment"),
        # Product pages show the Lapas's town (catalog.selectors.lapas_town).
        get_model("partner", "Partner"),
        get_model("partner", "PartnerAddress"),
        # Read in-process by checkout and placement (get_local).
        get_model("shipping", "WeightBased"),
        get_model("shipping", "WeightBand"),
        get_model("payment", "SourceType"),
        get_model("order", "PaymentEventType"),
        get_model("address", "Country"),
        get_model("offer", "ConditionalOffer"),
        get_model("voucher", "Voucher"),
        get_model("production_link", "StockLocation"),
        Site,
        Locale,
        PageViewRestriction,
        *concrete_subclasses(Page),
    ]
    connect_writes(models, _on_change, uid="karya-shared-cache")
    groups = PageViewRestriction.groups.through
    m2m_changed.connect(_on_change, sender=groups, dispatch_uid="karya-shared-cache-groups")
    # Moving a page rewrites paths with a queryset update, which sends no post_save.
    post_page_move.connect(_on_change, dispatch_uid="karya-shared-cache-move")
    page_published.connect(_on_change, dispatch_uid="karya-shared-cache-published")
    page_unpublished.connect(_on_change, dispatch_uid="karya-shared-cache-unpublished")


def connect_writes(models, receiver, *, uid: str) -> None:
    """``receiver`` on every save and delete of ``models``. Page types send post_save as
    themselves, not as Page: list each (concrete_subclasses)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-{model._meta.label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-{model._meta.label}")


def concrete_subclasses(model):
    found = [model]
    for sub in model.__subclasses__():
        found += [m for m in concrete_subclasses(sub) if not m._meta.abstract]
    return list(dict.fromkeys(found))
