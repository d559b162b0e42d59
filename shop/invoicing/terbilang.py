"""An amount of rupiah in Indonesian words (terbilang), as invoices and receipts print it.

Indonesian says "se-" for one of a unit below a million: sepuluh, sebelas, seratus,
seribu (but "satu juta", "satu miliar"); eleven to nineteen are "<n> belas".
Rupiah are whole numbers (ARCHITECTURE.md, Money): a fraction is refused, not rounded,
so an invoice never prints words that differ from its figures.
"""

from decimal import Decimal

ONES = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# 10**3, 10**6, …: ribu, juta, miliar, triliun, then kuadriliun.
SCALES = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun")


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [ONES[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [ONES[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [ONES[tens], "puluh"]
        if ones:
            words.append(ONES[ones])
    elif rest:
        words.append(ONES[rest])
    return words


def number_in_words(value: int) -> str:
    """A whole number of zero or more in Indonesian words: 1234 → "seribu dua ratus tiga
    puluh empat"."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("number_in_words takes an int")
    if value < 0:
        return "minus " + number_in_words(-value)
    if value == 0:
        return "nol"
    groups = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    if len(groups) > len(SCALES):
        raise ValueError("number too large to write in words")
    words: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        if scale == 1 and group == 1:
            words.append("seribu")
            continue
        words += _below_thousand(group)
        if SCALES[scale]:
            words.append(SCALES[scale])
    return " ".join(words)


def rupiah_in_words(amount) -> str:
    """1234567 → "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh
    rupiah". Takes an int or a whole Decimal (e.g. Decimal("1500000.00"))."""
    amount = Decimal(amount)
    if amount != amount.to_integral_value():
        raise ValueError(f"rupiah are whole numbers; {amount} is not")
    return number_in_words(int(amount)) + " rupiah"
