"""Reference data for a real install: what every Karya needs before its first product.

Read from the YAML files in data/reference/ (see :mod:`shop.apps.core.datafiles`):
the work-activity standard's classification as the category tree, the product kinds with
the label facts the compliance gate asks of them and their QC checklists (from
production_link/qc/checklists.yaml), buyer segments, PNBP revenue accounts,
a rate table per shipping zone (the provinces and island groups are read by the address
form and the zones directly), and the national public holidays of 2026 and 2027, to be
confirmed by an admin.

Loading adds what is missing and leaves what exists as the admin edited it, so running it
again changes nothing. It creates no users: demo logins come only from load_demo_data,
which builds on this.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from oscar.core.loading import get_model

from catalog import compliance
from production_link.models import PublicHoliday, QcSpecItem
from production_link.qc.services import qc_checklists_load

from .datafiles import data_file

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")
RevenueAccount = get_model("partner", "RevenueAccount")
WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")


@transaction.atomic
def reference_data_load() -> dict[str, int]:
    """Load every reference file; returns how many rows of each kind were created."""
    return {
        "categories": classification_sync(),
        "product kinds": product_kinds_sync(),
        # The kinds' QC checklists (production_link/qc/checklists.yaml), where a kind has none.
        "QC checklist items": qc_checklists_load(),
        "buyer segments": segments_sync(),
        "revenue accounts": revenue_accounts_sync(),
        "shipping zones": shipping_zones_sync(),
        "public holidays": holidays_sync(),
    }


def reference_counts() -> dict[str, int]:
    return {
        "categories": Category.objects.count(),
        "product kinds": ProductClass.objects.count(),
        "QC checklist items": QcSpecItem.objects.filter(product_class__isnull=False).count(),
        "buyer segments": Segment.objects.count(),
        "revenue accounts": RevenueAccount.objects.count(),
        "shipping zones": WeightBased.objects.exclude(zone=None).count(),
        "public holidays": PublicHoliday.objects.count(),
    }


def classification_sync() -> int:
    created = 0
    for node in data_file("reference/classification.yaml"):
        created += _category_sync(node, parent=None)
    return created


def _category_sync(node: dict, *, parent) -> int:
    siblings = parent.get_children() if parent else Category.get_root_nodes()
    category = siblings.filter(slug=node["slug"]).first()
    created = 0
    if category is None:
        values = {
            "name": node["name"],
            "slug": node["slug"],
            "description": node.get("description", ""),
            "is_public": True,
        }
        if parent is None:
            category = Category.add_root(**values)
        else:
            # Re-read the parent: treebeard keeps numchild on the row it was given.
            parent.refresh_from_db()
            category = parent.add_child(**values)
        created = 1
    for child in node.get("children", []):
        created += _category_sync(child, parent=category)
    return created


def product_kinds() -> list[dict]:
    """The product kinds of the data file, checked against the compliance gate: the label
    facts a kind lists must be those the gate asks of a product of that kind."""
    kinds = data_file("reference/product_kinds.yaml")
    for kind in kinds:
        product = Product(
            product_class=ProductClass(
                is_food=kind["is_food"], requires_shipping=kind["requires_shipping"]
            )
        )
        asked = {fact.field for fact in compliance.missing_facts(product)}
        if asked != set(kind["label_requirements"]):
            raise ImproperlyConfigured(
                f"data/reference/product_kinds.yaml: {kind['slug']} lists "
                f"{sorted(kind['label_requirements'])}, the compliance gate asks {sorted(asked)}"
            )
    return kinds


def product_kinds_sync() -> int:
    created = 0
    for kind in product_kinds():
        _, made = ProductClass.objects.get_or_create(
            slug=kind["slug"],
            defaults={
                "name": kind["name"],
                "is_food": kind["is_food"],
                "requires_shipping": kind["requires_shipping"],
                "track_stock": kind["track_stock"],
            },
        )
        created += made
    return created


def segments_sync() -> int:
    created = 0
    for segment in data_file("reference/segments.yaml"):
        _, made = Segment.objects.get_or_create(
            slug=segment["slug"],
            defaults={
                "name": segment["name"],
                "description": segment["description"],
                "ordering": segment["ordering"],
            },
        )
        created += made
    return created


def revenue_accounts_sync() -> int:
    created = 0
    for account in data_file("reference/revenue_accounts.yaml"):
        _, made = RevenueAccount.objects.get_or_create(
            code=account["code"],
            defaults={"name": account["name"], "description": account.get("description", "")},
        )
        created += made
    return created


def shipping_zones_sync() -> int:
    """A rate table per zone with the file's starting rates, for zones that have none."""
    data = data_file("reference/provinces.yaml")
    limits = [Decimal(kg) for kg in range(1, data["band_limit_kg"] + 1)]
    created = 0
    for zone in data["zones"]:
        table, made = WeightBased.objects.get_or_create(
            zone=zone["zone"], defaults={"name": zone["name"], "description": zone["description"]}
        )
        if made:
            WeightBand.objects.bulk_create(
                WeightBand(method=table, upper_limit=kg, charge=Decimal(zone["rupiah_per_kg"]) * kg)
                for kg in limits
            )
            created += 1
    return created


def holidays_sync() -> int:
    created = 0
    for holiday in data_file("reference/holidays.yaml"):
        date = holiday["date"]
        if not isinstance(date, datetime.date):
            date = datetime.date.fromisoformat(str(date))
        _, made = PublicHoliday.objects.get_or_create(
            date=date, defaults={"name": holiday["name"], "confirmed": False}
        )
        created += made
    return created
