"""The JSON API under /api/. Routers per app, token auth, JSON errors."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tandem API",
    version="1.0.0",
    description="Professional supervision: people, teams and supervision relationships.",
    urls_namespace="api-1.0.0",
    docs_url="/docs",
)
