"""Reads of the marketing site: page listings, products for blocks and pages, navigation,
language versions, newsletter look-ups and the programme's impact figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Sum
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from catalog.selectors import product_list, segment_list
from production_link.models import Workshop
from shop.apps.core import shared_cache
from shop.apps.order import statuses

from . import tokens

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Line = get_model("order", "Line")

# Paths that search engines have no business in (robots.txt).
ROBOTS_DISALLOW = (
    "/cms/",
    "/admin/",
    "/dashboard/",
    "/basket/",
    "/checkout/",
    "/accounts/",
    "/newsletter/",
    "/en/basket/",
    "/en/checkout/",
    "/en/accounts/",
    "/en/newsletter/",
)


def public_base_url(request=None) -> str:
    """Scheme and host of the public site, e.g. "https://karya.example.id", from Wagtail's
    Site (Settings → Sites in the CMS), so canonical links, sitemaps and e-mails agree."""
    site = site_for_request(request) if request is not None else None
    if site is None:
        site = shared_cache.get_or_compute(
            "default-site", lambda: Site.objects.filter(is_default_site=True).first() or False
        )
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def site_for_request(request):
    """Wagtail's Site for this request's host, as ``Site.find_for_request`` finds it,
    from the shared cache. It is left on the request where Wagtail looks first, so
    Wagtail's own look-ups in this request cost no query either."""
    if not hasattr(request, "_wagtail_site"):
        from django.http.request import split_domain_port

        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        # False stands for "no site": the cache cannot tell a stored None from a miss.
        site = shared_cache.get_or_compute(
            "site", lambda: Site._find_for_request(request) or False, hostname, port
        )
        request._wagtail_site = site or None
    return request._wagtail_site


# --- Page listings


