"""What one person sees, assembled from the emulator's recorded state: their conversations,
a conversation's timeline (messages, their own ephemeral answers, shared files), their
Home tab and the modal on top of their stack."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from bot.clock import zone
from bot.playground.blocks import render_blocks
from bot.playground.mrkdwn import Reader, mrkdwn
from bot.playground.people import PEOPLE, by_id
from bot.playground.world import Playground
from bot.slack_emulator.browse import (
    conversations_of,
    ephemerals_for,
    home,
    im_id,
    responses_labelled,
)

HOME = "home"


@dataclass(frozen=True)
class Conversation:
    id: str
    label: str
    kind: str  # public, private, mpim, im, home


@dataclass
class Item:
    """One entry of a timeline."""

    at: float
    html: Markup
    ephemeral_url: str | None = None
    ts: str | None = None
    author: str = "Twoway"


@dataclass
class PageModel:
    user_id: str
    user_name: str
    user_title: str
    timezone: str
    now_local: str
    people: list[dict[str, str]]
    conversations: list[Conversation]
    current: Conversation
    items: list[Item] = field(default_factory=list)
    home_html: Markup | None = None
    home_view_id: str | None = None
    modal: dict[str, Any] | None = None
    modal_html: Markup | None = None
    modal_depth: int = 0


def reader_for(world: Playground, user_id: str) -> Reader:
    ws = world.emulator.workspace
    with ws.lock:
        users = {
            uid: str(u.get("real_name") or u.get("name"))
            for uid, u in ws.users.items()
            if not u.get("is_bot") and uid != "USLACKBOT" and not u.get("deleted")
        }
        channels = {
            cid: str(c.get("name"))
            for cid, c in ws.conversations.items()
            if not c.get("is_im") and not c.get("is_mpim") and not c.get("is_private")
        }
        timezone = str(ws.users.get(user_id, {}).get("tz") or "UTC")
    return Reader(users=users, channels=channels, timezone=timezone, now=world.clock.now())


def conversations_for(world: Playground, user_id: str, reader: Reader) -> list[Conversation]:
    """Channels first, then the DM with the app, then group DMs, then the Home tab."""
    found = conversations_of(world.emulator.workspace, user_id)
    channels = [
        Conversation(c["id"], f"#{c['name']}", c["kind"]) for c in found if c["kind"] != "mpim"
    ]
    groups = [
        Conversation(
            c["id"],
            ", ".join(
                reader.users.get(m, m) for m in c["members"] if m != user_id and m in reader.users
            )
            or "group",
            "mpim",
        )
        for c in found
        if c["kind"] == "mpim"
    ]
    dm = Conversation(im_id(world.emulator.workspace, user_id), "Twoway (app)", "im")
    return [*channels, dm, *groups, Conversation(HOME, "Home", HOME)]


def _files(message: dict[str, Any]) -> Markup:
    parts = []
    for f in message.get("files", []):
        mimetype = f.get("mimetype") or mimetypes.guess_type(f.get("name", ""))[0] or ""
        href = f"/files/{f['id']}/{f.get('name', 'file')}"
        if mimetype.startswith("image/"):
            parts.append(
                Markup(
                    '<figure class="file image"><img src="{}" alt="{}"><figcaption>{}'
                    "</figcaption></figure>"
                ).format(href, f.get("alt_txt") or f.get("name"), f.get("title") or f.get("name"))
            )
        else:
            parts.append(
                Markup('<a class="file download" href="{}" download>📎 {}</a>').format(
                    href, f.get("title") or f.get("name")
                )
            )
    return Markup("").join(parts)


def message_html(message: dict[str, Any], reader: Reader) -> Markup:
    """A message's blocks (or its text when it has none), attachments and files."""
    body = (
        render_blocks(message["blocks"], reader)
        if message.get("blocks")
        else Markup('<div class="bk-text">{}</div>').format(mrkdwn(message.get("text"), reader))
    )
    for attachment in message.get("attachments", []):
        inner = (
            render_blocks(attachment["blocks"], reader)
            if attachment.get("blocks")
            else mrkdwn(attachment.get("text"), reader)
        )
        body += Markup('<div class="attachment" style="border-color:{}">{}</div>').format(
            attachment.get("color", "#ddd"), inner
        )
    return body + _files(message)


def timeline(world: Playground, user_id: str, channel_id: str, reader: Reader) -> list[Item]:
    """Messages in posting order with this person's ephemeral answers where they came."""
    ws = world.emulator.workspace
    answers = responses_labelled(ws, f"{user_id}|{channel_id}|")
    hidden_answers: set[str] = set()
    replaced: dict[str, dict[str, Any] | None] = {}
    for answer in answers:
        source = answer["label"].split("|", 2)[2]
        if not (answer.get("replace_original") or answer.get("delete_original")):
            continue
        if source.startswith("ts:"):
            replaced[source[3:]] = None if answer.get("delete_original") else answer
            hidden_answers.add(answer["url"])
        elif source:
            hidden_answers.add(f"{world.emulator.base_url}/response/{source}")
    items: list[Item] = []
    for message in world.emulator.messages(channel_id):
        shown = replaced.get(message["ts"], message)
        if message["ts"] in replaced and shown is None:
            continue
        assert shown is not None
        items.append(Item(float(message["ts"]), message_html(shown, reader), ts=message["ts"]))
    for answer in answers:
        if answer["url"] in hidden_answers or answer.get("delete_original"):
            continue
        items.append(Item(answer["at"], message_html(answer, reader), ephemeral_url=answer["url"]))
    for at, body in world.command_answers(user_id, channel_id):
        items.append(Item(at, message_html(body, reader), ephemeral_url="command"))
    for eph in ephemerals_for(ws, user_id, channel_id):
        items.append(Item(float(eph["ts"]), message_html(eph, reader), ephemeral_url="chat"))
    items.sort(key=lambda item: item.at)
    return items


def people_list(world: Playground) -> list[dict[str, str]]:
    return [
        {
            "id": p.user_id,
            "name": p.name,
            "role": p.role,
            "department": p.department,
            "timezone": p.timezone,
        }
        for p in PEOPLE
        if p.user_id in world.emulator.workspace.users
    ]


def build_page(world: Playground, user_id: str, channel_id: str | None) -> PageModel:
    reader = reader_for(world, user_id)
    conversations = conversations_for(world, user_id, reader)
    by_conversation = {c.id: c for c in conversations}
    person = by_id(user_id)
    default = next((c for c in conversations if c.kind == "private"), None) or next(
        c for c in conversations if c.kind == "im"
    )
    current = by_conversation.get(channel_id or "", default)
    local_now = reader.now.astimezone(zone(reader.timezone)) if reader.now else None
    model = PageModel(
        user_id=user_id,
        user_name=reader.users.get(user_id, user_id),
        user_title=f"{person.title}, {person.department}" if person else "",
        timezone=reader.timezone,
        now_local=f"{local_now:%a %d %b %Y, %H:%M}" if local_now else "",
        people=people_list(world),
        conversations=conversations,
        current=current,
    )
    if current.kind == HOME:
        published = home(world.emulator.workspace, user_id)
        if published:
            model.home_html = render_blocks(published.get("blocks", []), reader)
            model.home_view_id = str(published["id"])
    else:
        model.items = timeline(world, user_id, current.id, reader)
    stack = world.modal_stack(user_id)
    if stack:
        model.modal = stack[-1]
        model.modal_depth = len(stack)
        model.modal_html = render_blocks(stack[-1].get("blocks", []), reader, in_modal=True)
    return model
