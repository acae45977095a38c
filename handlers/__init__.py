"""Bolt listeners, one module per feature; `create_bolt_app` wires them all."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers import (
    admin_matching,
    admin_programs,
    checkins,
    enrolment,
    goals,
    help,
    home,
    pairs,
    rhythm,
    surveys,
)
from handlers.errors import handle_error
from handlers.middleware import log_request, make_runtime_middleware, skip_handled_events

# Feature modules in registration order; `help` is last because it takes every
# `/mentor` text that no feature claimed.
FEATURES = (
    home,
    admin_programs,
    admin_matching,
    enrolment,
    pairs,
    goals,
    rhythm,
    checkins,
    surveys,
    help,
)


def create_bolt_app(runtime: Runtime) -> App:
    settings = runtime.settings
    app = App(
        client=runtime.gateway.client,
        # Socket Mode needs no signature; Bolt still wants a value.
        signing_secret=settings.slack_signing_secret or "socket-mode",
        request_verification_enabled=not settings.socket_mode,
        process_before_response=False,  # ack first, slow work after, in Bolt's thread pool
        token_verification_enabled=False,  # auth.test already ran in bootstrap_workspace
        raise_error_for_unhandled_request=False,
    )
    app.use(make_runtime_middleware(runtime))
    app.use(log_request)
    app.use(skip_handled_events)
    app.error(handle_error)
    for feature in FEATURES:
        feature.register(app)
    return app
