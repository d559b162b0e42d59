"""Quality control of batches: checklists per product kind (inherited by each product),
inspections item by item by a second pair of eyes, evidence, rework and write-off, and
the failure rates the quarterly monitoring report reads."""
