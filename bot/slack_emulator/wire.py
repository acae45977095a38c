"""Decoding request bodies the three ways Slack accepts them.

slack_sdk sends some methods form-encoded, some as JSON and uploads as multipart; Slack
treats all three as the same arguments, so the emulator turns each into one flat dict.
"""

from __future__ import annotations

import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl


class BodyError(ValueError):
    """The body could not be decoded; Slack answers ``invalid_json`` or ``invalid_form_data``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def media_type(content_type: str | None) -> str:
    """``"application/json;charset=utf-8"`` becomes ``"application/json"``."""
    message = Message()
    message["content-type"] = content_type or "application/x-www-form-urlencoded"
    return message.get_content_type()


def parse_form(text: str) -> dict[str, str]:
    """A urlencoded string as a dict; a repeated key keeps its last value, like Slack."""
    return dict(parse_qsl(text, keep_blank_values=True))


def parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Multipart fields as strings, file parts as bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BodyError("invalid_form_data")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is None:
            fields[name] = payload.decode(part.get_content_charset() or "utf-8")
        else:
            fields[name] = payload
    return fields


def parse_body(content_type: str | None, body: bytes) -> dict[str, Any]:
    """A request body as arguments, whatever encoding the client chose."""
    kind = media_type(content_type)
    if not body:
        return {}
    if kind == "application/json":
        try:
            decoded = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BodyError("invalid_json") from error
        if not isinstance(decoded, dict):
            raise BodyError("invalid_json")
        return decoded
    if kind == "multipart/form-data":
        return parse_multipart(content_type or "", body)
    try:
        return parse_form(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BodyError("invalid_form_data") from error


def bearer_token(authorization: str | None) -> str | None:
    """The token from an ``Authorization: Bearer xoxb-...`` header, if there is one."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def decode_json_arg(value: Any) -> Any:
    """An argument that form clients send as a JSON string and JSON clients send decoded."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value
