"""A report as a file: CSV and XLSX for spreadsheets, PDF to print, sign and file.

All three are drawn from the same ReportView and layout as the dashboard page, in the
active language (Indonesian by default, English on the English pages). In the XLSX,
amounts are numbers with a rupiah number format, so they add up in a spreadsheet; the
PDF shows them as rupiah text.
"""

import csv
import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .layouts import DATE, INT, LAYOUTS, MONEY, NUMERIC, display, plain, tables_for
from .selectors import ReportView


def _layout(view):
    # A region's consolidated report (production_link.programme.consolidation) brings its
    # own layout, title, meta lines and file name; a Lapas's report takes its kind's.
    return getattr(view, "layout", None) or LAYOUTS[view.kind]


def report_title(view: ReportView) -> str:
    if getattr(view, "title", None):
        return view.title
    scope = view.lapas.name if view.lapas is not None else _("All Lapas")
    return f"{LAYOUTS[view.kind].title} – {scope} – {view.period.label}"


def report_meta(view: ReportView) -> list[tuple[str, str]]:
    """The lines under the title: scope, period, due date, approval."""
    if getattr(view, "meta", None):
        return view.meta
    lines = []
    if view.lapas is not None:
        lines.append((_("Lapas"), view.lapas.name))
        if view.lapas.satker_code:
            lines.append((_("Satker code"), view.lapas.satker_code))
    else:
        lines.append((_("Lapas"), _("All Lapas")))
    lines.append(
        (
            _("Period"),
            f"{formats.date_format(view.period.start, 'j F Y')} – "
            f"{formats.date_format(view.period.end, 'j F Y')}",
        )
    )
    if view.period.due_on:
        lines.append((_("Due by"), formats.date_format(view.period.due_on, "j F Y")))
    if view.approved is not None:
        lines.append(
            (
                _("Status"),
                _("Approved by %(user)s on %(date)s")
                % {"user": view.approved_by_name, "date": _when(view.approved.approved_at)},
            )
        )
        if view.live_differs:
            lines.append(
                (
                    _("Notice"),
                    _(
                        "The figures in the ledger have changed since approval; this report shows the approved figures."
                    ),
                )
            )
    else:
        lines.append(
            (
                _("Status"),
                _("Not approved: figures as of %(date)s") % {"date": _when(timezone.now())},
            )
        )
    return lines


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def report_filename(view: ReportView, extension: str) -> str:
    if getattr(view, "filename_stem", None):
        return f"{view.filename_stem}.{extension}"
    scope = "semua-lapas"
    if view.lapas is not None:
        scope = (view.lapas.short_code or view.lapas.satker_code or str(view.lapas.pk)).lower()
    return f"laporan-{view.kind}-{scope}-{view.period.key}.{extension}"


def _first_text_index(columns) -> int | None:
    return next((i for i, c in enumerate(columns) if c.kind not in NUMERIC), None)


def _total_cells(columns, total: dict, value) -> list:
    """A total row: "Total" under the first text column, numbers under the numbers."""
    label_at = _first_text_index(columns)
    cells = []
    for index, column in enumerate(columns):
        if column.key in total:
            cells.append(value(column, total[column.key]))
        else:
            cells.append(_("Total") if index == label_at else "")
    return cells


# --- CSV


def report_csv(view: ReportView) -> bytes:
    """One sheet of sections: title, meta, summary, then each table with a header row.
    UTF-8 with a byte-order mark, so spreadsheet programs read the accents right."""
    layout = _layout(view)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([report_title(view)])
    for label, value in report_meta(view):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow([_("Summary")])
    for column in layout.summary:
        writer.writerow([column.label, _csv_value(column, view.figures["summary"].get(column.key))])
    for table, columns, data in tables_for(layout, view.figures):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([c.label for c in columns])
        for row in data["rows"]:
            writer.writerow([_csv_value(c, row.get(c.key)) for c in columns])
        if data.get("total"):
            writer.writerow(_total_cells(columns, data["total"], _csv_value))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(column, value):
    result = plain(column, value)
    if result is None:
        return ""
    if column.kind == DATE:
        return result.isoformat()
    return result


# --- XLSX

