"""PNBP and monitoring-and-evaluation reports: periods, figures, approval, exports, pages
and API. Figures are read (selectors) and frozen on approval (services); see selectors.py
for what each figure means."""
