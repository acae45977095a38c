"""Slack's Block Kit limits, checked block by block and element by element.

Pure functions: each takes a JSON value and the JSON pointer where it sits, and returns the
problems found as ``"<message> [json-pointer:<pointer>]"`` strings, the form Slack uses.
slack_sdk's models check some of these too; writing them out keeps the limits visible and
catches what the models let through (duplicate ids, missing text, unknown element types).
"""

from __future__ import annotations

from typing import Any

ID_MAX = 255
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100
PLACEHOLDER_MAX = 150
LABEL_MAX = 2000
ALT_TEXT_MAX = 2000

KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
OPTION_ELEMENTS = frozenset(
    {"static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes"}
)
KNOWN_ELEMENT_TYPES = OPTION_ELEMENTS | {
    "button",
    "channels_select",
    "conversations_select",
    "datepicker",
    "datetimepicker",
    "email_text_input",
    "external_select",
    "file_input",
    "image",
    "multi_channels_select",
    "multi_conversations_select",
    "multi_external_select",
    "multi_users_select",
    "number_input",
    "plain_text_input",
    "rich_text_input",
    "timepicker",
    "url_text_input",
    "users_select",
    "workflow_button",
}
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


def problem(message: str, pointer: str) -> str:
    """One error in Slack's wording style."""
    return f"{message} [json-pointer:{pointer}]"


def check_text(value: Any, pointer: str, *, limit: int, plain_only: bool = False) -> list[str]:
    """A text object: right type, non-empty, within ``limit`` characters."""
    if not isinstance(value, dict):
        return [problem("must be a text object", pointer)]
    allowed = {"plain_text"} if plain_only else TEXT_TYPES
    if value.get("type") not in allowed:
        return [problem(f"type must be one of {sorted(allowed)}", f"{pointer}/type")]
    text = value.get("text")
    if not isinstance(text, str) or not text:
        return [problem("must be more than 0 characters", f"{pointer}/text")]
    if len(text) > limit:
        return [problem(f"must be less than {limit + 1} characters", f"{pointer}/text")]
    return []


