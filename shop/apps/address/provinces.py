"""The 38 provinces of Indonesia, as used on the address form (data/reference/provinces.yaml)."""

from shop.apps.core.datafiles import data_file

PROVINCES = [
    province
    for group in data_file("reference/provinces.yaml")["island_groups"]
    for province in group["provinces"]
]

PROVINCE_CHOICES = [(p, p) for p in PROVINCES]
