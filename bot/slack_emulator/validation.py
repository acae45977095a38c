"""Validation of message blocks and views the way Slack does it, before anything is stored.

Pure and side-effect free so it can be unit-tested on its own. Two layers: the explicit
limits in ``block_rules`` (with JSON pointers, like Slack's error messages), then slack_sdk's
own models as a second net for anything the explicit rules do not cover.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack_emulator.block_rules import ID_MAX, check_block, check_length, check_text, problem

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40000
MESSAGE_MAX_ATTACHMENTS = 100
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255


def sdk_block_errors(block: dict[str, Any], pointer: str) -> list[str]:
    """What slack_sdk's block models reject (they validate nested objects on ``to_dict``)."""
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [problem("unknown block type", f"{pointer}/type")]
        parsed.to_dict()
    except SlackObjectFormationError as error:
        return [problem(str(error), pointer)]
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        return [problem(f"invalid block: {error}", pointer)]
    return []


def check_blocks(blocks: Any, *, pointer: str, limit: int) -> list[str]:
    """A ``blocks`` array: size, per-block limits, ``block_id`` length and uniqueness."""
    if not isinstance(blocks, list):
        return [problem("must be an array", pointer)]
    errors = (
        [problem(f"must be less than {limit + 1} items", pointer)] if len(blocks) > limit else []
    )
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        at = f"{pointer}/{i}"
        found = check_block(block, at)
        if isinstance(block, dict):
            block_id = block.get("block_id")
            found += check_length(block_id, f"{at}/block_id", ID_MAX)
            if isinstance(block_id, str) and block_id in seen:
                found.append(problem(f"duplicate block_id: {block_id}", f"{at}/block_id"))
            if isinstance(block_id, str):
                seen.add(block_id)
            if not found:
                found = sdk_block_errors(block, at)
        errors += found
    return errors


def message_block_errors(blocks: Any) -> list[str]:
    """Problems with a message's ``blocks`` (empty list when Slack would accept them)."""
    return check_blocks(blocks, pointer="/blocks", limit=MESSAGE_MAX_BLOCKS)


def message_text_too_long(text: Any) -> bool:
    """Slack answers ``msg_too_long`` past 40,000 characters of ``text``."""
    return isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX


def _modal_errors(view: dict[str, Any]) -> list[str]:
    """Title, buttons and the rule that a modal with inputs needs a submit button."""
    errors = check_text(view.get("title"), "/view/title", limit=VIEW_TITLE_MAX, plain_only=True)
    for button in ("submit", "close"):
        if button in view:
            errors += check_text(
                view[button], f"/view/{button}", limit=VIEW_BUTTON_MAX, plain_only=True
            )
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if has_input and "submit" not in view:
        errors.append(problem("must provide submit when the view has input blocks", "/view/submit"))
    return errors


def _sdk_view_errors(view: dict[str, Any]) -> list[str]:
    """What slack_sdk's ``View`` model rejects."""
    try:
        View(**view).validate_json()
    except SlackObjectFormationError as error:
        return [problem(str(error), "/view")]
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        return [problem(f"invalid view: {error}", "/view")]
    return []


def view_errors(view: Any, *, allowed_types: tuple[str, ...]) -> list[str]:
    """Problems with a modal or Home tab view (empty list when Slack would accept it)."""
    if not isinstance(view, dict):
        return [problem("must be a view object", "/view")]
    if view.get("type") not in allowed_types:
        return [problem(f"type must be one of {list(allowed_types)}", "/view/type")]
    if view["type"] == "modal":
        errors = _modal_errors(view)
    else:
        errors = [
            problem("home views cannot have submit or close", f"/view/{key}")
            for key in ("submit", "close")
            if key in view
        ]
    errors += check_length(
        view.get("private_metadata"), "/view/private_metadata", PRIVATE_METADATA_MAX
    )
    errors += check_length(view.get("callback_id"), "/view/callback_id", CALLBACK_ID_MAX)
    errors += check_length(view.get("external_id"), "/view/external_id", ID_MAX)
    if "blocks" not in view:
        errors.append(problem("missing required field: blocks", "/view/blocks"))
    else:
        errors += check_blocks(view["blocks"], pointer="/view/blocks", limit=VIEW_MAX_BLOCKS)
    return errors or _sdk_view_errors(view)
