"""Writes of production data. Split by subject; import from here.

The PNBP ledger's writes live in production_link.pnbp.services."""

from .allocation import (
    InsufficientStock,
    LockedStock,
    allocation_release_order,
    allocation_restock_line,
)
from .batches import (
    BatchError,
    batch_create,
    batch_recall,
    batch_record_production,
    batch_record_qc,
    batch_release,
    batch_update_plan,
)
from .stock import stock_location_warehouse, stockrecord_sync

__all__ = [
    "BatchError",
    "InsufficientStock",
    "LockedStock",
    "allocation_release_order",
    "allocation_restock_line",
    "batch_create",
    "batch_recall",
    "batch_record_production",
    "batch_record_qc",
    "batch_release",
    "batch_update_plan",
    "stock_location_warehouse",
    "stockrecord_sync",
]
