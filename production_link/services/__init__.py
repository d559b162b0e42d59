"""Writes of production data. Split by subject; import from here."""

from .allocation import (
    InsufficientStock,
    LockedStock,
    allocation_allocate_order,
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
from .pnbp import (
    PnbpError,
    deposit_cancel,
    deposit_create,
    deposit_record_ntpn,
    deposit_set_billing,
    pnbp_alerts_raise,
    pnbp_record_refund,
    pnbp_record_sale,
    pnbp_record_sales,
    revenue_split_set,
)
from .stock import stock_location_warehouse, stockrecord_sync

__all__ = [
    "BatchError",
    "InsufficientStock",
    "LockedStock",
    "PnbpError",
    "allocation_allocate_order",
    "allocation_release_order",
    "allocation_restock_line",
    "batch_create",
    "batch_recall",
    "batch_record_production",
    "batch_record_qc",
    "batch_release",
    "batch_update_plan",
    "deposit_cancel",
    "deposit_create",
    "deposit_record_ntpn",
    "deposit_set_billing",
    "pnbp_alerts_raise",
    "pnbp_record_refund",
    "pnbp_record_sale",
    "pnbp_record_sales",
    "revenue_split_set",
    "stock_location_warehouse",
    "stockrecord_sync",
]
