"""Block Kit as HTML, pure functions: messages, modals and the App Home as Slack draws them.

Interactive elements carry their Slack identity in `data-` attributes (action id, block
id, value, type); the page's script turns a click or a change into the `block_actions`
payload Slack would send. Input blocks inside a modal become form fields named
`block_id::action_id`, read back by `bot.playground.state_values`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from bot.playground.mrkdwn import Reader, emoji, mrkdwn, plain

Block = Mapping[str, Any]


def text_object(obj: Mapping[str, Any] | None, reader: Reader) -> Markup:
    """A composition text object: `mrkdwn` or `plain_text`."""
    if not obj:
        return Markup("")
    if obj.get("type") == "mrkdwn":
        return mrkdwn(obj.get("text"), reader)
    return plain(obj.get("text"))


def _attrs(**values: Any) -> Markup:
    """HTML attributes, escaped; `None` and `False` leave the attribute out."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        attr = name.rstrip("_").replace("_", "-")
        parts.append(attr if value is True else f'{attr}="{escape(str(value))}"')
    return Markup(" ".join(parts))


def _action_data(element: Mapping[str, Any], block_id: str) -> str:
    return json.dumps(
        {
            "type": element.get("type"),
            "action_id": element.get("action_id", ""),
            "block_id": block_id,
            "value": element.get("value"),
            "text": element.get("text"),
        }
    )


def render_blocks(blocks: Iterable[Block], reader: Reader, *, in_modal: bool = False) -> Markup:
    """Every block in order; unknown types are shown as a quiet note, never dropped silently."""
    return Markup("").join(render_block(b, reader, in_modal=in_modal) for b in blocks)


def render_block(block: Block, reader: Reader, *, in_modal: bool = False) -> Markup:
    kind = block.get("type")
    block_id = str(block.get("block_id", ""))
    if kind == "header":
        return Markup('<div class="bk-header">{}</div>').format(
            text_object(block.get("text"), reader)
        )
    if kind == "divider":
        return Markup('<hr class="bk-divider">')
    if kind == "section":
        return _section(block, reader, block_id)
    if kind == "context":
        items = [
            _image(e, small=True) if e.get("type") == "image" else text_object(e, reader)
            for e in block.get("elements", [])
        ]
        return Markup('<div class="bk-context">{}</div>').format(Markup(" ").join(items))
    if kind == "actions":
        elements = Markup("").join(
            render_element(e, reader, block_id) for e in block.get("elements", [])
        )
        return Markup('<div class="bk-actions">{}</div>').format(elements)
    if kind == "image":
        title = text_object(block.get("title"), reader)
        return Markup('<figure class="bk-image">{}<figcaption>{}</figcaption></figure>').format(
            _image(block), title
        )
    if kind == "rich_text":
        return Markup('<div class="bk-rich">{}</div>').format(
            Markup("").join(_rich_element(e, reader) for e in block.get("elements", []))
        )
    if kind == "input":
        return _input(block, reader, block_id)
    return Markup('<div class="bk-unknown">[{} block]</div>').format(kind)


def _image(element: Mapping[str, Any], *, small: bool = False) -> Markup:
    return Markup("<img {}>").format(
        _attrs(
            src=element.get("image_url") or element.get("slack_file", {}).get("url"),
            alt=element.get("alt_text", ""),
            class_="bk-img-small" if small else "bk-img",
        )
    )


def _section(block: Block, reader: Reader, block_id: str) -> Markup:
    body = Markup("")
    if block.get("text"):
        body += Markup('<div class="bk-text">{}</div>').format(text_object(block["text"], reader))
    if block.get("fields"):
        fields = Markup("").join(
            Markup('<div class="bk-field">{}</div>').format(text_object(f, reader))
            for f in block["fields"]
        )
        body += Markup('<div class="bk-fields">{}</div>').format(fields)
    accessory = block.get("accessory")
    side = Markup("")
    if accessory:
        side = Markup('<div class="bk-accessory">{}</div>').format(
            _image(accessory)
            if accessory.get("type") == "image"
            else render_element(accessory, reader, block_id)
        )
    return Markup('<div class="bk-section"><div class="bk-main">{}</div>{}</div>').format(
        body, side
    )


