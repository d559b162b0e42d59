from decimal import Decimal

import pytest

from shop.payments.money import AmountError, rupiah_round, rupiah_to_stripe, stripe_to_rupiah


@pytest.mark.parametrize(
    ("rupiah", "minor"),
    [
        (Decimal("150000"), 15000000),
        (Decimal("150000.00"), 15000000),  # as Oscar stores prices: two decimal places
        (Decimal("0"), 0),
        (Decimal("1"), 100),
        (Decimal("12345678901"), 1234567890100),
        (7500, 750000),
    ],
)
def test_rupiah_travel_to_stripe_in_hundredths(rupiah, minor):
    assert rupiah_to_stripe(rupiah) == minor
    assert stripe_to_rupiah(minor) == Decimal(rupiah)


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        (Decimal("150000.50"), "whole rupiah"),
        (Decimal("0.01"), "whole rupiah"),
        (Decimal("-1"), "negative"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        (150000.0, "Decimal"),
        ("150000", "Decimal"),
        (True, "Decimal"),
    ],
)
def test_amounts_that_are_not_whole_rupiah_are_refused_with_a_reason(amount, says):
    with pytest.raises(AmountError, match=says):
        rupiah_to_stripe(amount)


@pytest.mark.parametrize(
    ("minor", "says"),
    [(15000050, "whole number of rupiah"), (-100, "negative"), ("15000000", "integer")],
)
def test_stripe_amounts_that_are_not_whole_rupiah_are_refused(minor, says):
    with pytest.raises(AmountError, match=says):
        stripe_to_rupiah(minor)


def test_amount_error_is_a_value_error():
    assert issubclass(AmountError, ValueError)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("1000.5", "1001"), ("1000.49", "1000"), ("-2.5", "-3"), ("7", "7")],
)
def test_fractions_from_splits_round_half_up_to_whole_rupiah(amount, rounded):
    assert rupiah_round(Decimal(amount)) == Decimal(rounded)
