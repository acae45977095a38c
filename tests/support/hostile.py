"""Hostile requests for the fuzz: every shape Slack never sends, signed and not.

Shared by tests/test_fuzz.py (a few hundred examples in the suite) and bench/fuzz_requests.py
(the long run). The senders are outsiders (in no program, not coordinators) or garbage ids,
so no request here may change any state.
"""

from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

import bot.views
from tests.support.slack_requests import TEAM_ID, sign

OUTSIDERS = ("U0OUTSIDE1", "U0OUTSIDE2", "U0JUNIOR01")
CHANNELS = ("C0ADMIN001", "C0GENERAL1", "D0NOWHERE1")
SUBCOMMANDS = (
    "", "help", "join", "profile", "pause", "resume", "leave", "pair", "goals", "next", "log",
    "learnings", "actions", "feedback", "survey", "admin", "admin channel", "admin program",
    "admin program create", "admin program show", "admin program close", "admin match",
    "admin rotate", "pause until",
)  # fmt: skip
EVENT_TYPES = ("app_home_opened", "user_change", "message", "team_join", "nonsense")


def known_ids() -> list[str]:
    """Every block, action and callback id the views declare (the app's real routes)."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(bot.views.__path__):
        module = importlib.import_module(f"bot.views.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, enum.StrEnum)
                and value is not enum.StrEnum
            ):
                found.update(member.value for member in value)
    return sorted(found)


@dataclass(frozen=True)
class HostileRequest:
    family: str
    body: bytes
    content_type: str
    signed: bool = True
    headers: dict[str, str] = field(default_factory=dict)

    def http_headers(self, secret: str) -> dict[str, str]:
        timestamp = str(int(time.time()))
        headers = {"Content-Type": self.content_type, "X-Slack-Request-Timestamp": timestamp}
        if self.signed:
            headers["X-Slack-Signature"] = sign(
                secret, self.body.decode("utf-8", "surrogateescape"), int(timestamp)
            )
        return {**headers, **self.headers}


# -- building blocks -------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.from_regex(r"[0-9]{15,40}", fullmatch=True),
    st.sampled_from(["0", "-1", "1", "2", "3", "999999", "1e9", "NaN", "0x10", " 7 ", "1.5"]),
)
garbage = st.one_of(
    numbers,
    st.text(max_size=40),
    st.sampled_from(["", "null", "{}", "[]", "None", "undefined", "%00", "<@U0BAD>", "1:2:3"]),
    st.text(min_size=300, max_size=400),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | numbers,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Well-formed three times in four: a request must get past the envelope's checks to
    reach a listener, and it is the listeners whose answers to hostile values are tested."""
    return st.integers(0, 3).flatmap(lambda n: garbage if n == 0 else valid)


users = mostly(st.sampled_from(OUTSIDERS))
channels = mostly(st.sampled_from(CHANNELS))
trigger_ids = mostly(st.just("1.2.3"))


def _ids() -> st.SearchStrategy[str]:
    return mostly(st.sampled_from(known_ids()))


def _form(fields: dict[str, Any]) -> bytes:
    return urlencode({k: v for k, v in fields.items() if v is not None}).encode()


@st.composite
def slash_commands(draw: st.DrawFn) -> HostileRequest:
    words = draw(st.sampled_from(SUBCOMMANDS))
    tail = draw(st.one_of(st.just(""), garbage))
    fields = {
        "team_id": draw(mostly(st.just(TEAM_ID))),
        "channel_id": draw(channels),
        "user_id": draw(users),
        "command": draw(st.sampled_from(["/mentor", "/mentor", "/other", ""])),
        "text": f"{words} {tail}".strip(),
        "response_url": draw(st.sampled_from(["", "not a url", None])),
        "trigger_id": draw(trigger_ids),
    }
    return HostileRequest("command", _form(fields), "application/x-www-form-urlencoded")


def _element(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        st.one_of(
            st.fixed_dictionaries({"type": st.just("plain_text_input"), "value": garbage}),
            st.fixed_dictionaries(
                {
                    "type": st.just("static_select"),
                    "selected_option": st.one_of(
                        st.none(), st.fixed_dictionaries({"value": garbage})
                    ),
                }
            ),
            st.fixed_dictionaries({"type": st.just("datepicker"), "selected_date": garbage}),
            st.fixed_dictionaries(
                {"type": st.just("multi_static_select"), "selected_options": json_values}
            ),
            st.dictionaries(st.text(max_size=10), json_values, max_size=3),
        )
    )


