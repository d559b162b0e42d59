from decimal import Decimal

import pytest

from shop.invoicing.terbilang import number_in_words, rupiah_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1234567, "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah"),
        (0, "nol rupiah"),
        (1, "satu rupiah"),
        (10, "sepuluh rupiah"),
        (11, "sebelas rupiah"),
        (15, "lima belas rupiah"),
        (20, "dua puluh rupiah"),
        (100, "seratus rupiah"),
        (110, "seratus sepuluh rupiah"),
        (1000, "seribu rupiah"),
        (1001, "seribu satu rupiah"),
        (11000, "sebelas ribu rupiah"),
        (100000, "seratus ribu rupiah"),
        (101000, "seratus satu ribu rupiah"),
        (1000000, "satu juta rupiah"),
        (2000000, "dua juta rupiah"),
        (50000000, "lima puluh juta rupiah"),
        (1000000000, "satu miliar rupiah"),
        (2500000000, "dua miliar lima ratus juta rupiah"),
        (1000001000, "satu miliar seribu rupiah"),
        (1000000000000, "satu triliun rupiah"),
        (
            999999,
            "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh "
            "sembilan rupiah",
        ),
    ],
)
def test_rupiah_in_words(amount, words):
    assert rupiah_in_words(amount) == words


def test_a_decimal_of_whole_rupiah_is_written_as_its_figure():
    assert rupiah_in_words(Decimal("2469134.00")) == (
        "dua juta empat ratus enam puluh sembilan ribu seratus tiga puluh empat rupiah"
    )


def test_a_fraction_of_a_rupiah_is_refused_rather_than_rounded():
    with pytest.raises(ValueError):
        rupiah_in_words(Decimal("1500.50"))


def test_negative_and_non_integers():
    assert number_in_words(-12) == "minus dua belas"
    with pytest.raises(TypeError):
        number_in_words(1.5)
