"""Invoices on terms (issue 16): an institutional order paid later against an invoice, its
delivery notes (BAST), the transfers recorded against it, reminders and aged receivables."""
