# The fake courier aggregator (tests/fakes/courier_rates_server.py): `fake_courier_rates`.
from tests.fakes.courier_rates_server import (  # noqa: F401
    fake_courier_rates,
    fake_courier_rates_server,
)
