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
import uuid

from django.core.cache import cache

# Entries of an old generation are never read again; they only need to expire.
TIMEOUT = 24 * 60 * 60


class Generation:
    """A token in the cache that keys a family of entries: replacing it forgets them all
    at once, in every app process, and the orphans expire by themselves. The page cache
    (shop.apps.core.page_cache) keeps its own family the same way."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> str:
        token = cache.get(self.key)
        if token is None:
            token = uuid.uuid4().hex
            # add, not set: two processes starting a generation at once agree on one.
            if not cache.add(self.key, token, timeout=None):
                token = cache.get(self.key, token)
        return token

    def replace(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)


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


def _on_change(sender, **kwargs):
    invalidate()


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