NUMBER_FORMATS = {
    MONEY: '"Rp"#,##0;-"Rp"#,##0',
    INT: "#,##0",
    "percent": "0.0",
    "decimal": "#,##0.0",
    DATE: "DD-MM-YYYY",
}
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_name(title: str, taken: set) -> str:
    name = str(title).translate(SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"
    base, number = name, 2
    while name in taken:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def report_xlsx(view: ReportView) -> bytes:
    """A workbook: the summary on the first sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    layout = _layout(view)
    bold = Font(bold=True)
    workbook = Workbook()
    taken: set = set()
    sheet = workbook.active
    sheet.title = _sheet_name(_("Summary"), taken)
    sheet.append([report_title(view)])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in report_meta(view):
        sheet.append([label, value])
    sheet.append([])
    for column in layout.summary:
        sheet.append([str(column.label), plain(column, view.figures["summary"].get(column.key))])
        _number_format(sheet.cell(row=sheet.max_row, column=2), column)
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 40

    for table, columns, data in tables_for(layout, view.figures):
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.append([str(c.label) for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in data["rows"]:
            sheet.append([plain(c, row.get(c.key)) for c in columns])
            for index, column in enumerate(columns, start=1):
                _number_format(sheet.cell(row=sheet.max_row, column=index), column)
        if data.get("total"):
            sheet.append(_total_cells(columns, data["total"], plain))
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=sheet.max_row, column=index)
                cell.font = bold
                _number_format(cell, column)
        if table.note:
            sheet.append([])
            sheet.append([str(table.note)])
        for index, column in enumerate(columns, start=1):
            width = 18 if column.kind in NUMERIC or column.kind == DATE else 28
            sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_format(cell, column) -> None:
    if column.kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[column.kind]


# --- PDF


def report_pdf(view: ReportView) -> bytes:
    """A4 landscape: title, status, summary, then the tables; page numbers in the footer.

    Page streams are left uncompressed: the files stay small and the text stays
    searchable by simple tools (and by the tests)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    layout = _layout(view)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    small_bold = small.clone("small_bold", fontName="Helvetica-Bold")
    right, right_bold = (
        small.clone("right", alignment=2),
        small_bold.clone("right_bold", alignment=2),
    )
    title = report_title(view)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="Karya",
        pageCompression=0,
    )

    def cell(text, style=small):
        return Paragraph(escape(str(text)), style)

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecef")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    story = [Paragraph(escape(title), styles["Title"])]
    story.append(
        Table(
            [[cell(label, small_bold), cell(value)] for label, value in report_meta(view)],
            colWidths=[45 * mm, 200 * mm],
            hAlign="LEFT",
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(_("Summary")), styles["Heading3"]))
    summary = [
        [cell(column.label), cell(display(column, view.figures["summary"].get(column.key)), right)]
        for column in layout.summary
    ]
    summary_table = Table(summary, colWidths=[80 * mm, 50 * mm], hAlign="LEFT")
    summary_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story.append(summary_table)

    for table, columns, data in tables_for(layout, view.figures):
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(escape(str(table.title)), styles["Heading3"]))
        numeric = [c.kind in NUMERIC for c in columns]

        def line(values, bold=False, numeric=numeric):
            plain_style, number_style = (small_bold, right_bold) if bold else (small, right)
            return [
                cell(value, number_style if is_number else plain_style)
                for value, is_number in zip(values, numeric, strict=True)
            ]

        rows = [line([c.label for c in columns], bold=True)]
        for row in data["rows"]:
            rows.append(line([display(c, row.get(c.key)) for c in columns]))
        if data.get("total"):
            rows.append(line(_total_cells(columns, data["total"], display), bold=True))
        if len(rows) == 1:
            rows.append([cell(_("Nothing in this period.")), *[cell("") for _c in columns[1:]]])
        width = doc.width / len(columns)
        pdf_table = Table(rows, colWidths=[width] * len(columns), repeatRows=1, hAlign="LEFT")
        pdf_table.setStyle(grid)
        story.append(pdf_table)
        if table.note:
            story.append(Paragraph(escape(str(table.note)), small))

    page_label = _("page %(page)d")

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            12 * mm, 7 * mm, f"Karya – {title} – " + page_label % {"page": document.page}
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


EXPORTS = {
    "csv": (report_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (report_pdf, "application/pdf"),
}