def restricted_paths() -> list[str]:
    """Tree paths of the pages with a view restriction (private sections), cached."""
    from wagtail.models import PageViewRestriction

    return shared_cache.get_or_compute(
        "restricted-paths",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


def public(qs):
    """``qs.public()`` without its query for the view restrictions on every call (a
    page asked it up to eight times): the restricted paths come from the cache."""
    for path in restricted_paths():
        qs = qs.exclude(path__startswith=path)
    return qs


def is_under_restriction(page) -> bool:
    return any(page.path.startswith(path) for path in restricted_paths())


def descendant_for_path(page, path_components) -> Page | None:
    """The specific page at ``path_components`` under ``page``, as Wagtail's routing
    finds it slug by slug, in one query: where the url_path leads is cached."""
    return _page_at(page.url_path + "/".join(path_components) + "/")


def route_for_request(request, path: str) -> None:
    """Find the page Wagtail serves for ``path`` (the site's home page in the active
    language, then the path below it) with cached look-ups and one query for the page
    itself, and leave the result where ``Page.route_for_request`` looks first.

    Wagtail would look up the Site, the active Locale, the home page's translation and
    its specific row, then two queries per level of the path. Where no page is found,
    nothing is left on the request and Wagtail routes as usual (and answers 404).
    """
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = site_for_request(request)
    if site is None:
        return
    language = get_language()

    def home_url_path():
        return site.root_page.localized.url_path

    root = shared_cache.get_or_compute("home-url-path", home_url_path, site.pk, language)
    components = [c for c in path.split("/") if c]
    page = _page_at(root + "".join(f"{c}/" for c in components))
    if page is None:
        return
    from django.http import Http404

    try:
        request._wagtail_route_for_request = page.route(request, [])
    except Http404:
        request._wagtail_route_for_request = None


def _page_at(url_path: str) -> Page | None:
    from django.contrib.contenttypes.models import ContentType

    def locate():
        found = Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id")
        return found.first()

    # A miss (None, a 404) is not cached: unknown paths must not fill the cache.
    target = shared_cache.get_or_compute("route", locate, url_path)
    if not target:
        return None
    pk, content_type_id = target
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model.objects.filter(pk=pk).first() if model is not None else None


def _live(model, locale):
    return public(model.objects.live().filter(locale=locale))


def page_breadcrumbs(page) -> list:
    """The page's ancestors from the home page down, for the breadcrumb trail (and its
    JSON-LD); cached, as the tree changes only when editors change it."""
    if page.depth <= 2:
        return []
    return shared_cache.get_or_compute(
        "breadcrumbs",
        lambda: list(page.get_ancestors().filter(depth__gte=2).specific(defer=True)),
        page.pk,
    )


def first_page_of_type(model, locale):
    return _live(model, locale).order_by("path").first()


def children_of_type(page, model) -> list:
    return list(public(model.objects.child_of(page).live()).order_by("title"))


def segment_pages(*, locale) -> list:
    from .models import SegmentPage

    return list(_live(SegmentPage, locale).order_by("path"))


def workshop_stories(*, locale, limit: int) -> list:
    from .models import WorkshopStoryPage

    return list(
        _live(WorkshopStoryPage, locale)
        .select_related("image", "workshop__lapas")
        .order_by("-first_published_at")[:limit]
    )


def exhibitions_upcoming(*, locale, parent=None, limit: int | None = None) -> list:
    """Exhibitions that have not ended yet (so also the ones open today), soonest first."""
    from .models import ExhibitionPage

    qs = _live(ExhibitionPage, locale).filter(end_date__gte=timezone.localdate())
    if parent is not None:
        qs = qs.child_of(parent)
    qs = qs.select_related("image").order_by("start_date", "path")
    return list(qs[:limit] if limit else qs)


def exhibitions_past(*, locale, parent=None, limit: int = 24) -> list:
    from .models import ExhibitionPage

    qs = _live(ExhibitionPage, locale).filter(end_date__lt=timezone.localdate())
    if parent is not None:
        qs = qs.child_of(parent)
    return list(qs.select_related("image").order_by("-start_date", "path")[:limit])


def articles_latest(*, locale, limit: int) -> list:
    from .models import ArticlePage

    return list(_live(ArticlePage, locale).select_related("image").order_by("-date", "-pk")[:limit])


def articles_page(*, parent, page_number, per_page: int):
    from .models import ArticlePage

    qs = public(ArticlePage.objects.child_of(parent).live()).select_related("image")
    qs = qs.order_by("-date", "-pk")
    paginator = Paginator(qs, per_page)
    try:
        return paginator.page(page_number or 1)
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(1)


# --- Products on pages
#
# Every function returns a list evaluated with what a product card needs prefetched
# (catalog.selectors), so a page costs a fixed number of queries.


def products_for_grid(*, category=None, segment_slug: str = "", limit: int = 8, sort="newest"):
    """Products of a category and/or a buyer segment (catalog's Segment, by slug); with
    both, products that are in the category and aimed at the segment."""
    qs = product_list(category=category, segment=segment_slug or None, sort=sort)
    return list(qs[: max(1, min(limit, 24))])


def segment_exists(slug: str) -> bool:
    return segment_list().filter(slug=slug).exists()


def segment_unknown_message(slug: str) -> str:
    from django.utils.translation import gettext

    known = ", ".join(segment_list().values_list("slug", flat=True)) or "-"
    return gettext("The catalogue has no buyer segment “%(slug)s”. Known segments: %(known)s.") % {
        "slug": slug,
        "known": known,
    }


def home_sections(*, home) -> dict:
    """``home.sections()`` (segment pages, stories, exhibitions, news and the index
    pages), cached: they change when editors publish, and the upcoming exhibitions when
    the date does."""
    return shared_cache.get_or_compute(
        "home-sections", home.sections, home.pk, timezone.localdate().isoformat()
    )


def workshop_for_page(workshop_id):
    if workshop_id is None:
        return None
    return Workshop.objects.select_related("lapas", "field_of_work").filter(pk=workshop_id).first()


def workshop_products(*, workshop, limit: int) -> list:
    if workshop is None:
        return []
    return list(product_list().filter(workshop=workshop)[:limit])


def lapas_products(*, lapas, limit: int) -> list:
    if lapas is None:
        return []
    return list(product_list().filter(workshop__lapas=lapas)[:limit])


def lapas_workshops(*, lapas, page) -> list[dict]:
    """The Lapas's active workshops, each with its story page under ``page`` if any."""
    if lapas is None:
        return []
    from .models import WorkshopStoryPage

    stories = {
        story.workshop_id: story
        for story in public(WorkshopStoryPage.objects.child_of(page).live())
    }
    workshops = Workshop.objects.filter(lapas=lapas, is_active=True).select_related("field_of_work")
    return [{"workshop": w, "story": stories.get(w.pk)} for w in workshops]


# --- Navigation and languages


def navigation(*, request, language_code: str) -> dict:
    """The header menu in the visitor's language: categories (catalog.selectors),
    segments and sections (``nav_pages``), from the shared cache."""
    from catalog.selectors import category_menu

    def compute():
        return {
            "categories": category_menu(),
            **nav_pages(request=request, language_code=language_code),
        }

    return shared_cache.get_or_compute("navigation", compute, language_code, request.get_host())


def nav_pages(*, request, language_code: str) -> dict:
    """The header menu's entries in the visitor's language.

    ``segments``: every buyer segment of the catalogue, linked to its landing page when
    one is published in this language, else to the catalogue's segment listing; then
    landing pages whose segment the catalogue does not know (yet).
    ``sections``: the other pages directly under the home page marked "show in menus".
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import SegmentPage

    segment_type = ContentType.objects.get_for_model(SegmentPage).pk
    sections = list(
        Page.objects.live()
        .in_menu()
        .filter(depth=3, locale__language_code=language_code)
        .exclude(content_type_id=segment_type)
        .order_by("path")
    )
    landing = list(
        SegmentPage.objects.live()
        .filter(depth=3, locale__language_code=language_code)
        .order_by("path")
    )
    by_slug = {p.segment_slug: p for p in landing if p.segment_slug}
    segments, used = [], set()
    for segment in segment_list():
        page = by_slug.get(segment.slug)
        if page is not None:
            used.add(page.pk)
            segments.append({"title": page.title, "url": page.get_url(request)})
        else:
            segments.append({"title": segment.name, "url": segment.get_absolute_url()})
    segments += [
        {"title": p.title, "url": p.get_url(request)}
        for p in landing
        if p.pk not in used and p.show_in_menus
    ]
    return {"segments": segments, "sections": sections}


def page_language_links(*, page, request) -> list[dict]:
    """Each language's version of ``page``: its translation if published, else the home
    page in that language, else the same path in that language (cached per page)."""
    return shared_cache.get_or_compute(
        "language-links",
        lambda: _page_language_links(page=page, request=request),
        page.pk,
        get_language(),
        request.get_host(),
    )


def _page_language_links(*, page, request) -> list[dict]:
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    homes = None
    links = []
    current = get_language()
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is None:
            if homes is None:
                site = site_for_request(request)
                root = site.root_page if site is not None else None
                homes = (
                    {
                        p.locale.language_code: p
                        for p in root.get_translations(inclusive=True)
                        .live()
                        .select_related("locale")
                    }
                    if root is not None
                    else {}
                )
            target = homes.get(code)
        url = target.get_url(request) if target else translate_url(request.path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "active": code == current,
                "url": url,
                "is_translation": code in translations,
            }
        )
    return links


# --- Newsletter


def subscriber_for_token(*, token: str, purpose: str):
    from .models import Subscriber

    data = tokens.subscriber_token_load(token=token, purpose=purpose)
    if data is None:
        return None
    return Subscriber.objects.filter(pk=data["id"], email=data["email"]).first()


def subscribers_confirmed():
    from .models import Subscriber

    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("confirmed_at")


# --- Impact figures
#
# Counted from the shop's own data and kept in the cache; the Celery task
# cms.tasks.impact_figures_refresh (shop/celery.py beat_schedule) recomputes them. A page
# never computes them, except once when the cache is cold (after a deploy or a cache
# flush): the first request under a short lock computes and stores them; requests that
# meet the lock render without figures rather than queue up behind it.

IMPACT_CACHE_KEY = "cms:impact-figures:v1"
IMPACT_LOCK_KEY = "cms:impact-figures:lock"
IMPACT_LOCK_SECONDS = 60
# Orders whose goods count as sold: paid, whatever happened to them after.
SOLD_STATUSES = (
    statuses.PAID,
    statuses.BEING_PREPARED,
    statuses.SHIPPED,
    statuses.READY_FOR_PICKUP,
    statuses.COMPLETED,
)


def _batches_produced() -> int | None:
    """Production batches that passed QC and went on sale (production_link)."""
    from production_link.selectors import batches_released_count

    return batches_released_count()


def _pnbp_deposited(*, year: int) -> Decimal | None:
    """PNBP paid into the state treasury in ``year`` (deposits with an NTPN), summed from
    the immutable ledger entries. None, so the figure is not shown, until something has
    been deposited that year: "Rp0 deposited" would say nothing true about the programme.
    """
    from production_link.pnbp.selectors import pnbp_deposited_total

    total = pnbp_deposited_total(year=year)
    return total if total > 0 else None


def _training(*, year: int) -> dict:
    """Courses run by the workshops in ``year``: participants and certificates, in total
    and by kind of issuer (production_link.training). Counts, never names."""
    from production_link.training.selectors import training_public_figures

    return training_public_figures(year=year)


def impact_figures_compute() -> dict:
    """The figures, counted now. A handful of aggregate queries, whatever the data size."""
    year = timezone.localdate().year
    training = _training(year=year)
    sold = Line.objects.filter(order__status__in=SOLD_STATUSES).aggregate(n=Sum("quantity"))
    pnbp = _pnbp_deposited(year=year)
    return {
        "products_sold": sold["n"] or 0,
        "products_on_offer": Product.objects.browsable().count(),
        "workshops": Workshop.objects.filter(is_active=True).count(),
        "lapas": Partner.objects.filter(workshops__is_active=True).distinct().count(),
        "batches_produced": _batches_produced(),
        "pnbp_deposited": None if pnbp is None else str(pnbp),
        # None while nothing is recorded this year, so the figure is not shown as 0.
        "training_participants": training["participants"] or None,
        "certificates_issued": training["certified"] or None,
        "training_by_issuer": training["by_issuer"],
        "year": year,
        "computed_at": timezone.now().isoformat(),
    }


@dataclass(frozen=True)
class ImpactFigure:
    key: str
    value: object
    label: str
    is_money: bool = False


@dataclass(frozen=True)
class ImpactFigures:
    figures: list[ImpactFigure]
    year: int
    computed_at: str
    # Courses, participants and certificates of the year by kind of issuer (BNSP/LSP,
    # BLK, …): dicts with "issuer" (its label), "courses", "participants", "certified".
    training_by_issuer: tuple = ()

    def __iter__(self):
        return iter(self.figures)

    def __len__(self):
        return len(self.figures)


def _impact_from_data(data: dict) -> ImpactFigures:
    labels = [
        ("products_sold", _("products sold"), False),
        ("batches_produced", _("production batches released"), False),
        ("workshops", _("workshops taking part"), False),
        ("lapas", _("Lapas taking part"), False),
        ("products_on_offer", _("products on offer"), False),
        ("pnbp_deposited", _("PNBP deposited this year"), True),
        ("training_participants", _("people trained in the workshops this year"), False),
        ("certificates_issued", _("skills certificates issued this year"), False),
    ]
    figures = []
    for key, label, is_money in labels:
        value = data.get(key)
        if value is None:
            continue  # the source of this figure is not there yet
        figures.append(
            ImpactFigure(
                key=key, value=Decimal(value) if is_money else value, label=label, is_money=is_money
            )
        )
    from production_link.training.models import TrainingCourse

    issuers = dict(TrainingCourse.Issuer.choices)
    training = tuple(
        {**row, "issuer": issuers[row["issuer_kind"]]}
        for row in data.get("training_by_issuer", ())
        if row.get("issuer_kind") in issuers
    )
    return ImpactFigures(
        figures=figures,
        year=data["year"],
        computed_at=data["computed_at"],
        training_by_issuer=training,
    )


def impact_figures() -> ImpactFigures | None:
    """The cached figures; on a cold cache, computed once and stored (see above)."""
    data = cache.get(IMPACT_CACHE_KEY)
    if data is None:
        if not cache.add(IMPACT_LOCK_KEY, 1, timeout=IMPACT_LOCK_SECONDS):
            return None
        try:
            data = impact_figures_compute()
            cache.set(IMPACT_CACHE_KEY, data, timeout=None)
        finally:
            cache.delete(IMPACT_LOCK_KEY)
    return _impact_from_data(data)
