"""Reference and demo data kept as data: the YAML files under data/ in the repository.

A small reader with no Django imports, so that modules loaded while the apps are still
being set up (the address form's provinces, the shipping zones) can read their data too.
"""

from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parents[3] / "data"


@lru_cache(maxsize=32)
def data_file(name: str):
    """The parsed content of data/<name> (e.g. "reference/segments.yaml"), read once."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