def check_length(value: Any, pointer: str, limit: int) -> list[str]:
    """A plain string field no longer than ``limit`` (absent is fine)."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [problem("must be a string", pointer)]
    if len(value) > limit:
        return [problem(f"must be less than {limit + 1} characters", pointer)]
    return []


def check_options(options: Any, pointer: str, limit: int = OPTIONS_MAX) -> list[str]:
    """An ``options`` array: at most ``limit`` items, each with short text and value."""
    if not isinstance(options, list) or not options:
        return [problem("must provide at least 1 item", pointer)]
    errors = (
        [problem(f"must be less than {limit + 1} items", pointer)] if len(options) > limit else []
    )
    for i, option in enumerate(options):
        at = f"{pointer}/{i}"
        if not isinstance(option, dict):
            errors.append(problem("must be an option object", at))
            continue
        errors += check_text(option.get("text"), f"{at}/text", limit=OPTION_TEXT_MAX)
        errors += check_length(option.get("value"), f"{at}/value", OPTION_VALUE_MAX)
    return errors


def check_element(element: Any, pointer: str) -> list[str]:
    """An interactive or input element (button, select, text input, ...)."""
    if not isinstance(element, dict):
        return [problem("must be an element object", pointer)]
    kind = element.get("type")
    if kind not in KNOWN_ELEMENT_TYPES:
        return [problem(f"unknown element type: {kind!r}", f"{pointer}/type")]
    errors = check_length(element.get("action_id"), f"{pointer}/action_id", ID_MAX)
    if "placeholder" in element:
        errors += check_text(
            element["placeholder"], f"{pointer}/placeholder", limit=PLACEHOLDER_MAX, plain_only=True
        )
    if kind == "button":
        errors += check_text(
            element.get("text"), f"{pointer}/text", limit=BUTTON_TEXT_MAX, plain_only=True
        )
        errors += check_length(element.get("value"), f"{pointer}/value", BUTTON_VALUE_MAX)
        errors += check_length(element.get("url"), f"{pointer}/url", URL_MAX)
        if element.get("style") not in (None, "primary", "danger"):
            errors.append(problem("must be primary or danger", f"{pointer}/style"))
    elif kind in OPTION_ELEMENTS and "option_groups" in element:
        groups = element["option_groups"]
        if not isinstance(groups, list) or len(groups) > OPTIONS_MAX:
            errors.append(
                problem(f"must be less than {OPTIONS_MAX + 1} items", f"{pointer}/option_groups")
            )
        else:
            for i, group in enumerate(groups):
                options = group.get("options") if isinstance(group, dict) else None
                errors += check_options(options, f"{pointer}/option_groups/{i}/options")
    elif kind in OPTION_ELEMENTS:
        limit = (
            5
            if kind == "overflow"
            else 10
            if kind in ("radio_buttons", "checkboxes")
            else OPTIONS_MAX
        )
        errors += check_options(element.get("options"), f"{pointer}/options", limit)
    elif kind == "image":
        errors += check_length(element.get("alt_text"), f"{pointer}/alt_text", ALT_TEXT_MAX)
    return errors


def check_elements(elements: Any, pointer: str, *, limit: int) -> list[str]:
    """An ``elements`` array of an actions block: size limit and unique ``action_id`` values."""
    if not isinstance(elements, list) or not elements:
        return [problem("must provide at least 1 item", pointer)]
    errors = (
        [problem(f"must be less than {limit + 1} items", pointer)] if len(elements) > limit else []
    )
    seen: set[str] = set()
    for i, element in enumerate(elements):
        errors += check_element(element, f"{pointer}/{i}")
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if action_id is not None and action_id in seen:
            errors.append(problem(f"duplicate action_id: {action_id}", f"{pointer}/{i}/action_id"))
        if isinstance(action_id, str):
            seen.add(action_id)
    return errors


def check_section(block: dict[str, Any], pointer: str) -> list[str]:
    """A section needs text or fields, each within its limit; its accessory is an element."""
    if "text" not in block and "fields" not in block:
        return [problem("must provide either text or fields", pointer)]
    errors: list[str] = []
    if "text" in block:
        errors += check_text(block["text"], f"{pointer}/text", limit=SECTION_TEXT_MAX)
    if "fields" in block:
        fields = block["fields"]
        if not isinstance(fields, list) or not fields:
            return [*errors, problem("must provide at least 1 item", f"{pointer}/fields")]
        if len(fields) > SECTION_FIELDS_MAX:
            errors.append(
                problem(f"must be less than {SECTION_FIELDS_MAX + 1} items", f"{pointer}/fields")
            )
        for i, field in enumerate(fields):
            errors += check_text(field, f"{pointer}/fields/{i}", limit=SECTION_FIELD_TEXT_MAX)
    if "accessory" in block:
        errors += check_element(block["accessory"], f"{pointer}/accessory")
    return errors


def check_context(block: dict[str, Any], pointer: str) -> list[str]:
    """Context elements are text objects or images, at most ten."""
    elements = block.get("elements")
    at = f"{pointer}/elements"
    if not isinstance(elements, list) or not elements:
        return [problem("must provide at least 1 item", at)]
    errors = []
    if len(elements) > CONTEXT_ELEMENTS_MAX:
        errors.append(problem(f"must be less than {CONTEXT_ELEMENTS_MAX + 1} items", at))
    for i, element in enumerate(elements):
        kind = element.get("type") if isinstance(element, dict) else None
        if kind == "image":
            errors += check_length(element.get("alt_text"), f"{at}/{i}/alt_text", ALT_TEXT_MAX)
        else:
            errors += check_text(element, f"{at}/{i}", limit=SECTION_TEXT_MAX)
    return errors


def check_block(block: Any, pointer: str) -> list[str]:
    """Type-specific limits for one block (the common ``block_id`` rules live elsewhere)."""
    if not isinstance(block, dict):
        return [problem("must be a block object", pointer)]
    kind = block.get("type")
    if kind not in KNOWN_BLOCK_TYPES:
        return [problem(f"unknown block type: {kind!r}", f"{pointer}/type")]
    if kind == "section":
        return check_section(block, pointer)
    if kind == "header":
        return check_text(
            block.get("text"), f"{pointer}/text", limit=HEADER_TEXT_MAX, plain_only=True
        )
    if kind == "context":
        return check_context(block, pointer)
    if kind == "actions":
        return check_elements(
            block.get("elements"), f"{pointer}/elements", limit=ACTIONS_ELEMENTS_MAX
        )
    if kind == "input":
        errors = check_text(
            block.get("label"), f"{pointer}/label", limit=LABEL_MAX, plain_only=True
        )
        if "hint" in block:
            errors += check_text(block["hint"], f"{pointer}/hint", limit=LABEL_MAX, plain_only=True)
        return errors + check_element(block.get("element"), f"{pointer}/element")
    if kind == "image":
        errors = check_length(block.get("alt_text"), f"{pointer}/alt_text", ALT_TEXT_MAX)
        if not block.get("alt_text"):
            errors.append(problem("must provide alt_text", f"{pointer}/alt_text"))
        if "image_url" not in block and "slack_file" not in block:
            errors.append(problem("must provide either image_url or slack_file", pointer))
        return errors + check_length(block.get("image_url"), f"{pointer}/image_url", URL_MAX)
    return []
