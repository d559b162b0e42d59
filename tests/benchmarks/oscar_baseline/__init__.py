"""A stock django-oscar 4.2 shop: the baseline `make bench` measures Karya against."""
