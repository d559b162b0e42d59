"""The government procurement catalogue (issue 16, item 6): per Lapas, its products in
the shape of LKPP's e-Katalog product form, as a workbook for the bulk upload, and a
price list PDF for procurement officers. Read-only: nothing here writes."""
