from django.apps import AppConfig


class BenchdataConfig(AppConfig):
    name = "tests.benchmarks.oscar_baseline.benchdata"
    label = "benchdata"
