"""The impact page shows the year's training and certification figures of every Lapas
(production_link.training), by kind of issuer, as counts."""

import datetime

import pytest
from django.utils import timezone

from cms import selectors
from cms.models import ImpactPage
from production_link.training.models import TrainingCourse
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def impact_page(home):
    return home.add_child(instance=ImpactPage(title="Dampak", slug="dampak", intro="Angka."))


def course(workshop, *, title, issuer, participants, certified, ended_on):
    return TrainingCourse.objects.create(
        workshop=workshop,
        title=title,
        issuer_kind=issuer,
        started_on=ended_on - datetime.timedelta(days=5),
        ended_on=ended_on,
        participants=participants,
        certified=certified,
    )


def test_the_impact_page_shows_this_years_training_by_issuer(
    client, impact_page, lapas, other_lapas
):
    today = timezone.localdate()
    this_year = datetime.date(today.year, 1, 15) if today.month > 1 else today
    course(
        WorkshopFactory(lapas=lapas),
        title="Roti",
        issuer="bnsp_lsp",
        participants=15,
        certified=12,
        ended_on=this_year,
    )
    course(
        WorkshopFactory(lapas=other_lapas),
        title="Jahit",
        issuer="blk",
        participants=20,
        certified=16,
        ended_on=this_year,
    )
    course(
        WorkshopFactory(lapas=lapas, name="Lama"),
        title="Lama",
        issuer="blk",
        participants=9,
        certified=9,
        ended_on=datetime.date(today.year - 1, 6, 1),
    )

    response = client.get(impact_page.url)

    impact = response.context["impact"]
    values = {f.key: f.value for f in impact}
    assert values["training_participants"] == 35
    assert values["certificates_issued"] == 28
    rows = {
        row["issuer_kind"]: (row["courses"], row["participants"], row["certified"])
        for row in impact.training_by_issuer
    }
    assert rows == {"bnsp_lsp": (1, 15, 12), "blk": (1, 20, 16)}
    body = response.content.decode()
    assert "impact-training" in body and "BNSP / LSP" in body


def test_without_training_this_year_no_training_figure_is_shown(client, impact_page):
    data = selectors.impact_figures_compute()

    assert data["training_participants"] is None
    response = client.get(impact_page.url)
    assert "training_participants" not in {f.key for f in response.context["impact"]}
    assert "impact-training" not in response.content.decode()
