"""`make bench`: Karya against a stock django-oscar shop on the same data, side by side.

Run through scripts/with-services.sh, which provides a throwaway PostgreSQL and Redis
(DATABASE_URL, REDIS_URL). The steps:

1. Karya: migrate a database of its own and seed it (`seed_catalog`: N products, M Lapas,
   PNBP ledger entries for the report).
2. The stock Oscar shop (tests/benchmarks/oscar_baseline): migrate its own database and load
   the same catalogue, exported from Karya (same products, categories, prices, stock and
   image files), then index it with Whoosh.
3. Serve Karya, the stock shop and the bare Django floor (tests/benchmarks/floor) each with
   gunicorn, 2 sync workers, DEBUG off, on loopback; warm them up.
4. Drive Karya and Oscar in turn, A B A B, with wrk at 8 connections for each scenario;
   the floor twice. Karya alone: 500 offline POS sales synced, the monthly PNBP report.
5. Print the table and write it to tests/benchmarks/results/ as markdown and JSON.

Options: `--products`, `--lapas`, `--duration` (seconds per run), `--orders` (buyers per
place-order run); see --help. Everything it makes lives in var/bench/.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from . import checkout, insight, report
from .client import Client

BASE_DIR = Path(__file__).resolve().parents[2]
WORK = BASE_DIR / "var" / "bench"
RESULTS = BASE_DIR / "tests" / "benchmarks" / "results"
REPLAY = BASE_DIR / "tests" / "benchmarks" / "wrk" / "replay.lua"
PYTHON = sys.executable
CLIENTS = 8
WORKERS = 2
HOT_UPC = "SEED-HOT-0001"
# Cache bypass for the "rendered" probes and rows: Karya's bench settings name this cookie
# KARYA_PAGE_CACHE_BYPASS_COOKIE, and its page caches render the page for whoever sends it
# (a session or basket cookie no longer does: such visitors get the shared copy too).
RENDER_COOKIE = "karya_bench_render=1"
BUYER_EMAIL = "pembeli.masuk@example.test"
BUYER_PASSWORD = "bench-Buyer-pass-2026"


def log(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", flush=True)


# --- Databases and projects --------------------------------------------------------------


def _dsn(url: str, database: str | None = None) -> str:
    parts = urllib.parse.urlsplit(url.replace("postgres://", "postgresql://", 1))
    if database is not None:
        parts = parts._replace(path=f"/{database}")
    return urllib.parse.urlunsplit(parts)


def _redis(url: str, db: int) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))


def create_database(server_url: str, name: str) -> str:
    with psycopg.connect(_dsn(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _dsn(server_url, name)


@dataclass
class Project:
    name: str
    label: str
    settings: str
    wsgi: str
    env: dict
    database: str | None = None
    port: int = 0
    process: subprocess.Popen | None = None
    rss: list = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: int = 1800) -> float:
        started = time.perf_counter()
        command = [PYTHON, "-m", "django", *args]
        result = subprocess.run(
            command, cwd=BASE_DIR, env=self.env, timeout=timeout, capture_output=True, text=True
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
            raise SystemExit(f"{self.label}: {' '.join(args)} failed")
        return time.perf_counter() - started

    def module(self, module: str, *args: str, timeout: int = 900) -> dict:
        """Run one of the bench's drivers; it prints one JSON line last."""
        result = subprocess.run(
            [PYTHON, "-m", module, *args],
            cwd=BASE_DIR,
            env=self.env,
            timeout=timeout,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
            raise SystemExit(f"{self.label}: {module} failed")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def sql(self, query: str, params=()) -> list:
        """Rows of a query, or [] for a statement that returns none (committed)."""
        with psycopg.connect(self.database) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description is not None else []

    # --- gunicorn

    def serve(self, port: int, ready_path: str) -> None:
        self.port = port
        log_file = open(WORK / f"gunicorn-{self.name}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
                self.wsgi,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = Client(self.base_url, timeout=5).get(ready_path)
                if answer.status < 500 and len(self.workers()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{self.label} did not start; see {log_file.name}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def memory(self) -> dict:
        """Resident memory of each worker now (VmRSS) and at its peak (VmHWM), in MB."""
        now, peak = [], []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            now.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
            peak.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return {"rss_mb": max(now), "peak_mb": max(peak)}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def projects(server_url: str, redis_url: str) -> dict[str, Project]:
    common = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(WORK / "media"),
        "PYTHONHASHSEED": "0",
    }
    common.pop("DJANGO_SETTINGS_MODULE", None)
    return {
        "karya": Project(
            name="karya",
            label="Karya",
            settings="tests.benchmarks.karya_settings",
            wsgi="shop.wsgi:application",
            env={
                **common,
                "DJANGO_SETTINGS_MODULE": "tests.benchmarks.karya_settings",
                "REDIS_URL": _redis(redis_url, 1),
            },
        ),
        "oscar": Project(
            name="oscar",
            label="Stock Oscar",
            settings="tests.benchmarks.oscar_baseline.settings",
            wsgi="tests.benchmarks.oscar_baseline.wsgi:application",
            env={
                **common,
                "DJANGO_SETTINGS_MODULE": "tests.benchmarks.oscar_baseline.settings",
                "REDIS_URL": _redis(redis_url, 2),
                "BASELINE_WHOOSH_PATH": str(WORK / "whoosh"),
            },
        ),
        "floor": Project(
            name="floor",
            label="Django floor",
            settings="tests.benchmarks.floor.settings",
            wsgi="tests.benchmarks.floor.wsgi:application",
            env={**common, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.floor.settings"},
        ),
    }


# --- What is asked for ---------------------------------------------------------------------


@dataclass
class Targets:
    """The same products, categories and words in both shops (found by UPC and name)."""

    products: dict  # shop -> list of (path, id)
    categories: dict  # shop -> list of paths
    words: list
    race_upc: str
    race_stock: int
    # Goods of two Lapas other than the hot product's, for baskets from three Lapas: per
    # shop, two lists of (path, id).
    split_pools: dict = field(default_factory=dict)


STOPWORDS = {"dengan", "untuk", "yang", "dari", "isi", "ukuran", "kelas"}


def choose_targets(export: dict, shops: dict[str, Project], seed: int) -> Targets:
    rng = random.Random(seed)
    buyable = [
        p
        for p in export["products"]
        if p["stockrecords"]
        and p["stockrecords"][0]["num_in_stock"] - p["stockrecords"][0]["num_allocated"] >= 5
        and p["upc"] != HOT_UPC
    ]
    classes = {c["slug"]: c for c in export["product_classes"]}
    buyable = [p for p in buyable if classes[p["product_class"]]["track_stock"]]
    chosen = rng.sample(buyable, min(40, len(buyable)))
    upcs = [p["upc"] for p in chosen]

    # The race: one product with a few dozen units, bought by more buyers than it has.
    race = next(
        p
        for p in sorted(buyable, key=lambda p: p["upc"])
        if 20 <= p["stockrecords"][0]["num_in_stock"] <= 60 and p["upc"] not in upcs
    )

    per_category = Counter(tuple(path) for p in export["products"] for path in p["categories"])
    leaf_paths = [list(path) for path, _count in per_category.most_common(5)]

    words = Counter(
        word
        for p in export["products"]
        for word in re.findall(r"[a-z]{4,}", p["title"].lower())
        if word not in STOPWORDS
    )
    search_words = [word for word, _count in words.most_common(6)]

    products, categories = {}, {}
    for key in ("karya", "oscar"):
        found = shops[key].module(
            "tests.benchmarks.targets",
            json.dumps({"upcs": upcs, "categories": leaf_paths}),
        )
        products[key] = [tuple(found["products"][upc]) for upc in upcs]
        categories[key] = [found["categories"][i] for i in range(len(leaf_paths))]
    # Baskets from three Lapas: the hot product beside goods of the two other Lapas with
    # the most products in stock (each buyer takes one unit of the next one of each).
    hot_lapas = next(
        p["stockrecords"][0]["partner"] for p in export["products"] if p["upc"] == HOT_UPC
    )
    by_lapas: dict = {}
    for p in sorted(buyable, key=lambda p: p["upc"]):
        lapas = p["stockrecords"][0]["partner"]
        if lapas != hot_lapas and p["stockrecords"][0]["num_in_stock"] >= 10:
            by_lapas.setdefault(lapas, []).append(p["upc"])
    pools = sorted(by_lapas.values(), key=len, reverse=True)[:2]
    pools = [pool[:60] for pool in pools]
    split_pools = {}
    if len(pools) == 2:
        for key in ("karya", "oscar"):
            found = shops[key].module(
                "tests.benchmarks.targets",
                json.dumps({"upcs": pools[0] + pools[1], "categories": []}),
            )
            split_pools[key] = [[tuple(found["products"][upc]) for upc in pool] for pool in pools]
    return Targets(
        products=products,
        categories=categories,
        words=search_words,
        race_upc=race["upc"],
        race_stock=race["stockrecords"][0]["num_in_stock"],
        split_pools=split_pools,
    )


def signed_in_cookie(shop: Project, product: tuple[str, int]) -> str:
    """The cookies of a buyer signed in through the shop's login form, with one product in
    the basket: what the signed-in scenarios send with every request."""
    shop.module(
        "tests.benchmarks.buyer", json.dumps({"email": BUYER_EMAIL, "password": BUYER_PASSWORD})
    )
    client = Client(shop.base_url)
    client.login(email=BUYER_EMAIL, password=BUYER_PASSWORD)
    path, pk = product
    client.get(path)
    answer = client.post_form(
        f"/basket/add/{pk}/", {"csrfmiddlewaretoken": client.csrf_token, "quantity": "1"}
    )
    if answer.status != 302:
        raise SystemExit(f"{shop.label}: the signed-in buyer's add to basket: {answer.status}")
    return "; ".join(f"{c.name}={c.value}" for c in client.cookies)


def signed_in_scenarios(targets: Targets, cookies: dict) -> list[dict]:
    """Issue 21: a signed-in buyer with a basket, on the listing and on product pages."""
    listing = ["/catalogue/", *[f"/catalogue/?page={n}" for n in range(2, 6)]]
    return [
        {
            "name": "catalogue listing, signed-in buyer with a basket",
            "key": "listing_signed_in",
            "paths": dict.fromkeys(("karya", "oscar"), listing),
            "cookie": cookies,
        },
        {
            "name": "product page, signed-in buyer with a basket",
            "key": "product_signed_in",
            "paths": {
                shop: [path for path, _pk in items] for shop, items in targets.products.items()
            },
            "cookie": cookies,
        },
    ]


def page_scenarios(targets: Targets) -> list[dict]:
    """GET scenarios: name -> per-shop list of paths (plus a cookie for rendered rows)."""
    listing = ["/catalogue/", *[f"/catalogue/?page={n}" for n in range(2, 6)]]
    search = [f"/search/?q={word}" for word in targets.words]
    # Search narrowed by facets (issue 22): stock Oscar's search has none, so its row
    # replays its plain search for reference.
    faceted = [f"/search/?in_stock=1&q={word}" for word in targets.words] + [
        f"/search/?food=0&price=50000-100000&q={word}" for word in targets.words
    ]
    return [
        {
            "name": "catalogue listing",
            "key": "listing",
            "paths": dict.fromkeys(("karya", "oscar"), listing),
        },
        {"name": "category page", "key": "category", "paths": targets.categories},
        {
            "name": "product page",
            "key": "product",
            "paths": {
                shop: [path for path, _pk in items] for shop, items in targets.products.items()
            },
        },
        {
            "name": "search results",
            "key": "search",
            "paths": dict.fromkeys(("karya", "oscar"), search),
        },
        {
            # Stock Oscar has no home page: its "/" redirects to the catalogue, which is
            # what its visitors land on.
            "name": "home page (Wagtail; Oscar: /catalogue/)",
            "key": "home",
            "paths": {"karya": ["/"], "oscar": ["/catalogue/"]},
        },
        {
            "name": "catalogue listing, rendered (Karya's page cache bypassed)",
            "key": "listing_rendered",
            "paths": dict.fromkeys(("karya", "oscar"), listing),
            "cookie": {"karya": RENDER_COOKIE, "oscar": ""},
        },
        {
            "name": "search with facets",
            "key": "search_facets",
            "paths": {"karya": faceted, "oscar": search},
        },
        {
            "name": "search with facets, rendered (Karya's page cache bypassed)",
            "key": "search_facets_rendered",
            "paths": {"karya": faceted, "oscar": search},
            "cookie": {"karya": RENDER_COOKIE, "oscar": ""},
        },
    ]


# --- wrk ---------------------------------------------------------------------------------------


def wrk(project: Project, lines: list[str], *, duration: float, once: bool = False) -> dict:
    requests_file = WORK / f"requests-{project.name}.tsv"
    requests_file.write_text("\n".join(lines) + "\n")
    command = [
        "wrk",
        "-t1",
        f"-c{CLIENTS}",
        f"-d{int(duration)}s",
        "--timeout",
        "30s",
        "-s",
        str(REPLAY),
        project.base_url,
        "--",
        str(requests_file),
        *(["once"] if once else []),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=WORK)
    summary = None
    for line in process.stdout:
        if line.startswith("ALL-ANSWERED"):
            # Every buyer has had their answer: end the run now (wrk would sleep on).
            process.send_signal(signal.SIGINT)
        elif line.startswith("WRK-JSON "):
            summary = json.loads(line[len("WRK-JSON ") :])
    process.wait()
    if summary is None:
        raise SystemExit(f"wrk printed no summary for {project.label}")
    seconds = summary["duration_us"] / 1e6
    errors = sum(summary["errors"].values())
    return {
        "requests": summary["requests"],
        "seconds": round(seconds, 3),
        "rps": round(summary["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": summary["latency_us"]["p50"] / 1000,
        "p95_ms": summary["latency_us"]["p95"] / 1000,
        "p99_ms": summary["latency_us"]["p99"] / 1000,
        "server_p50_ms": summary["server_ms"]["p50"],
        "server_p95_ms": summary["server_ms"]["p95"],
        "statuses": summary["statuses"],
        "errors": errors,
    }


def get_lines(paths: list[str], cookie: str = "") -> list[str]:
    return [f"GET\t{path}\t{cookie}\t" for path in paths]


def probe_queries(project: Project, paths: list[str], cookie: str = "") -> int | None:
    """Queries of one request as the load generator sends it (median over the paths)."""
    counts = []
    for path in paths[:5]:
        client = Client(project.base_url)
        response = client.request("GET", path, headers={"Cookie": cookie} if cookie else None)
        if response.queries is not None:
            counts.append(response.queries)
    return int(statistics.median(counts)) if counts else None


def merge(runs: list[dict]) -> dict:
    """Rounds of one scenario and shop: throughput over the total time, worst percentiles."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    return {
        "rounds": runs,
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p95_ms": round(max(r["p95_ms"] for r in runs), 2),
        "server_p50_ms": round(statistics.median(r["server_p50_ms"] for r in runs), 2),
        "server_p95_ms": round(max(r["server_p95_ms"] for r in runs), 2),
        "errors": sum(r["errors"] for r in runs),
    }


# --- The run -------------------------------------------------------------------------------


def setup(args, shops: dict[str, Project], server_url: str) -> dict:
    timings = {}
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "media").mkdir(parents=True)

    karya, oscar = shops["karya"], shops["oscar"]
    karya.database = create_database(server_url, "karya_bench")
    karya.env["DATABASE_URL"] = karya.database
    oscar.database = create_database(server_url, "oscar_bench")
    oscar.env["DATABASE_URL"] = oscar.database

    log("Karya: migrate")
    timings["karya_migrate_s"] = karya.manage("migrate", "--noinput")
    log(f"Karya: seed_catalog --products {args.products} --lapas {args.lapas} --seed {args.seed}")
    timings["seed_catalog_s"] = karya.manage(
        "seed_catalog",
        "--products",
        str(args.products),
        "--lapas",
        str(args.lapas),
        "--seed",
        str(args.seed),
        "--ledger-entries",
        str(args.ledger_entries),
    )
    log(f"  seeded in {timings['seed_catalog_s']:.0f} s")

    export = WORK / "catalog.json"
    log("Karya: export the catalogue for the stock shop")
    subprocess.run(
        [PYTHON, "-m", "tests.benchmarks.export_catalog", str(export)],
        cwd=BASE_DIR,
        env=karya.env,
        check=True,
    )
    log("Stock Oscar: migrate, load the same catalogue, build its Whoosh index")
    timings["oscar_migrate_s"] = oscar.manage("migrate", "--noinput")
    timings["oscar_load_s"] = oscar.manage("load_karya_catalog", str(export))
    return timings


def warm_up(project: Project, paths: list[str]) -> None:
    client = Client(project.base_url)
    for _ in range(2):
        for path in paths:
            client.get(path)
    # A short run of the same mix, so both workers have served everything.
    wrk(project, get_lines(paths), duration=3)


def run(args) -> dict:
    server_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not server_url or not redis_url:
        raise SystemExit("Run through scripts/with-services.sh (needs DATABASE_URL and REDIS_URL)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk (make bench installs it)")

    shops = projects(server_url, redis_url)
    karya, oscar, floor = shops["karya"], shops["oscar"], shops["floor"]
    timings = setup(args, shops, server_url)
    export = json.loads((WORK / "catalog.json").read_text())
    targets = choose_targets(export, shops, args.seed)

    results: dict = {
        "meta": {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "products": len(export["products"]),
            "lapas": args.lapas,
            "seed": args.seed,
            "duration_s": args.duration,
            "clients": CLIENTS,
            "workers": WORKERS,
            "cpus": os.cpu_count(),
            "setup_s": {k: round(v, 1) for k, v in timings.items()},
        },
        "scenarios": [],
    }
    # Card payments go to a local fake of Stripe's API (the one the tests use): Stripe
    # cannot be reached from here, and a bench must not depend on the network anyway.
    from tests.fakes.stripe_server import SECRET_KEY, FakeStripe

    stripe = FakeStripe().start()
    karya.env.update(
        # The key the fake accepts: with any other it answers 401, as Stripe does, and
        # no card checkout was placed (the card row once showed 0 orders).
        STRIPE_SECRET_KEY=SECRET_KEY,
        STRIPE_PUBLISHABLE_KEY="pk_test_bench",
        STRIPE_API_BASE=stripe.url,
    )
    # Every Lapas has its connected account, so card is offered for any basket.
    karya.sql("UPDATE partner_partner SET stripe_account_id = 'acct_bench' || id")
    for (account,) in karya.sql("SELECT stripe_account_id FROM partner_partner"):
        stripe.connect_account(account)
    try:
        karya.serve(args.port, "/healthz")
        oscar.serve(args.port + 1, "/catalogue/")
        floor.serve(args.port + 2, "/")
        scenarios = page_scenarios(targets)
        if args.only:
            scenarios = [s for s in scenarios if s["key"] in args.only]
        if not args.only or {"listing_signed_in", "product_signed_in"} & set(args.only):
            log("Signed-in buyers with a basket")
            cookies = {
                shop.name: signed_in_cookie(shop, targets.products[shop.name][-1])
                for shop in (karya, oscar)
            }
            scenarios += [
                s
                for s in signed_in_scenarios(targets, cookies)
                if not args.only or s["key"] in args.only
            ]

        log("Warm-up")
        for shop in (karya, oscar):
            warm_up(shop, [p for s in scenarios for p in s["paths"][shop.name]])
        wrk(floor, get_lines(["/"]), duration=3)
        for shop in (karya, oscar):
            shop.rss.append(("after warm-up", shop.memory()))

        for scenario in scenarios:
            runs = {"karya": [], "oscar": [], "floor": []}
            for round_ in (1, 2):
                if scenario["key"] in report.CACHEABLE:
                    # The floor beside each round of a page it is compared with, so a
                    # machine that slows down or speeds up during the run moves both.
                    runs["floor"].append(wrk(floor, get_lines(["/"]), duration=args.duration))
                for shop in (karya, oscar):
                    cookie = scenario.get("cookie", {}).get(shop.name, "")
                    log(f"{scenario['name']}: {shop.label}, round {round_}")
                    runs[shop.name].append(
                        wrk(
                            shop,
                            get_lines(scenario["paths"][shop.name], cookie),
                            duration=args.duration,
                        )
                    )
                    shop.rss.append((f"{scenario['name']}, round {round_}", shop.memory()))
            row = {"name": scenario["name"], "key": scenario["key"]}
            if runs["floor"]:
                row["floor"] = merge(runs["floor"])
            for shop in (karya, oscar):
                cookie = scenario.get("cookie", {}).get(shop.name, "")
                row[shop.name] = merge(runs[shop.name])
                row[shop.name]["queries"] = probe_queries(
                    shop, scenario["paths"][shop.name], cookie
                )
                if shop is karya and scenario["key"] in report.CACHEABLE:
                    row[shop.name]["queries_rendered"] = probe_queries(
                        shop, scenario["paths"][shop.name], RENDER_COOKIE
                    )
            results["scenarios"].append(row)

        if not args.only or "basket" in args.only:
            results["scenarios"].append(add_to_basket(karya, oscar, targets, args))
        if not args.only or "order" in args.only:
            results["scenarios"].append(place_order(karya, oscar, targets, args))
        if targets.split_pools and (not args.only or "order3" in args.only):
            by_transfer = place_order_three_lapas(karya, oscar, targets, args)
            results["scenarios"].append(by_transfer)
            by_card = place_order_three_lapas(karya, oscar, targets, args, method="stripe")
            by_card["oscar"] = by_transfer["oscar"]
            results["scenarios"].append(by_card)
        if not args.only:
            results["race"] = sell_out_race(karya, oscar, targets)

        log("Framework floor: a bare Django view")
        floor_runs = [wrk(floor, get_lines(["/"]), duration=args.duration) for _round in (1, 2)]
        results["floor"] = merge(floor_runs)
        results["floor"]["queries"] = probe_queries(floor, ["/"])
        results["floor"].update(floor.memory())

        if not args.only or "pos" in args.only:
            log(f"POS: {args.pos_sales} offline sales synced")
            results["pos_sync"] = karya.module(
                "tests.benchmarks.pos_sync",
                "--base-url",
                karya.base_url,
                "--sales",
                str(args.pos_sales),
            )
        if not args.only or "pnbp" in args.only:
            log("PNBP: the monthly report")
            results["pnbp_report"] = karya.module(
                "tests.benchmarks.pnbp_report", "--base-url", karya.base_url, "--repeat", "5"
            )
        if not args.only or "insight" in args.only:
            log("Demand insight: a year of views, searches and sales")
            results["insight"] = insight.scenario(karya)
        if args.only:
            return results

        for shop in (karya, oscar):
            shop.rss.append(("at the end", shop.memory()))
            results[f"{shop.name}_memory"] = [
                {"when": when, **numbers} for when, numbers in shop.rss
            ]
    finally:
        for shop in shops.values():
            shop.stop()
        stripe.stop()
    return results


def add_to_basket(karya: Project, oscar: Project, targets: Targets, args) -> dict:
    """A first add to basket: each POST makes a new anonymous basket, as a new buyer's."""
    lines, queries = {}, {}
    for shop in (karya, oscar):
        client = Client(shop.base_url)
        path, _pk = targets.products[shop.name][0]
        client.get(path)
        token = client.csrf_token
        lines[shop.name] = [
            f"POST\t/basket/add/{pk}/\tcsrftoken={token}\tcsrfmiddlewaretoken={token}&quantity=1"
            for _path, pk in targets.products[shop.name]
        ]
        probe = Client(shop.base_url).request(
            "POST",
            f"/basket/add/{targets.products[shop.name][0][1]}/",
            data=f"csrfmiddlewaretoken={token}&quantity=1".encode(),
            headers={
                "Cookie": f"csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        queries[shop.name] = probe.queries
    runs = {"karya": [], "oscar": []}
    for round_ in (1, 2):
        for shop in (karya, oscar):
            log(f"add to basket: {shop.label}, round {round_}")
            runs[shop.name].append(wrk(shop, lines[shop.name], duration=args.duration))
            shop.rss.append((f"add to basket, round {round_}", shop.memory()))
    row = {"name": "add to basket", "key": "basket"}
    for shop in (karya, oscar):
        row[shop.name] = merge(runs[shop.name])
        row[shop.name]["queries"] = queries[shop.name]
    return row


def _orders(shop: Project) -> int:
    return shop.sql("SELECT count(*) FROM order_order")[0][0]


def _product(shop: Project, upc: str) -> tuple[str, int]:
    found = shop.module("tests.benchmarks.targets", json.dumps({"upcs": [upc], "categories": []}))
    path, pk = found["products"][upc]
    return path, pk


def place_order(karya: Project, oscar: Project, targets: Targets, args) -> dict:
    """Orders for one hot product, each from its own buyer, 8 at a time."""
    hot = {shop.name: _product(shop, HOT_UPC) for shop in (karya, oscar)}
    runs = {"karya": [], "oscar": []}
    queries = {}
    placed = {"karya": 0, "oscar": 0}
    for round_ in (1, 2):
        for shop in (karya, oscar):
            path, pk = hot[shop.name]
            log(f"place order: {shop.label}, round {round_}: walking {args.orders} buyers")
            ready = checkout.ready_orders(
                shop.base_url,
                shop=shop.name,
                product_path=path,
                product_id=pk,
                count=args.orders + 1,
            )
            if round_ == 1:
                queries[shop.name] = checkout.place(shop.base_url, ready.pop()).queries
            else:
                ready.pop()
            before = _orders(shop)
            log(f"place order: {shop.label}, round {round_}: {len(ready)} orders")
            result = wrk(shop, [r.line() for r in ready], duration=120, once=True)
            result["orders"] = _orders(shop) - before
            # Orders per second: the orders placed over the time they took.
            result["orders_per_s"] = round(result["orders"] / result["seconds"], 1)
            placed[shop.name] += result["orders"]
            runs[shop.name].append(result)
            shop.rss.append((f"place order, round {round_}", shop.memory()))
    row = {"name": "place order (bank transfer, one hot product)", "key": "order"}
    for shop in (karya, oscar):
        row[shop.name] = merge(runs[shop.name])
        row[shop.name]["queries"] = queries[shop.name]
        row[shop.name]["orders"] = placed[shop.name]
        row[shop.name]["orders_per_s"] = round(
            placed[shop.name] / sum(r["seconds"] for r in runs[shop.name]), 1
        )
    return row


def place_order_three_lapas(
    karya: Project, oscar: Project, targets: Targets, args, method: str = "bank_transfer"
) -> dict:
    """Baskets from three Lapas: Karya places one order per Lapas under one checkout,
    stock Oscar one order with three lines. Checkouts per second and the median server
    time of the placing POST. By card (``method="stripe"``) Karya alone: it asks Stripe (the
    local fake) for one PaymentIntent per checkout, and the row shows stock Oscar's
    bank-transfer figure beside it, the stock shop taking no card."""
    shops = (karya, oscar) if method == "bank_transfer" else (karya,)
    hot = {shop.name: _product(shop, HOT_UPC) for shop in shops}
    buyers = max(args.orders // 3, 10)
    runs = {shop.name: [] for shop in shops}
    queries, placed, checkouts = {}, {s.name: 0 for s in shops}, {s.name: 0 for s in shops}
    for round_ in (1, 2):
        for shop in shops:
            path, pk = hot[shop.name]
            first, second = targets.split_pools[shop.name]
            # Each run takes the next goods of the two other Lapas (the card runs after the
            # bank-transfer ones).
            offset = (round_ - 1) * (buyers + 1) + (0 if method == "bank_transfer" else 2) * (
                buyers + 1
            )

            def more(i, first=first, second=second, offset=offset):
                return (first[(offset + i) % len(first)], second[(offset + i) % len(second)])

            log(
                f"place order, 3 Lapas, {method}: {shop.label}, round {round_}: "
                f"walking {buyers} buyers"
            )
            ready = checkout.ready_orders(
                shop.base_url,
                shop=shop.name,
                product_path=path,
                product_id=pk,
                count=buyers + 1,
                more=more,
                method=method,
            )
            if round_ == 1:
                queries[shop.name] = checkout.place(shop.base_url, ready.pop()).queries
            else:
                ready.pop()
            before = _orders(shop)
            result = wrk(shop, [r.line() for r in ready], duration=120, once=True)
            result["orders"] = _orders(shop) - before
            if not result["orders"]:
                # Fast answers that placed nothing are no measurement (a refused payment
                # shows the preview page again).
                raise SystemExit(
                    f"place order, 3 Lapas, {method}: {shop.label} placed no order; "
                    f"see {WORK / f'gunicorn-{shop.name}.log'}"
                )
            placed[shop.name] += result["orders"]
            checkouts[shop.name] += len(ready)
            runs[shop.name].append(result)
    label = "bank transfer" if method == "bank_transfer" else "card"  # Karya's "stripe"
    row = {
        "name": f"place order ({label}, basket from 3 Lapas)",
        "key": "order3" if method == "bank_transfer" else "order3card",
    }
    for shop in shops:
        seconds = sum(r["seconds"] for r in runs[shop.name])
        row[shop.name] = merge(runs[shop.name])
        row[shop.name]["queries"] = queries[shop.name]
        row[shop.name]["orders"] = placed[shop.name]
        row[shop.name]["orders_per_s"] = round(placed[shop.name] / seconds, 1)
        row[shop.name]["checkouts_per_s"] = round(checkouts[shop.name] / seconds, 1)
    return row


def _units_sold(shop: Project, product_id: int) -> int:
    return int(
        shop.sql(
            "SELECT coalesce(sum(quantity), 0) FROM order_line WHERE product_id = %s",
            (product_id,),
        )[0][0]
    )


def sell_out_race(karya: Project, oscar: Project, targets: Targets) -> dict:
    """More buyers than units, all at once: how many units each shop sells."""
    race = {"upc": targets.race_upc, "stock": targets.race_stock}
    buyers = targets.race_stock + 20
    for shop in (karya, oscar):
        path, pk = _product(shop, targets.race_upc)
        log(f"sell-out race: {shop.label}: {buyers} buyers for {targets.race_stock} units")
        ready = checkout.ready_orders(
            shop.base_url, shop=shop.name, product_path=path, product_id=pk, count=buyers
        )
        sold_before = _units_sold(shop, pk)
        wrk(shop, [r.line() for r in ready], duration=120, once=True)
        sold = _units_sold(shop, pk) - sold_before
        in_stock, allocated = shop.sql(
            "SELECT num_in_stock, num_allocated FROM partner_stockrecord WHERE product_id = %s",
            (pk,),
        )[0]
        race[shop.name] = {
            "buyers": buyers,
            "sold": int(sold),
            "oversold": max(0, int(sold) - targets.race_stock),
            "num_in_stock_after": in_stock,
            "num_allocated_after": allocated,
        }
        if shop is karya:
            race[shop.name]["batch_units_left"] = int(
                shop.sql(
                    "SELECT coalesce(sum(s.quantity), 0) FROM production_link_batchstock s "
                    "JOIN production_link_batch b ON b.id = s.batch_id "
                    "JOIN production_link_stocklocation l ON l.id = s.location_id "
                    "WHERE b.product_id = %s AND l.fulfils_online",
                    (pk,),
                )[0][0]
            )
    return race


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--lapas", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ledger-entries", type=int, default=100_000)
    parser.add_argument("--pos-sales", type=int, default=500)
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--orders", type=int, default=300, help="buyers per place-order run")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--output", default=str(RESULTS / "latest"))
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="KEY",
        help="run only these scenarios (keys: listing, category, product, search, home, "
        "listing_signed_in, product_signed_in, basket, order, order3, pos, pnbp, insight) and "
        "print their budgets; no race; for a quick look while developing, not for the README",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    results = run(args)
    results["meta"]["total_s"] = round(time.perf_counter() - started, 1)
    results["budgets"] = report.budgets(results)
    markdown = report.markdown(results)
    print()
    print(markdown)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.with_suffix(".md").write_text(markdown + "\n")
    output.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"written: {output.with_suffix('.md')} and .json")
    return 0 if all(b["met"] for b in results["budgets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
