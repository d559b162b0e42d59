"""Receipts (kuitansi) of paid online orders: one PDF per order, the Lapas as seller."""
