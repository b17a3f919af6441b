"""All API routes, mounted once under /api/v1, and the scrape endpoint at the root."""

from fastapi import APIRouter

from homelab_cmd.api.routes import (
    agents,
    alert_settings,
    alerts,
    audit,
    auth,
    docs,
    drives,
    enrollments,
    metrics,
    notification_channels,
    prometheus,
    reports,
    servers,
    silences,
    system,
    tokens,
    usage,
    users,
)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(agents.router)
api_router.include_router(auth.router)
api_router.include_router(enrollments.router)
api_router.include_router(servers.router)
api_router.include_router(drives.router)
api_router.include_router(usage.router)
api_router.include_router(metrics.router)
api_router.include_router(system.router)
api_router.include_router(tokens.router)
api_router.include_router(users.router)
api_router.include_router(audit.router)
api_router.include_router(alerts.router)
api_router.include_router(alert_settings.router)
api_router.include_router(silences.router)
api_router.include_router(notification_channels.router)
api_router.include_router(reports.router)

# Outside /api/v1: Prometheus looks for /metrics at the root by default.
root_router = APIRouter()
root_router.include_router(prometheus.router)
root_router.include_router(enrollments.install_router)
# The API's own docs, with their files (not under /api/v1: they are no part of the API).
root_router.include_router(docs.router)
