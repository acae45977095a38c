"""Outbox renderers of `/mentor mydata` and `/mentor record`: files and a message in the
person's own DM, built at send time from the database (rows hold ids only).

A person erased between the request and the send gets nothing: their member row no
longer names a Slack user, so the row is cancelled.
"""

from __future__ import annotations

from datetime import date

from bot.outbox.message import Outgoing, Post, Upload
from bot.outbox.render import RenderContext, Renderer
from bot.services.erasure_registry import PSEUDONYM_PREFIX
from bot.services.personal_data import member_slack_id, personal_data
from bot.services.personal_record import record_facts, record_owner
from bot.views.data_rights import export_json, export_markdown
from bot.views.personal_record import record_markdown, record_message
from models import Delivery

MYDATA_JSON = "mydata_json"
MYDATA_MARKDOWN = "mydata_markdown"
RECORD_MESSAGE = "record_message"
RECORD_FILE = "record_file"


def mydata_key(member_id: int, stamp: str, kind: str) -> str:
    return f"mydata:member:{member_id}:{stamp}:{kind}"


def record_key(participant_id: int, view_id: str, kind: str) -> str:
    return f"record:participant:{participant_id}:view:{view_id}:{kind}"


def _owner(context: RenderContext, delivery: Delivery) -> str | None:
    """The Slack id of the member the row is for, unless erased or gone."""
    user_id = member_slack_id(
        context.session, member_id=int(delivery.payload.get("member_id") or 0)
    )
    if user_id is None or user_id.startswith(PSEUDONYM_PREFIX):
        return None
    return user_id


def render_mydata(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    user_id = _owner(context, delivery)
    if user_id is None:
        return "person erased"
    data = personal_data(context.session, workspace_id=delivery.workspace_id, user_id=user_id)
    if data is None:
        return "nothing stored"
    stamp = f"{context.now:%Y-%m-%d}"
    if delivery.kind == MYDATA_JSON:
        return Upload(
            filename=f"twoway-my-data-{stamp}.json",
            content=export_json(data),
            title="Everything twoway stores about you (JSON)",
            comment="Here is everything twoway stores about you, as you asked: "
            "a JSON file and a readable copy.",
            open_with=(user_id,),
        )
    return Upload(
        filename=f"twoway-my-data-{stamp}.md",
        content=export_markdown(data),
        title="Everything twoway stores about you (readable)",
        open_with=(user_id,),
    )


def render_record(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    participant_id = delivery.participant_id or 0
    user_id = record_owner(context.session, participant_id=participant_id)
    if user_id is None or user_id.startswith(PSEUDONYM_PREFIX):
        return "person erased"
    payload = delivery.payload
    facts = record_facts(
        context.session,
        participant_id=participant_id,
        start=date.fromisoformat(str(payload["start"])),
        end=date.fromisoformat(str(payload["end"])),
        learning_ids=[int(i) for i in payload.get("learning_ids", [])],
    )
    if delivery.kind == RECORD_MESSAGE:
        message = record_message(facts)
        return Post(text=message["text"], blocks=message["blocks"], open_with=(user_id,))
    return Upload(
        filename=f"twoway-record-{facts.start:%Y%m%d}-{facts.end:%Y%m%d}.md",
        content=record_markdown(facts),
        title=f"My mentoring record: {facts.program}",
        open_with=(user_id,),
    )


DATA_RIGHTS_RENDERERS: dict[str, Renderer] = {
    MYDATA_JSON: render_mydata,
    MYDATA_MARKDOWN: render_mydata,
    RECORD_MESSAGE: render_record,
    RECORD_FILE: render_record,
}
