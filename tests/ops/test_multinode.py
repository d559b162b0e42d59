"""Two web nodes that share nothing but PostgreSQL, Redis and the object store.

Two gunicorn servers run the production settings (tests/ops/node_settings.py) on two
loopback ports, as two machines behind a load balancer would, over the test database, the
test Redis and a bucket of the local S3 server. The test shows that an upload through one is
served through the other, that a session begun on one continues on the other, that buyers
racing through both for the last units oversell nothing, and that a product selling out
flushes the page cache both serve from.
"""

import html
import io
import os
import re
import signal
import subprocess
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import redis
from PIL import Image

from tests.benchmarks import checkout
from tests.benchmarks.client import Client

from .conftest import ROOT, database_url, free_port, stop, wait_for_http

REDIS_URL = os.environ.get("REDIS_URL", "")
PASSWORD = "karya-multinode-2026"
UNITS = 3
BUYERS = 6

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(
        not REDIS_URL, reason="needs a real Redis: `make test` starts one and sets REDIS_URL"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def nodes(s3_server, bucket, tmp_path):
    """Two gunicorn nodes; yields their base URLs. Stopped before the database is flushed."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the nodes share a PostgreSQL database")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        s3_server.env(bucket),
        DJANGO_SETTINGS_MODULE="tests.ops.node_settings",
        DATABASE_URL=database_url(connection),
        REDIS_URL=REDIS_URL,
        SECRET_KEY="k4rya-multinode-" + "x7Q9pL2mZ8vB3nR6tY1wE5uI0oA4sD" * 2,
        ALLOWED_HOSTS="127.0.0.1",
        # Tasks run inline: no worker in this test, and nothing left queued in Redis.
        CELERY_TASK_ALWAYS_EAGER="True",
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
    )
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = (tmp_path / f"node-{name}.log").open("wb")
            process = subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "shop.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "120",
                    # Django is imported once per node, then forked: a quicker start.
                    "--preload",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        try:
            for url, process in zip(urls, processes, strict=True):
                wait_for_http(f"{url}/healthz/live", process=process, timeout=120)
        except RuntimeError:
            for name in ("a", "b"):
                print(f"--- node {name}", (tmp_path / f"node-{name}.log").read_text()[-3000:])
            raise
        yield urls
    finally:
        for process in processes:
            # Gunicorn's quick shutdown: on SIGTERM its idle sync workers sit out their
            # wait for a connection (half the 120 s timeout) before they exit.
            stop(process, signal.SIGINT)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 120, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def editor(db):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests.factories import UserFactory

    user = UserFactory(username="editor-multinode", is_staff=True, is_superuser=True)
    # The nodes check passwords with production's hashers, not the tests' fast MD5 one.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "multinodesalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def last_units(lapas):
    from tests.factories import ProductFactory, WorkshopFactory, released_batch

    product = ProductFactory(
        title="Kemeja Batik Tulis",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Batik"),
        stockrecord__price=Decimal("250000"),
        stockrecord__num_in_stock=0,
    )
    released_batch(product=product, quantity=UNITS)
    return product


def test_two_nodes_share_uploads_sessions_stock_and_the_page_cache(
    nodes, editor, last_units, shipping_rates, s3_server, bucket
):
    from oscar.core.loading import get_model

    node_a, node_b = nodes

    # A session begun on node A continues on node B.
    editor_client = Client(node_a)
    assert editor_client.get("/cms/login/").status == 200
    login = editor_client.post_form(
        f"{node_a}/cms/login/",
        {
            "csrfmiddlewaretoken": editor_client.csrf_token,
            "username": editor.username,
            "password": PASSWORD,
        },
    )
    assert login.status == 302, login.text()[:500]
    assert editor_client.get(f"{node_b}/cms/").status == 200
    assert Client(node_b).get("/cms/").status == 302  # without the session: the login page

    # An image uploaded through node A is served through node B.
    from wagtail.models import Collection

    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": editor_client.csrf_token,
            "title": "Batik tulis Tangerang",
            "description": "Selembar batik tulis biru di atas meja kerja",
            "collection": str(Collection.get_first_root_node().pk),
            "tags": "",
        },
        {"file": ("batik.jpg", jpeg(), "image/jpeg")},
    )
    upload = editor_client.request(
        "POST", f"{node_a}/cms/images/add/", data=body, headers={"Content-Type": content_type}
    )
    assert upload.status == 302, upload.text()[:800]
    assert any(key.startswith("media/original_images/batik") for key in s3_server.keys(bucket))
    listing = editor_client.get(f"{node_b}/cms/images/")
    assert listing.status == 200
    sources = [
        html.unescape(src)
        for src in re.findall(r'<img[^>]+src="([^"]+)"', listing.text())
        if s3_server.endpoint in html.unescape(src)
    ]
    assert sources, "node B shows no image from the bucket"
    with urllib.request.urlopen(sources[0], timeout=10) as image:  # noqa: S310 - loopback
        assert image.read()[:2] == b"\xff\xd8"

    # Anonymous visitors' listing is cached (in Redis) on both nodes, with the product on sale.
    add_to_basket = f"/basket/add/{last_units.pk}/"
    for node in nodes:
        assert add_to_basket in Client(node).get("/catalogue/").text()
    cache = redis.Redis.from_url(REDIS_URL)
    assert any(cache.scan_iter(match="*karya:page:*", count=1000))

    # Buyers walk the checkout on one node and place their orders through the other, all
    # at once, for the last units.
    product_path = last_units.get_absolute_url()
    ready = [
        (
            nodes[(i + 1) % 2],
            checkout.ready_order(
                nodes[i % 2], shop="karya", product_path=product_path, product_id=last_units.pk
            ),
        )
        for i in range(BUYERS)
    ]
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        answers = list(pool.map(lambda pair: checkout.place(*pair), ready))

    placed = [a for a in answers if a.status == 302 and "thank-you" in a.location]
    assert len(placed) == UNITS, [(a.status, a.location) for a in answers]
    Line = get_model("order", "Line")
    assert sum(Line.objects.filter(product=last_units).values_list("quantity", flat=True)) == UNITS
    stockrecord = last_units.stockrecords.get()
    assert stockrecord.num_in_stock - (stockrecord.num_allocated or 0) <= 0
    from production_link.models import BatchStock

    assert not BatchStock.objects.filter(batch__product=last_units, quantity__lt=0).exists()

    # Sold out: both nodes show the listing without the product on sale, at once.
    for node in nodes:
        assert add_to_basket not in Client(node).get("/catalogue/").text()
