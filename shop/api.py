"""Karya's HTTP API, version 1, at /api/v1/ (OpenAPI schema at /api/v1/openapi.json,
browsable docs at /api/v1/docs). Each app adds its router here."""

from ninja import NinjaAPI

from catalog.api import router as catalog_router
from production_link.api import router as production_router
from production_link.pnbp.api import router as pnbp_router
from production_link.reports.api import router as pnbp_reports_router
from shop.pos.api import router as pos_router

api = NinjaAPI(
    title="Karya API",
    version="1",
    description=(
        "Goods and services from the workshops of Indonesia's correctional institutions. "
        "Prices are whole rupiah (IDR)."
    ),
    urls_namespace="api-v1",
)
api.add_router("", catalog_router)
api.add_router("", production_router)
api.add_router("", pnbp_reports_router)
api.add_router("", pnbp_router)
api.add_router("", pos_router)
