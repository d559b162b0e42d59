"""Where a parcel's courier charge comes from: one rate-provider interface, two providers.

* ``ZoneTableRates``, the embedded default: the weight bands of the parcel's zone
  (shipping.models.WeightBased), edited by central staff in the dashboard.
* ``AggregatorRates``: a courier aggregator's rates API (origin and destination postcode,
  weight), modelled on Biteship's ``POST /v1/rates/couriers``. It is used when
  ``KARYA_SHIPPING_RATES_URL`` is set; ``KARYA_SHIPPING_RATES_KEY`` is sent as the
  ``Authorization`` header, ``KARYA_SHIPPING_RATES_COURIERS`` names the couriers asked.

When the aggregator cannot answer (down, slow, an error, no postcode to ask with), the
parcel is charged from the zone table and the reason travels with it, so that staff are
told (shipping.services.rate_fallback_record); the buyer sees one charge either way. After
a failure the aggregator is left alone for ``KARYA_SHIPPING_RATES_RETRY_AFTER`` seconds,
so a dead service does not make every checkout page wait for its timeout.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from oscar.core.loading import get_model

from catalog.pricing import whole_rupiah

logger = logging.getLogger(__name__)

ZONE_TABLE = "zone-table"
AGGREGATOR = "aggregator"
DOWN_CACHE_KEY = "karya:shipping-rates:down"


@dataclass(frozen=True)
class RateRequest:
    """One parcel to price: from a Lapas to the buyer's address."""

    origin_province: str
    origin_postcode: str
    destination_province: str
    destination_postcode: str
    weight_grams: int
    zone: str  # shipping.zones.zone_between of the two provinces


class RateUnavailable(Exception):
    """The provider could not price the parcel; the message says why (for staff)."""


@dataclass(frozen=True)
class RateTable:
    """A zone's weight bands, (upper limit in kg, charge) from the lightest up."""

    bands: tuple

    def charge(self, weight) -> Decimal:
        # Oscar's WeightBased.get_charge, on the bands in memory: the closest band that
        # holds the weight; past the top band, as many top-band parcels as needed.
        weight = Decimal(weight)
        top_limit, top_charge = self.bands[-1]
        if weight <= top_limit:
            return self._band_charge(weight)
        quotient, remaining = divmod(weight, top_limit)
        if remaining:
            return quotient * top_charge + self._band_charge(remaining)
        return quotient * top_charge

    def _band_charge(self, weight) -> Decimal:
        return next(charge for limit, charge in self.bands if limit >= weight)


def rate_tables() -> dict[str, RateTable]:
    """The rate table of each zone that has one with bands, read once per process
    (shared_cache.get_local; a staff edit moves the generation): every checkout step
    prices the parcels."""
    from shop.apps.core.shared_cache import get_local

    def read():
        WeightBased = get_model("shipping", "WeightBased")
        tables = {}
        for table in WeightBased.objects.exclude(zone=None).prefetch_related("bands"):
            bands = sorted((band.upper_limit, band.charge) for band in table.bands.all())
            if bands:
                tables[table.zone] = RateTable(bands=tuple(bands))
        return tables

    return get_local("shipping-rate-tables", read)


class ZoneTableRates:
    identifier = ZONE_TABLE

    def __init__(self):
        self.tables = rate_tables()

    def quote(self, request: RateRequest) -> Decimal | None:
        """The charge, or None when the zone has no rate table: not shipped there."""
        table = self.tables.get(request.zone)
        if table is None:
            return None
        return whole_rupiah(table.charge(Decimal(request.weight_grams) / 1000))


