"""The export files open in a spreadsheet program and carry the report's figures."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from production_link.reports.exports import report_csv, report_filename, report_pdf, report_xlsx
from production_link.reports.periods import MONTHLY, QUARTERLY, YEARLY, period_parse
from production_link.reports.selectors import report_read
from production_link.reports.services import report_approve
from shop.apps.core.services import user_assign_role
from tests.factories import UserFactory
from tests.production_link.report_scenarios import october, third_quarter

pytestmark = pytest.mark.django_db
OCTOBER = period_parse(MONTHLY, "2026-10")


@pytest.fixture
def view(lapas, other_lapas):
    october(lapas, other_lapas)
    return report_read(lapas=lapas, period=OCTOBER)


def csv_rows(data: bytes):
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_parses_with_the_figures_as_plain_numbers(view, english):
    rows = csv_rows(report_csv(view))

    assert rows[0] == ["Monthly PNBP report – Lapas Kelas I Tangerang – October 2026"]
    assert ["Due by", "10 November 2026"] in rows
    assert ["Net received", "100000"] in rows
    assert ["Outstanding (not yet deposited)", "55000"] in rows
    header = rows.index(
        ["Channel", "Sales", "Refund reversals", "Net received", "Deposited (NTPN)", "Outstanding"]
    )
    assert rows[header + 1] == ["Online shop", "45000", "0", "45000", "45000", "0"]
    assert rows[header + 2] == ["Point of sale", "70000", "-15000", "55000", "0", "55000"]
    assert rows[header + 3] == ["Total", "115000", "-15000", "100000", "45000", "55000"]


def test_headings_are_indonesian_by_default(view):
    with translation.override("id"):
        rows = csv_rows(report_csv(view))

    assert rows[0][0].endswith("Oktober 2026")
    assert any(row[1:] == ["1 Oktober 2026 – 31 Oktober 2026"] for row in rows)


def test_xlsx_opens_with_amounts_as_numbers(view, english):
    workbook = load_workbook(io.BytesIO(report_xlsx(view)))

    summary = workbook["Summary"]
    values = {row[0].value: row[1] for row in summary.iter_rows() if len(row) > 1}
    assert values["Net received"].value == 100000
    assert isinstance(values["Net received"].value, int)
    assert values["Net received"].number_format.startswith('"Rp"')
    assert values["Ledger entries"].value == 4
    channel = workbook["By sales channel"]
    table = [[cell.value for cell in row] for row in channel.iter_rows()]
    assert table[0][0] == "Channel"
    assert table[1] == ["Online shop", 45000, 0, 45000, 45000, 0]
    assert table[-1] == ["Total", 115000, -15000, 100000, 45000, 55000]
    deposits = workbook["Deposits paid in the month"]
    assert deposits["A2"].value.date().isoformat() == "2026-10-02"


def test_pdf_is_a_pdf_with_the_title_and_the_totals_in_rupiah(view):
    with translation.override("id"):
        data = report_pdf(view)

    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    # Page streams are not compressed, so the text can be read from the bytes.
    assert b"Lapas Kelas I Tangerang" in data
    assert b"Oktober 2026" in data
    assert b"Rp100.000" in data
    assert b"-Rp15.000" in data


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_text_extracts_with_pdftotext(view, english, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(view))

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout

    assert "Monthly PNBP report" in text
    assert "Rp100,000" in text


def test_an_approved_export_shows_who_approved_it(view, lapas, english):
    head = user_assign_role(
        user=UserFactory(username="kalapas", first_name="Ratna", last_name="Sari"),
        role_code="kalapas",
        lapas=lapas,
    )
    report_approve(lapas=lapas, kind=MONTHLY, period_start=OCTOBER.start, user=head)

    rows = csv_rows(report_csv(report_read(lapas=lapas, period=OCTOBER)))

    status = next(row for row in rows if row and row[0] == "Status")
    assert status[1].startswith("Approved by Ratna Sari on ")


@pytest.mark.parametrize(("kind", "key"), [(QUARTERLY, "2026-Q3"), (YEARLY, "2026")])
def test_monitoring_and_yearly_reports_export_in_every_format(lapas, kind, key, english):
    third_quarter(lapas)
    view = report_read(lapas=lapas, period=period_parse(kind, key))

    rows = csv_rows(report_csv(view))
    workbook = load_workbook(io.BytesIO(report_xlsx(view)))
    pdf = report_pdf(view)

    assert ["Wage pool (premi)", "65500" if kind == QUARTERLY else "68500"] in rows
    assert "By workshop" in workbook.sheetnames
    assert pdf.startswith(b"%PDF-")
    assert report_filename(view, "xlsx") == f"laporan-{kind}-tng-{key}.xlsx"


def test_a_national_report_has_a_lapas_column(lapas, other_lapas, english):
    october(lapas, other_lapas)

    rows = csv_rows(report_csv(report_read(lapas=None, period=OCTOBER)))

    assert rows[0][0].startswith("Monthly PNBP report – All Lapas")
    lapas_rows = [row for row in rows if row and row[0] == "Lapas Kelas I Cipinang"]
    assert lapas_rows and lapas_rows[0][-1] == "100000"  # its outstanding
    assert Decimal(next(row for row in rows if row and row[0] == "Net received")[1]) == Decimal(
        "200000"
    )
