"""Rupiah arithmetic of the PNBP ledger: dividing an amount into parts that add up exactly.

Two rules, both exact to the rupiah:

- ``apportion`` spreads an amount over weights (lines, batches, Lapas) by the largest
  remainder method: every part is within one rupiah of its exact share, none is negative,
  and the parts add up to the amount.
- ``split_shares`` divides a gross amount into PNBP, wage pool (premi), working capital and
  programme. The three set-aside shares are rounded (ROUND_HALF_UP) cumulatively, and PNBP
  takes what is left: the leftovers of rounding go to PNBP, the parts add up to the gross,
  and every share stays within one rupiah of its exact value.

Fractions are exact (``fractions.Fraction``); results are ``Decimal`` with two places, as
the ledger stores them.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

CENT = Decimal("0.01")


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT)


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def apportion(total: Decimal, weights: list) -> list[Decimal]:
    """Parts of ``total`` in proportion to ``weights``, in whole rupiah, summing to ``total``.

    A negative total gives the negative of the parts of its absolute value. With no weight at
    all (every weight zero) the whole amount goes to the last part. A total with a fraction
    of a rupiah (a discount of an odd amount) leaves that fraction on one part.
    """
    if not weights:
        if total:
            raise ValueError("Cannot apportion a non-zero amount over nothing.")
        return []
    if total < 0:
        return [-part for part in apportion(-total, weights)]
    exact_total = Fraction(total)
    exact_weights = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact_weights):
        raise ValueError("Weights cannot be negative.")
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        return [Decimal("0.00")] * (len(weights) - 1) + [Decimal(total).quantize(CENT)]
    quotas = [exact_total * w / weight_sum for w in exact_weights]
    parts = [Fraction(floor(q)) for q in quotas]
    leftover = exact_total - sum(parts)
    # Largest remainder first; on a tie the earlier part, so the result is deterministic.
    order = sorted(range(len(parts)), key=lambda i: (-(quotas[i] - parts[i]), i))
    position = 0
    while leftover >= 1:
        parts[order[position]] += 1
        leftover -= 1
        position += 1
    if leftover > 0:
        parts[order[position % len(parts)]] += leftover
    return [_decimal(p) for p in parts]


@dataclass(frozen=True)
class Shares:
    pnbp: Decimal
    premi: Decimal
    working_capital: Decimal
    programme: Decimal

    @property
    def total(self) -> Decimal:
        return self.pnbp + self.premi + self.working_capital + self.programme


def split_shares(
    amount: Decimal, *, premi: Fraction, working_capital: Fraction, programme: Fraction
) -> Shares:
    """Divide ``amount`` by the fractions (0..1) set aside; PNBP takes the rest.

    Cumulative rounding: premi is round(amount × premi), premi + working capital is
    round(amount × (premi + working capital)), and so on; each share is the difference of
    two neighbours. So the set-aside total is within half a rupiah of exact, PNBP (the
    remainder) too, and each set-aside share within one rupiah. A negative amount (a
    reversal) gives the negated shares of its absolute value.
    """
    if amount < 0:
        positive = split_shares(
            -amount, premi=premi, working_capital=working_capital, programme=programme
        )
        return Shares(
            pnbp=-positive.pnbp,
            premi=-positive.premi,
            working_capital=-positive.working_capital,
            programme=-positive.programme,
        )
    exact = Fraction(amount)
    ceiling = floor(exact)  # set-aside shares never exceed the whole rupiah of the amount
    bounds = []
    running = Fraction(0)
    for fraction in (premi, working_capital, programme):
        running += Fraction(fraction)
        bounds.append(min(_round_half_up(exact * running), ceiling))
    premi_part = bounds[0]
    working_part = bounds[1] - bounds[0]
    programme_part = bounds[2] - bounds[1]
    return Shares(
        pnbp=_decimal(exact - bounds[2]),
        premi=_decimal(Fraction(premi_part)),
        working_capital=_decimal(Fraction(working_part)),
        programme=_decimal(Fraction(programme_part)),
    )


def fractions_of_split(split) -> dict[str, Fraction]:
    """The set-aside fractions of a RevenueSplit (None: everything is PNBP)."""
    if split is None:
        return {"premi": Fraction(0), "working_capital": Fraction(0), "programme": Fraction(0)}
    return {
        "premi": Fraction(split.premi_percent) / 100,
        "working_capital": Fraction(split.working_capital_percent) / 100,
        "programme": Fraction(split.programme_percent) / 100,
    }


def fractions_of_entry(entry) -> dict[str, Fraction]:
    """The set-aside fractions an entry was actually booked with (its amounts over its gross);
    a reversal mirrors these so that a full refund nets every share to zero."""
    gross = Fraction(entry.gross)
    if gross == 0:
        return fractions_of_split(None)
    return {
        "premi": Fraction(entry.premi_amount) / gross,
        "working_capital": Fraction(entry.working_capital_amount) / gross,
        "programme": Fraction(entry.programme_amount) / gross,
    }
