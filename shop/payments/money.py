"""Rupiah and Stripe's minor units: the one place amounts cross between the two.

Rupiah are whole numbers in Karya. Stripe nevertheless counts IDR as a two-decimal
currency, so Rp150.000 travels to and from Stripe as ``15000000``. Every amount sent to
Stripe or read from it goes through these functions, so a missing or doubled factor of
100 cannot hide in one call site.
"""

from decimal import ROUND_HALF_UP, Decimal

STRIPE_CURRENCY = "idr"
MINOR_UNITS_PER_RUPIAH = 100


class AmountError(ValueError):
    """An amount that is not a whole, non-negative number of rupiah."""


def rupiah_to_stripe(amount: Decimal | int) -> int:
    """Rupiah (whole, not negative) as Stripe's minor units: Rp150.000 → 15000000."""
    # Floats are refused: a binary fraction is not an amount of money.
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise AmountError(f"Amount must be a Decimal number of rupiah, not {type(amount)!r}.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise AmountError(f"Amount must be a finite number of rupiah, not {amount}.")
    if amount < 0:
        raise AmountError(f"Amount must not be negative: Rp{amount}.")
    if amount != amount.to_integral_value():
        raise AmountError(f"Amount must be whole rupiah: Rp{amount} has a fraction.")
    return int(amount) * MINOR_UNITS_PER_RUPIAH


def stripe_to_rupiah(minor_units: int) -> Decimal:
    """Stripe's minor units as rupiah: 15000000 → Decimal("150000").

    An amount that is not a whole number of rupiah (not a multiple of 100) is refused:
    Karya never asks Stripe for one, so it signals an amount that is not ours.
    """
    if isinstance(minor_units, bool) or not isinstance(minor_units, int):
        raise AmountError(f"Stripe amount must be an integer, not {type(minor_units)!r}.")
    if minor_units < 0:
        raise AmountError(f"Stripe amount must not be negative: {minor_units}.")
    rupiah, fraction = divmod(minor_units, MINOR_UNITS_PER_RUPIAH)
    if fraction:
        raise AmountError(f"Stripe amount {minor_units} is not a whole number of rupiah.")
    return Decimal(rupiah)


def rupiah_round(amount: Decimal) -> Decimal:
    """Round to whole rupiah, halves up, where a split or percentage makes fractions."""
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
