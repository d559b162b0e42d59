"""The monev instrument, findings and follow-ups, carried into the next period."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from production_link.programme import services
from production_link.programme.models import FollowUp, MonevAnswer
from production_link.programme.selectors import follow_ups_for_period, monev_report_tables
from production_link.reports.exports import report_csv
from production_link.reports.selectors import report_read

from .conftest import Q2, Q3

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_quarter(lapas, head, indicators):
    services.monev_record(
        user=head,
        lapas=lapas,
        period=Q2,
        answers={"rencana": "4", "qc": "2", "sop": "no", "kendala": "Oven sering mati"},
    )
    finding = services.finding_add(
        user=head, lapas=lapas, period=Q2, text="QC belum dicatat untuk 3 batch"
    )
    open_one = services.follow_up_add(
        user=head,
        lapas=lapas,
        period=Q2,
        action="Latih petugas QC",
        owner_role="workshop_staff",
        due_on=datetime.date(2026, 8, 31),
        finding=finding,
    )
    done = services.follow_up_add(
        user=head,
        lapas=lapas,
        period=Q2,
        action="Pasang SOP di bengkel",
        owner_role="kalapas",
        due_on=datetime.date(2026, 6, 30),
    )
    services.follow_up_set_status(user=head, follow_up=done, status=FollowUp.Status.DONE)
    return open_one, done


def test_the_instrument_records_scores_and_answers(second_quarter, lapas):
    answers = {
        a.indicator.code: (a.score, a.answer)
        for a in MonevAnswer.objects.filter(assessment__lapas=lapas).select_related("indicator")
    }
    assert answers == {
        "rencana": (4, ""),
        "qc": (2, ""),
        "sop": (None, "no"),
        "kendala": (None, "Oven sering mati"),
    }


def test_an_open_follow_up_is_carried_into_the_next_period(second_quarter, lapas, head):
    open_one, done = second_quarter
    q3 = list(follow_ups_for_period(lapas=lapas, period=Q3))
    assert q3 == [open_one]  # the done one stays in its quarter

    services.follow_up_set_status(user=head, follow_up=open_one, status=FollowUp.Status.DONE)
    assert list(follow_ups_for_period(lapas=lapas, period=Q3)) == []
    assert set(follow_ups_for_period(lapas=lapas, period=Q2)) == {open_one, done}


def test_the_quarterly_report_carries_instrument_findings_and_follow_ups(
    second_quarter, lapas, head
):
    services.follow_up_add(
        user=head,
        lapas=lapas,
        period=Q3,
        action="Catat suhu oven",
        owner_role="workshop_staff",
        due_on=datetime.date(2026, 10, 15),
    )
    tables = monev_report_tables(lapas=lapas, period=Q3)
    assert [row["action"] for row in tables["follow_ups"]] == [
        "Latih petugas QC",
        "Catat suhu oven",
    ]
    assert tables["follow_ups"][0]["raised_in"] == Q2.label
    assert [row["score"] for row in tables["monev_instrument"]] == [None, None, None, None]

    q2 = monev_report_tables(lapas=lapas, period=Q2)
    assert [row["score"] for row in q2["monev_instrument"]][:2] == [4, 2]
    assert q2["findings"] == [{"finding": "QC belum dicatat untuk 3 batch"}]

    text = report_csv(report_read(lapas=lapas, period=Q3)).decode("utf-8")
    assert "Latih petugas QC" in text and "Catat suhu oven" in text


def test_a_wrong_answer_saves_nothing(lapas, head, indicators, english):
    with pytest.raises(ValidationError) as error:
        services.monev_record(
            user=head, lapas=lapas, period=Q3, answers={"rencana": "4", "qc": "9", "sop": "maybe"}
        )
    assert set(error.value.message_dict) == {"qc", "sop"}
    assert not MonevAnswer.objects.exists()


def test_a_follow_up_needs_a_role_of_the_lapas(lapas, head, indicators):
    with pytest.raises(ValidationError):
        services.follow_up_add(
            user=head,
            lapas=lapas,
            period=Q3,
            action="x",
            owner_role="editor",
            due_on=datetime.date(2026, 10, 1),
        )


def test_a_double_click_adds_one_finding(lapas, head, indicators):
    first = services.finding_add(user=head, lapas=lapas, period=Q3, text="Stok kemasan habis")
    again = services.finding_add(user=head, lapas=lapas, period=Q3, text="Stok kemasan habis")
    assert first.pk == again.pk


def test_monev_is_written_by_the_lapas_only(second_quarter, lapas, officer, other_head, treasurer):
    open_one, _done = second_quarter
    for user in (officer, other_head, treasurer):
        with pytest.raises(PermissionDenied):
            services.monev_record(user=user, lapas=lapas, period=Q3, answers={"rencana": "1"})
        with pytest.raises(PermissionDenied):
            services.finding_add(user=user, lapas=lapas, period=Q3, text="x")
        with pytest.raises(PermissionDenied):
            services.follow_up_set_status(user=user, follow_up=open_one, status="dropped")
    open_one.refresh_from_db()
    assert open_one.status == FollowUp.Status.OPEN


def test_the_monev_page_shows_carried_follow_ups_to_the_region(
    client, second_quarter, lapas, officer
):
    client.force_login(officer)
    response = client.get(
        "/en/dashboard/programme/monev/", {"lapas": lapas.pk, "kind": "quarterly", "period": Q3.key}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Latih petugas QC" in body
    assert "carried over" in body
    assert 'action="/en/dashboard/programme/monev/answers/"' not in body  # no form to write


def test_the_english_page_shows_the_english_wording_and_the_report_the_indonesian(
    client, lapas, head, indicators
):
    Indicator = type(indicators[0])
    Indicator.objects.filter(code="qc").update(label_en="QC recorded for every batch")
    client.force_login(head)
    body = client.get("/en/dashboard/programme/monev/", {"lapas": lapas.pk}).content.decode()
    assert "QC recorded for every batch" in body
    rows = monev_report_tables(lapas=lapas, period=Q3)["monev_instrument"]
    assert rows[1]["indicator"] == "QC tercatat per batch"
