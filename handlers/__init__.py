"""Bolt listeners, one module per feature, each exposing `FEATURE` (see `bot.registry`).

`discover_features` finds them by scanning this package, so adding a feature adds a
module here and touches no central file; `create_bolt_app` wires what it found.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App

from bot.registry import Feature, Features
from bot.request_log import LoggedApp
from bot.runtime import Runtime
from handlers.envelope import EnvelopeGuard
from handlers.errors import handle_error
from handlers.executor import TrackedExecutor
from handlers.middleware import (
    log_request,
    make_runtime_middleware,
    resolve_request_caller,
    skip_handled_events,
)
from handlers.router import Router


def discover_features() -> Features:
    """Every handlers module that declares a `FEATURE`."""
    found: list[Feature] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        feature = getattr(module, "FEATURE", None)
        if isinstance(feature, Feature):
            found.append(feature)
    return Features(found)


@contextmanager
def _settings_are_the_only_source() -> Iterator[None]:
    """Hide the variables Bolt's `App()` would read behind `Settings`' back, while it is built.

    Given a client, Bolt still takes `SLACK_BOT_TOKEN` from the environment (and warns that it
    is unused), and `SLACK_CLIENT_ID`/`_SECRET` would switch on an OAuth flow twoway does not run.
    """
    hidden = {name: os.environ.pop(name) for name in _BOLT_FALLBACKS if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


_BOLT_FALLBACKS = ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


def create_bolt_app(runtime: Runtime, *, executor: TrackedExecutor | None = None) -> App:
    settings = runtime.settings
    with _settings_are_the_only_source():
        app = LoggedApp(  # one log line per request, with the status it answered
            client=runtime.gateway.client,
            # Socket Mode needs no signature; Bolt still wants a value.
            signing_secret=settings.slack_signing_secret or "socket-mode",
            request_verification_enabled=not settings.socket_mode,
            process_before_response=False,  # ack first, slow work after, in Bolt's thread pool
            token_verification_enabled=False,  # auth.test already ran in bootstrap_workspace
            raise_error_for_unhandled_request=False,
            listener_executor=executor or TrackedExecutor(),
            before_authorize=EnvelopeGuard(),  # first after the signature: shapes Bolt can't route
        )
    app.use(make_runtime_middleware(runtime))
    app.use(log_request)
    app.use(skip_handled_events)
    app.use(resolve_request_caller)
    app.error(handle_error)
    router = Router()  # one Bolt listener per kind: Bolt's own search is per listener
    for feature in runtime.features.registration_order():
        if feature.register is not None:
            feature.register(router)
    router.install(app)
    return app
