"""The PNBP ledger: proceeds per Lapas, revenue splits, deposits, alerts and their pages.

``services`` is the ledger's one writer, ``selectors`` its reads, ``money`` the split
arithmetic. The package imports nothing from ``shop``: order and refund models are loaded
with ``get_model`` and order statuses with ``get_class``, so ``shop`` may import it freely.
"""