def _options(element: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return options


def _option_tags(
    options: Iterable[Mapping[str, Any]], selected: set[str], reader: Reader
) -> Markup:
    return Markup("").join(
        Markup("<option {}>{}</option>").format(
            _attrs(value=o.get("value"), selected=o.get("value") in selected),
            plain((o.get("text") or {}).get("text")),
        )
        for o in options
    )


def render_element(element: Mapping[str, Any], reader: Reader, block_id: str) -> Markup:
    """An interactive element outside an input block: it sends `block_actions` when used."""
    kind = element.get("type")
    data = _action_data(element, block_id)
    if kind == "button":
        style = element.get("style")
        return Markup('<button type="button" {}>{}</button>').format(
            _attrs(
                class_=f"bk-button {style or ''}".strip(),
                data_action=data,
                data_url=element.get("url"),
                data_confirm=json.dumps(element["confirm"]) if element.get("confirm") else None,
            ),
            plain((element.get("text") or {}).get("text")),
        )
    if kind in {"static_select", "overflow", "external_select"}:
        placeholder = "⋯" if kind == "overflow" else (element.get("placeholder") or {}).get("text")
        initial = (element.get("initial_option") or {}).get("value")
        return Markup('<select {}><option value="">{}</option>{}</select>').format(
            _attrs(class_=f"bk-select bk-{kind}", data_action=data),
            emoji(placeholder or "Choose"),
            _option_tags(_options(element), {initial} if initial else set(), reader),
        )
    if kind == "datepicker":
        return Markup("<input {}>").format(
            _attrs(
                type="date",
                class_="bk-date",
                data_action=data,
                value=element.get("initial_date"),
            )
        )
    if kind in {"users_select", "conversations_select", "channels_select"}:
        source = reader.users if kind == "users_select" else reader.channels
        options = [{"value": k, "text": {"text": v}} for k, v in source.items()]
        return Markup('<select {}><option value="">Choose</option>{}</select>').format(
            _attrs(class_="bk-select", data_action=data), _option_tags(options, set(), reader)
        )
    return Markup('<span class="bk-unknown">[{}]</span>').format(kind)


def _input(block: Block, reader: Reader, block_id: str) -> Markup:
    element = block.get("element") or {}
    name = f"{block_id}::{element.get('action_id', '')}"
    label = plain((block.get("label") or {}).get("text"))
    optional = Markup(' <span class="optional">(optional)</span>') if block.get("optional") else ""
    hint = block.get("hint")
    hint_html = (
        Markup('<div class="bk-hint">{}</div>').format(plain(hint.get("text"))) if hint else ""
    )
    return Markup(
        '<div class="bk-input" data-block-id="{}"><label>{}{}</label>{}{}'
        '<div class="bk-error" data-error-for="{}"></div></div>'
    ).format(block_id, label, optional, input_field(element, name, reader), hint_html, block_id)


def input_field(element: Mapping[str, Any], name: str, reader: Reader) -> Markup:
    """The form control for an input block's element."""
    kind = element.get("type")
    placeholder = (element.get("placeholder") or {}).get("text")
    if kind in {"plain_text_input", "email_text_input", "url_text_input", "number_input"}:
        html_type = {
            "email_text_input": "email",
            "url_text_input": "url",
            "number_input": "number",
        }.get(kind, "text")
        if element.get("multiline"):
            return Markup("<textarea {}>{}</textarea>").format(
                _attrs(name=name, placeholder=placeholder, maxlength=element.get("max_length")),
                element.get("initial_value") or "",
            )
        return Markup("<input {}>").format(
            _attrs(
                type=html_type,
                name=name,
                placeholder=placeholder,
                maxlength=element.get("max_length"),
                value=element.get("initial_value"),
            )
        )
    if kind == "datepicker":
        return Markup("<input {}>").format(
            _attrs(type="date", name=name, value=element.get("initial_date"))
        )
    if kind == "timepicker":
        return Markup("<input {}>").format(
            _attrs(type="time", name=name, value=element.get("initial_time"))
        )
    if kind in {"static_select", "multi_static_select"}:
        multiple = kind.startswith("multi")
        initial = element.get("initial_options") if multiple else [element.get("initial_option")]
        selected = {o.get("value") for o in initial or [] if o}
        empty = (
            ""
            if multiple
            else Markup('<option value="">{}</option>').format(placeholder or "Choose")
        )
        return Markup("<select {}>{}{}</select>").format(
            _attrs(name=name, multiple=multiple, size=6 if multiple else None),
            empty,
            _option_tags(_options(element), selected, reader),
        )
    if kind in {
        "users_select",
        "multi_users_select",
        "conversations_select",
        "channels_select",
        "multi_conversations_select",
        "multi_channels_select",
    }:
        multiple = kind.startswith("multi")
        source = reader.users if "users" in kind else reader.channels
        initial = element.get("initial_users") or element.get("initial_conversations") or []
        one = element.get("initial_user") or element.get("initial_conversation")
        selected = {*initial, *([one] if one else [])}
        options = [{"value": k, "text": {"text": v}} for k, v in source.items()]
        empty = "" if multiple else Markup('<option value="">Choose</option>')
        return Markup("<select {}>{}{}</select>").format(
            _attrs(name=name, multiple=multiple, size=5 if multiple else None),
            empty,
            _option_tags(options, selected, reader),
        )
    if kind in {"radio_buttons", "checkboxes"}:
        html_type = "radio" if kind == "radio_buttons" else "checkbox"
        initial = element.get("initial_options") or [element.get("initial_option")]
        selected = {o.get("value") for o in initial if o}
        return Markup('<div class="bk-choices">{}</div>').format(
            Markup("").join(
                Markup("<label><input {}> {}</label>").format(
                    _attrs(
                        type=html_type,
                        name=name,
                        value=o.get("value"),
                        checked=o.get("value") in selected,
                    ),
                    text_object(o.get("text"), reader),
                )
                for o in element.get("options", [])
            )
        )
    return Markup('<span class="bk-unknown">[{}]</span>').format(kind)


def _rich_element(element: Mapping[str, Any], reader: Reader) -> Markup:
    kind = element.get("type")
    inner = Markup("").join(_rich_leaf(e, reader) for e in element.get("elements", []))
    if kind == "rich_text_section":
        return Markup('<div class="rt-section">{}</div>').format(inner)
    if kind == "rich_text_quote":
        return Markup('<blockquote class="rt-quote">{}</blockquote>').format(inner)
    if kind == "rich_text_preformatted":
        return Markup('<pre class="code">{}</pre>').format(inner)
    if kind == "rich_text_list":
        tag = "ol" if element.get("style") == "ordered" else "ul"
        items = Markup("").join(
            Markup("<li>{}</li>").format(
                Markup("").join(_rich_leaf(leaf, reader) for leaf in item.get("elements", []))
            )
            for item in element.get("elements", [])
        )
        return Markup("<{0}>{1}</{0}>").format(Markup(tag), items)
    return Markup("")


def _rich_leaf(leaf: Mapping[str, Any], reader: Reader) -> Markup:
    kind = leaf.get("type")
    if kind == "text":
        out = escape(leaf.get("text", "")).replace("\n", Markup("<br>"))
    elif kind == "link":
        out = Markup("<a {}>{}</a>").format(
            _attrs(href=leaf.get("url"), target="_blank", rel="noopener"),
            leaf.get("text") or leaf.get("url"),
        )
    elif kind == "user":
        user_id = leaf.get("user_id", "")
        out = Markup('<span class="mention">@{}</span>').format(reader.users.get(user_id, user_id))
    elif kind == "channel":
        channel_id = leaf.get("channel_id", "")
        out = Markup('<span class="mention">#{}</span>').format(
            reader.channels.get(channel_id, channel_id)
        )
    elif kind == "emoji":
        out = Markup(emoji(f":{escape(leaf.get('name', ''))}:"))
    elif kind == "date":
        out = mrkdwn(f"<!date^{leaf.get('timestamp')}^{leaf.get('format', '{date}')}|date>", reader)
    elif kind in {"rich_text_section"}:
        out = _rich_element(leaf, reader)
    else:
        out = Markup("")
    style = leaf.get("style") or {}
    for flag, tag in (("code", "code"), ("bold", "b"), ("italic", "i"), ("strike", "s")):
        if style.get(flag):
            out = Markup("<{0}>{1}</{0}>").format(Markup(tag), out)
    return Markup(out)
