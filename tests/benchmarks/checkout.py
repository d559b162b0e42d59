"""Buyers whose next click places an order, for the place-order scenario.

Each buyer is a fresh browser (its own cookies) that walks the real checkout over HTTP up
to the last page: product page, add to basket, guest e-mail, shipping address, shipping
method, payment method. What is left is the one request the load generator then replays,
once per buyer: the POST that places the order.

Karya and the stock Oscar shop ask for slightly different forms (Karya's address form is
Indonesian and it asks how to pay; stock Oscar has one shipping and no payment choice), so
each has its own walk; both end at the same POST to /checkout/preview/.
"""

import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .client import BenchError, Client, Response

GUEST_EMAIL = "pembeli.bench@example.test"
ADDRESS = {
    "first_name": "Dewi",
    "last_name": "Lestari",
    "line1": "Jl. Merdeka No. 10",
    "line2": "Kel. Sukasari",
    "line3": "Kec. Tangerang",
    "line4": "Kota Tangerang",
    "state": "Banten",
    "postcode": "15111",
    "phone_number": "081234567890",
    "notes": "",
}


@dataclass(frozen=True)
class ReadyOrder:
    cookie: str
    body: str
    queries: int | None = None

    def line(self) -> str:
        return f"POST\t/checkout/preview/\t{self.cookie}\t{self.body}"


def _step(response: Response, *statuses: int) -> Response:
    if response.status not in statuses:
        raise BenchError(
            f"{response.url}: HTTP {response.status}, expected {statuses}: "
            f"{response.location or response.text()[:400]}"
        )
    return response


def _add_to_basket(client: Client, product_path: str, product_id: int) -> None:
    _step(client.get(product_path), 200)
    if not client.csrf_token:
        raise BenchError(f"{product_path}: no CSRF cookie")
    _step(
        client.post_form(
            f"/basket/add/{product_id}/",
            {"csrfmiddlewaretoken": client.csrf_token, "quantity": "1"},
        ),
        302,
    )


def _post(client: Client, path: str, fields: dict) -> Response:
    return client.post_form(path, {"csrfmiddlewaretoken": client.csrf_token, **fields})


def _karya_walk(client: Client, method: str = "bank_transfer") -> None:
    _step(_post(client, "/checkout/", {"username": GUEST_EMAIL, "options": "anonymous"}), 302)
    _step(_post(client, "/checkout/shipping-address/", ADDRESS), 302)
    # Courier by weight and zone; where the Lapas has a gallery, pickup is offered too and
    # the buyer picks the courier.
    if _step(client.get("/checkout/shipping-method/"), 200, 302).status == 200:
        _step(_post(client, "/checkout/shipping-method/", {"method_code": "courier"}), 302)
    _step(_post(client, "/checkout/payment-method/", {"method": method}), 302)
    _step(client.get("/checkout/preview/"), 200)


def _oscar_walk(client: Client, method: str = "") -> None:
    # Stock Oscar asks for no payment method (``method`` is Karya's).
    _step(_post(client, "/checkout/", {"username": GUEST_EMAIL, "options": "anonymous"}), 302)
    _step(_post(client, "/checkout/shipping-address/", {**ADDRESS, "country": "ID"}), 302)
    # Stock Oscar offers free shipping only, chooses it and moves on to payment, which has
    # nothing to ask: both redirect onwards to the preview.
    _step(client.get("/checkout/shipping-method/"), 302)
    _step(client.get("/checkout/payment-method/"), 302)
    _step(client.get("/checkout/preview/"), 200)


WALKS = {"karya": _karya_walk, "oscar": _oscar_walk}


def ready_order(
    base_url: str,
    *,
    shop: str,
    product_path: str,
    product_id: int,
    more=(),
    method: str = "bank_transfer",
) -> ReadyOrder:
    """A buyer at the last click, with one unit of the product (and of each of ``more``,
    (path, id) pairs: a basket from several Lapas) in the basket, paying by ``method``
    (Karya's payment method: bank_transfer, or stripe for a card)."""
    client = Client(base_url)
    _add_to_basket(client, product_path, product_id)
    for path, pk in more:
        _add_to_basket(client, path, pk)
    WALKS[shop](client, method)
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": client.csrf_token, "action": "place_order"}
    )
    return ReadyOrder(cookie=cookie, body=body)


def place(base_url: str, order: ReadyOrder) -> Response:
    """Place one prepared order the way the load generator does (to read its queries)."""
    client = Client(base_url)
    return client.request(
        "POST",
        "/checkout/preview/",
        data=order.body.encode(),
        headers={"Cookie": order.cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )


def ready_orders(
    base_url: str,
    *,
    shop: str,
    product_path: str,
    product_id: int,
    count: int,
    threads: int = 8,
    more=None,
    method: str = "bank_transfer",
) -> list[ReadyOrder]:
    """``count`` buyers, walked in parallel (the server has two workers to keep busy).
    ``more(i)`` gives buyer i's other products, (path, id) pairs (a basket of several
    Lapas)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [
            pool.submit(
                ready_order,
                base_url,
                shop=shop,
                product_path=product_path,
                product_id=product_id,
                more=more(i) if more else (),
                method=method,
            )
            for i in range(count)
        ]
        return [future.result() for future in futures]
