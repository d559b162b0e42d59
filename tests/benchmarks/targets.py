"""Where the bench's products and categories live in one shop: run with that shop's settings.

    python -m tests.benchmarks.targets '{"upcs": [...], "categories": [["Industri", "Batik"]]}'

Prints one JSON line: {"products": {upc: [path, id]}, "categories": [path, ...]}. Both
shops hold the same catalogue (same UPCs and category names), under their own ids and URLs.
"""

import json
import sys

from .client import django_setup, emit


def main(spec: dict) -> dict:
    django_setup()
    from oscar.core.loading import get_model

    product_model = get_model("catalogue", "Product")
    category_model = get_model("catalogue", "Category")

    products = {
        p.upc: [p.get_absolute_url(), p.pk]
        for p in product_model.objects.filter(upc__in=spec["upcs"])
    }
    missing = set(spec["upcs"]) - set(products)
    if missing:
        raise SystemExit(f"products not found: {sorted(missing)[:5]}")

    categories = []
    for names in spec["categories"]:
        candidates = category_model.objects.filter(name=names[-1])
        found = next(
            c for c in candidates if [a.name for a in c.get_ancestors_and_self()] == list(names)
        )
        categories.append(found.get_absolute_url())
    return {"products": products, "categories": categories}


if __name__ == "__main__":
    emit(main(json.loads(sys.argv[1])))
