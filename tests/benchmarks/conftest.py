# The benchmark's servers (tests/benchmarks/oscar_baseline, tests/benchmarks/floor) have
# their own Django settings: pytest must never import them while collecting Karya's tests.
# The exporter's tests live in tests/benchmarks_support instead.
collect_ignore_glob = ["*"]