@st.composite
def block_actions(draw: st.DrawFn) -> HostileRequest:
    action: dict[str, Any] = {
        "action_id": draw(_ids()),
        "block_id": draw(_ids()),
        "type": draw(st.sampled_from(["button", "static_select", "overflow", "datepicker"])),
        "value": draw(st.one_of(garbage, st.none())),
        "action_ts": "1.0",
    }
    if draw(st.booleans()):
        action["selected_option"] = draw(
            st.one_of(st.fixed_dictionaries({"value": garbage}), json_values)
        )
    user = draw(users)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0TWOWAY01",
        "trigger_id": draw(trigger_ids),
        "container": draw(
            st.one_of(
                st.fixed_dictionaries({"channel_id": channels, "message_ts": garbage}),
                json_values,
            )
        ),
        "channel": {"id": draw(channels)},
        "actions": [action],
    }
    return HostileRequest(
        "block_actions",
        _form({"payload": json.dumps(payload)}),
        "application/x-www-form-urlencoded",
    )


@st.composite
def view_submissions(draw: st.DrawFn) -> HostileRequest:
    blocks = draw(st.lists(_ids(), max_size=4))
    values = {block: {draw(_ids()): _element(draw)} for block in blocks}
    payload = {
        "type": draw(st.sampled_from(["view_submission", "view_closed"])),
        "team": {"id": TEAM_ID},
        "user": {"id": draw(users), "team_id": TEAM_ID},
        "view": {
            "id": draw(mostly(st.just("V0FUZZ0001"))),
            "type": "modal",
            "callback_id": draw(_ids()),
            "private_metadata": draw(st.one_of(garbage, st.just(json.dumps({"program_id": 1})))),
            "state": {"values": values},
            "hash": "h",
        },
        "response_urls": [],
    }
    return HostileRequest(
        "view_submission",
        _form({"payload": json.dumps(payload)}),
        "application/x-www-form-urlencoded",
    )


@st.composite
def events(draw: st.DrawFn) -> HostileRequest:
    event_type = draw(st.sampled_from(EVENT_TYPES))
    event: dict[str, Any] = {"type": event_type, "event_ts": "1.0"}
    if event_type == "user_change":
        event["user"] = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {"id": users, "tz": garbage, "real_name": garbage, "deleted": json_values}
                ),
                json_values,
            )
        )
    else:
        event["user"] = draw(st.one_of(users, json_values))
        event["tab"] = draw(st.one_of(st.sampled_from(["home", "messages"]), garbage))
    envelope = {
        "team_id": TEAM_ID,
        "api_app_id": "A0TWOWAY01",
        "type": "event_callback",
        "event_id": f"EvFUZZ{draw(st.integers(0, 10**9))}",
        "event": event,
    }
    return HostileRequest("event", json.dumps(envelope).encode(), "application/json")


@st.composite
def wrong_shapes(draw: st.DrawFn) -> HostileRequest:
    """Envelopes whose fields have the wrong types (team as a string, view null, ...)."""
    kind = draw(st.sampled_from(["block_actions", "view_submission", "event_callback", None]))
    payload: dict[str, Any] = {"type": kind}
    for key in ("team", "user", "view", "actions", "event", "container", "channel", "message"):
        if draw(st.booleans()):
            payload[key] = draw(json_values)
    if kind == "event_callback" or draw(st.booleans()):
        return HostileRequest("wrong_shape", json.dumps(payload).encode(), "application/json")
    return HostileRequest(
        "wrong_shape", _form({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )


@st.composite
def unsigned(draw: st.DrawFn) -> HostileRequest:
    """Not from Slack: no, a wrong, or a replayed signature; garbage bodies and headers."""
    body = draw(
        st.one_of(
            st.binary(max_size=200),
            st.sampled_from([b"{not json", b"payload=null", b"\xff\xfe", b"payload=%7B", b""]),
        )
    )
    content_type = draw(
        st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain"])
    )
    headers = draw(
        st.sampled_from(
            [
                {},
                {"X-Slack-Signature": "v0=" + "0" * 64},
                {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=abc"},
                {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=" + "1" * 64},
            ]
        )
    )
    return HostileRequest("unsigned", body, content_type, signed=False, headers=headers)


@st.composite
def signed_garbage(draw: st.DrawFn) -> HostileRequest:
    """Correctly signed bodies that are not what their content type says."""
    body = draw(
        st.one_of(
            st.binary(max_size=200).filter(
                lambda b: b.decode("utf-8", "ignore") == b.decode("utf-8", "surrogateescape")
            ),
            st.sampled_from(
                [b"{not json", b"payload=null", b"payload=%7B", b"payload=[]", b"[]", b"null", b"1"]
            ),
        )
    )
    content_type = draw(st.sampled_from(["application/json", "application/x-www-form-urlencoded"]))
    return HostileRequest("signed_garbage", body, content_type)


hostile_requests = st.one_of(
    slash_commands(),
    block_actions(),
    view_submissions(),
    events(),
    wrong_shapes(),
    unsigned(),
    signed_garbage(),
)