class AggregatorRates:
    identifier = AGGREGATOR

    def __init__(self, *, base_url: str, api_key: str, couriers: str, timeout: float):
        if not base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("KARYA_SHIPPING_RATES_URL must be an http(s) URL.")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.couriers = couriers
        self.timeout = timeout

    def quote(self, request: RateRequest) -> Decimal:
        if not (request.origin_postcode and request.destination_postcode):
            raise RateUnavailable("no postcode for the origin or the destination")
        key = (
            f"karya:shipping-rates:{request.origin_postcode}:{request.destination_postcode}:"
            f"{request.weight_grams}:{self.couriers}"
        )
        remembered = cache.get(key)
        if remembered is not None:
            return Decimal(remembered)
        charge = self._ask(request)
        # Couriers change their prices rarely; a checkout asks several times in minutes.
        cache.set(key, str(charge), 600)
        return charge

    def _ask(self, request: RateRequest) -> Decimal:
        body = {
            "origin_postal_code": _postcode(request.origin_postcode),
            "destination_postal_code": _postcode(request.destination_postcode),
            "couriers": self.couriers,
            "items": [{"name": "Paket", "weight": request.weight_grams, "quantity": 1}],
        }
        http_request = urllib.request.Request(  # noqa: S310 (http(s) only: see __init__)
            f"{self.base_url}/v1/rates/couriers",
            data=json.dumps(body).encode(),
            headers={
                "Authorization": self.api_key,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except urllib.error.HTTPError as error:
            raise RateUnavailable(f"HTTP {error.code}: {_error_text(error)}") from error
        except (OSError, ValueError) as error:  # refused, timed out, not JSON
            raise RateUnavailable(f"{type(error).__name__}: {error}") from error
        prices = []
        for entry in answer.get("pricing") or [] if isinstance(answer, dict) else []:
            try:
                prices.append(Decimal(str(entry["price"])))
            except (KeyError, TypeError, InvalidOperation):
                continue
        prices = [price for price in prices if price > 0]
        if not prices:
            raise RateUnavailable("no courier offers this route")
        # The cheapest regular service of the couriers asked: what a buyer would choose.
        return whole_rupiah(min(prices))


def _postcode(value: str):
    value = (value or "").strip()
    return int(value) if value.isdigit() else value


def _error_text(error) -> str:
    try:
        detail = json.loads(error.read().decode())
        return str(detail.get("error") or detail)[:200]
    except (ValueError, OSError, AttributeError):
        return error.reason or ""


def rate_provider():
    """The provider the environment configures: the aggregator if its URL is set (and it
    has not failed in the last few moments), else the zone table."""
    url = settings.KARYA_SHIPPING_RATES_URL
    if not url or cache.get(DOWN_CACHE_KEY):
        return None
    return AggregatorRates(
        base_url=url,
        api_key=settings.KARYA_SHIPPING_RATES_KEY,
        couriers=settings.KARYA_SHIPPING_RATES_COURIERS,
        timeout=float(settings.KARYA_SHIPPING_RATES_TIMEOUT),
    )


@dataclass(frozen=True)
class Quote:
    charge: Decimal | None
    provider: str
    # Why the aggregator was not used although configured; empty when it was, or when
    # none is configured.
    fallback_reason: str = ""


def quote_parcels(requests: list[RateRequest]) -> list[Quote]:
    """A quote per parcel: the aggregator's when configured and answering, otherwise the
    zone table's with the reason it stood in."""
    aggregator = rate_provider()
    zones = ZoneTableRates()
    quotes = []
    down_reason = ""
    if aggregator is None and settings.KARYA_SHIPPING_RATES_URL:
        down_reason = str(cache.get(DOWN_CACHE_KEY))
    for request in requests:
        if aggregator is not None:
            try:
                quotes.append(Quote(aggregator.quote(request), AGGREGATOR))
                continue
            except RateUnavailable as error:
                down_reason = str(error)
                logger.warning("Courier rates unavailable, zone table used: %s", error)
                if isinstance(error.__cause__, OSError | ValueError):
                    # The service itself failed (HTTPError is an OSError): leave it alone
                    # for a while. A route it does not serve says nothing about the next.
                    retry_after = int(settings.KARYA_SHIPPING_RATES_RETRY_AFTER)
                    cache.set(DOWN_CACHE_KEY, down_reason, retry_after)
                    aggregator = None
        quotes.append(Quote(zones.quote(request), ZONE_TABLE, down_reason))
    return quotes
