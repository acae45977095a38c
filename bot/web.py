"""The HTTP surface: `POST /slack/events` into Bolt and `GET /healthz`, as an ASGI app.

Bolt's dispatch is synchronous, so it runs in Starlette's thread pool and the
event loop stays free for other requests; uvicorn serves it in production.
"""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db import database_is_reachable

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def create_asgi_app(bolt_app: App, engine: Engine) -> Starlette:
    async def slack_events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        if await run_in_threadpool(database_is_reachable, engine):
            return JSONResponse({"status": "ok", "database": "reachable"})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)

    return Starlette(
        routes=[
            Route(SLACK_EVENTS_PATH, slack_events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
        ]
    )
