"""Signals other apps listen to (commissions plan batches, invoicing issues invoices)."""

from django.dispatch import Signal

# Sent inside the acceptance's transaction, after the orders, their InstitutionalOrder rows
# and every QuoteLine.order_line are written: sender=Quote, quote=<Quote>, orders=[Order].
# A receiver that raises rolls the acceptance back (nothing is placed).
quote_accepted = Signal()
