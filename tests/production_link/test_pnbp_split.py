"""Revenue split arithmetic (property-based) and the split service."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from production_link.models import RevenueSplit
from production_link.pnbp.money import apportion, split_shares
from production_link.pnbp.selectors import revenue_split_in_force
from production_link.pnbp.services import PnbpError, pnbp_record_sale, revenue_split_set

from .pnbp_support import pay, place

rupiah = st.integers(min_value=0, max_value=10**12).map(Decimal)


@st.composite
def three_shares(draw):
    """Three set-aside percentages with two decimals (as the split stores them), as
    fractions, that leave PNBP a non-negative rest."""
    premi = draw(st.integers(min_value=0, max_value=10000))
    working = draw(st.integers(min_value=0, max_value=10000 - premi))
    programme = draw(st.integers(min_value=0, max_value=10000 - premi - working))
    return tuple(Fraction(n, 10000) for n in (premi, working, programme))


@given(gross=rupiah, shares=three_shares())
def test_split_parts_add_up_to_the_gross_and_each_is_within_a_rupiah(gross, shares):
    premi, working, programme = shares

    parts = split_shares(gross, premi=premi, working_capital=working, programme=programme)

    assert parts.total == gross
    exact = {
        "premi": Fraction(gross) * premi,
        "working_capital": Fraction(gross) * working,
        "programme": Fraction(gross) * programme,
        "pnbp": Fraction(gross) * (1 - premi - working - programme),
    }
    for name, value in exact.items():
        got = getattr(parts, name)
        assert got >= 0
        assert abs(Fraction(got) - value) < 1, (name, got, value)
        if name != "pnbp":
            assert got == got.to_integral_value()  # set-aside shares are whole rupiah


@given(gross=rupiah, shares=three_shares())
def test_a_reversal_mirrors_the_sale_with_the_opposite_sign(gross, shares):
    premi, working, programme = shares
    sale = split_shares(gross, premi=premi, working_capital=working, programme=programme)
    reversal = split_shares(-gross, premi=premi, working_capital=working, programme=programme)

    assert (reversal.pnbp, reversal.premi, reversal.working_capital, reversal.programme) == (
        -sale.pnbp,
        -sale.premi,
        -sale.working_capital,
        -sale.programme,
    )


@given(
    total=st.integers(min_value=-(10**10), max_value=10**10).map(Decimal),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
)
def test_apportioned_parts_add_up_exactly_and_stay_within_a_rupiah(total, weights):
    parts = apportion(total, weights)

    assert sum(parts) == total
    assert len(parts) == len(weights)
    if sum(weights):
        for part, weight in zip(parts, weights, strict=True):
            exact = Fraction(total) * weight / sum(weights)
            assert abs(Fraction(part) - exact) < 1
            assert (part >= 0) if total >= 0 else (part <= 0)


def test_awkward_amounts_split_by_hand():
    # 100,001 at 33.33 / 33.33 / 33.34 % with nothing set aside for PNBP.
    parts = split_shares(
        Decimal(100001),
        premi=Fraction(3333, 10000),
        working_capital=Fraction(3333, 10000),
        programme=Fraction(3334, 10000),
    )
    assert (parts.premi, parts.working_capital, parts.programme, parts.pnbp) == (
        Decimal(33330),  # 33,330.33
        Decimal(33331),  # 66,660.67 → 66,661 in all
        Decimal(33340),  # the rest of 100,001
        Decimal(0),
    )
    # 1 rupiah at 50 % premi: the half rounds up to premi, PNBP keeps nothing.
    one = split_shares(Decimal(1), premi=Fraction(1, 2), working_capital=0, programme=0)
    assert (one.premi, one.pnbp) == (Decimal(1), Decimal(0))


# --- The split service ----------------------------------------------------------------


@pytest.fixture
def kalapas_user(lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(
        user=UserFactory(username="kalapas.tng"), role_code="kalapas", lapas=lapas
    )


@pytest.mark.django_db
def test_the_kalapas_sets_a_split_and_it_is_in_force_from_its_date(lapas, kalapas_user):
    start = timezone.localdate() + datetime.timedelta(days=1)

    split = revenue_split_set(
        lapas=lapas,
        effective_from=start,
        pnbp="80",
        premi="12.5",
        working_capital="5",
        programme="2.5",
        user=kalapas_user,
    )

    assert split.premi_percent == Decimal("12.50") and split.created_by == kalapas_user
    assert revenue_split_in_force(lapas=lapas, on=start) == split
    assert revenue_split_in_force(lapas=lapas, on=start - datetime.timedelta(days=1)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shares", "field", "message"),
    [
        (("80", "10", "5", "4"), "__all__", "add up to 100"),
        (("110", "-10", "0", "0"), "premi_percent", "cannot be negative"),
        (("99.995", "0.005", "0", "0"), "pnbp_percent", "two decimals"),
        (("abc", "0", "0", "0"), "pnbp_percent", "Enter a percentage"),
    ],
)
def test_a_split_that_does_not_add_up_is_refused_naming_the_field(
    lapas, kalapas_user, english, shares, field, message
):
    pnbp, premi, working, programme = shares
    with pytest.raises(PnbpError) as refusal:
        revenue_split_set(
            lapas=lapas,
            effective_from=timezone.localdate(),
            pnbp=pnbp,
            premi=premi,
            working_capital=working,
            programme=programme,
            user=kalapas_user,
        )

    assert message in " ".join(refusal.value.message_dict[field])
    assert not RevenueSplit.objects.exists()


@pytest.mark.django_db
def test_a_split_cannot_start_where_sales_are_already_booked(
    product, lapas, kalapas_user, central_admin, english
):
    pnbp_record_sale(order=pay(place((product, 1)), central_admin))

    with pytest.raises(PnbpError) as refusal:
        revenue_split_set(
            lapas=lapas,
            effective_from=timezone.localdate(),
            pnbp="90",
            premi="10",
            working_capital="0",
            programme="0",
            user=kalapas_user,
        )

    assert "already booked" in refusal.value.message_dict["effective_from"][0]


@pytest.mark.django_db
def test_only_the_lapas_own_staff_may_set_its_split(other_lapas, kalapas_user, workshop_staff):
    for user in (kalapas_user, workshop_staff):
        with pytest.raises(PermissionDenied):
            revenue_split_set(
                lapas=other_lapas if user == kalapas_user else user.partners.get(),
                effective_from=timezone.localdate(),
                pnbp="100",
                premi="0",
                working_capital="0",
                programme="0",
                user=user,
            )
    assert not RevenueSplit.objects.exists()
