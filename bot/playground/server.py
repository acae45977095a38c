"""The playground's web page: Starlette routes and a jinja2 template, loopback only.

The same ASGI app also serves the bot's own `/slack/events` (signature checked as in
production), which is where the page's actions go as Slack-signed requests.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.playground.page import build_page
from bot.playground.people import COORDINATOR
from bot.playground.world import STEPS, Outcome, Playground
from bot.slack_emulator.browse import file_bytes

HERE = Path(__file__).parent
templates = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
)


def _outcome(outcome: Outcome) -> JSONResponse:
    return JSONResponse({"ok": outcome.ok, "errors": outcome.errors, "note": outcome.note})


def _known_user(world: Playground, user_id: object) -> str | None:
    if isinstance(user_id, str) and user_id in world.emulator.workspace.users:
        return user_id
    return None


def create_page_app(world: Playground, slack_routes: list[Any]) -> Starlette:
    """The page and its JSON endpoints, plus the bot's routes (`/slack/events`, `/healthz`)."""

    async def index(_request: Request) -> Response:
        return RedirectResponse(f"/as/{COORDINATOR.user_id}", status_code=303)

    async def person_page(request: Request) -> Response:
        user_id = _known_user(world, request.path_params["user"])
        if user_id is None:
            return HTMLResponse("No such person in the playground.", status_code=404)
        channel = request.query_params.get("c")
        if channel == "home":
            await run_in_threadpool(world.open_home, user_id)
        model = await run_in_threadpool(build_page, world, user_id, channel)
        html = templates.get_template("page.html").render(m=model, steps=list(STEPS))
        return HTMLResponse(html)

    async def body_of(request: Request) -> tuple[dict[str, Any], str] | Response:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"ok": False, "note": "not JSON"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"ok": False, "note": "not an object"}, status_code=400)
        user_id = _known_user(world, body.get("user"))
        if user_id is None:
            return JSONResponse({"ok": False, "note": "unknown person"}, status_code=400)
        return body, user_id

    async def command(request: Request) -> Response:
        parsed = await body_of(request)
        if isinstance(parsed, Response):
            return parsed
        body, user_id = parsed
        outcome = await run_in_threadpool(
            world.command, user_id, str(body.get("channel", "")), str(body.get("text", ""))
        )
        return _outcome(outcome)

    async def action(request: Request) -> Response:
        parsed = await body_of(request)
        if isinstance(parsed, Response):
            return parsed
        body, user_id = parsed
        outcome = await run_in_threadpool(
            lambda: world.action(
                user_id,
                action=dict(body.get("action") or {}),
                chosen=body.get("chosen"),
                chosen_text=body.get("chosen_text"),
                channel_id=body.get("channel"),
                message_ts=body.get("ts"),
                ephemeral_url=body.get("ephemeral_url"),
                view_id=body.get("view_id"),
            )
        )
        return _outcome(outcome)

    async def submit(request: Request) -> Response:
        parsed = await body_of(request)
        if isinstance(parsed, Response):
            return parsed
        body, user_id = parsed
        fields = body.get("fields") or {}
        form = {
            str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])]
            for k, vs in fields.items()
        }
        outcome = await run_in_threadpool(world.submit, user_id, str(body.get("view_id")), form)
        return _outcome(outcome)

    async def close(request: Request) -> Response:
        parsed = await body_of(request)
        if isinstance(parsed, Response):
            return parsed
        _, user_id = parsed
        world.close_modal(user_id)
        return _outcome(Outcome())

    async def clock(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        step = body.get("step") if isinstance(body, dict) else None
        if step == "next":
            report = await run_in_threadpool(world.next_due)
        elif step in STEPS:
            report = await run_in_threadpool(world.advance, step)
        else:
            return JSONResponse({"ok": False, "note": "unknown step"}, status_code=400)
        return JSONResponse({"ok": True, "now": report.now.isoformat(), "counts": report.counts})

    async def file(request: Request) -> Response:
        found = file_bytes(world.emulator.workspace, request.path_params["file_id"])
        if found is None:
            return Response("No such file.", status_code=404)
        name, content = found
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        disposition = "inline" if mimetype.startswith("image/") else "attachment"
        return Response(
            content,
            media_type=mimetype,
            headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
        )

    return Starlette(
        routes=[
            Route("/", index),
            Route("/as/{user}", person_page),
            Route("/api/command", command, methods=["POST"]),
            Route("/api/action", action, methods=["POST"]),
            Route("/api/submit", submit, methods=["POST"]),
            Route("/api/close", close, methods=["POST"]),
            Route("/api/clock", clock, methods=["POST"]),
            Route("/files/{file_id}/{name}", file),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
            *slack_routes,
        ]
    )
