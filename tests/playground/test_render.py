"""The playground's Block Kit and mrkdwn rendering: pure functions, no server."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.playground.blocks import render_blocks
from bot.playground.mrkdwn import Reader, mrkdwn
from bot.playground.state_values import selected_action, state_values

READER = Reader(
    users={"U1": "Lena Hoffmann", "U2": "Susan Whitfield"},
    channels={"C1": "wins"},
    timezone="America/New_York",
    now=datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
)


def test_mrkdwn_styles_mentions_links_and_escaping() -> None:
    html = mrkdwn(
        "*bold* _italic_ ~gone~ `x < y` <@U1> in <#C1|wins> see <https://example.com|the docs>"
        " &lt;script&gt; :tada:",
        READER,
    )
    assert "<b>bold</b>" in html
    assert "<i>italic</i>" in html
    assert "<s>gone</s>" in html
    assert "<code>x &lt; y</code>" in html
    assert '<span class="mention">@Lena Hoffmann</span>' in html
    assert '<span class="mention">#wins</span>' in html
    assert '<a href="https://example.com" target="_blank" rel="noopener">the docs</a>' in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "🎉" in html


def test_links_keep_underscores_and_stars_and_unsafe_schemes_stay_text() -> None:
    html = mrkdwn("<https://example.com/a_b_c*d*|x> <javascript:alert(1)|click>", READER)
    assert 'href="https://example.com/a_b_c*d*"' in html
    assert "<i>" not in html
    assert "<b>" not in html
    assert 'href="javascript' not in html


def test_code_blocks_quotes_and_line_breaks() -> None:
    html = mrkdwn("```*not bold*\nline```\n&gt; quoted\nnext", READER)
    assert '<pre class="code">*not bold*\nline</pre>' in html
    assert '<span class="quote">quoted</span>' in html
    assert "<br>next" in html


def test_date_tokens_are_shown_in_the_readers_timezone() -> None:
    instant = int(datetime(2026, 3, 10, 14, 0, tzinfo=UTC).timestamp())
    html = mrkdwn(f"<!date^{instant}^{{date_short_pretty}} at {{time}}|fallback>", READER)
    assert html == "tomorrow at 10:00"  # 14:00 UTC is 10:00 in New York (EDT from 8 March)
    berlin = Reader(timezone="Europe/Berlin", now=READER.now)
    assert str(mrkdwn(f"<!date^{instant}^{{date_num}} {{time}}|x>", berlin)) == "2026-03-10 15:00"
    assert str(mrkdwn("<!date^oops^{date}|the fallback>", READER)) == "the fallback"


def test_blocks_header_section_fields_accessory_context_divider_image() -> None:
    html = render_blocks(
        [
            {"type": "header", "text": {"type": "plain_text", "text": "Match <preview>"}},
            {
                "type": "section",
                "block_id": "s1",
                "text": {"type": "mrkdwn", "text": "*Pairs*"},
                "fields": [
                    {"type": "mrkdwn", "text": "<@U1>"},
                    {"type": "plain_text", "text": "Finance"},
                ],
                "accessory": {
                    "type": "overflow",
                    "action_id": "more",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Pause"}, "value": "pause"}
                    ],
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "_note_"}]},
            {"type": "divider"},
            {"type": "image", "image_url": "https://example.com/c.png", "alt_text": "chart"},
        ],
        READER,
    )
    assert '<div class="bk-header">Match &lt;preview&gt;</div>' in html
    assert "<b>Pairs</b>" in html
    assert html.count('class="bk-field"') == 2
    assert "@Lena Hoffmann" in html
    assert 'class="bk-select bk-overflow"' in html
    assert '<option value="pause" >Pause' not in html
    assert ">Pause</option>" in html
    assert '<div class="bk-context"><i>note</i></div>' in html
    assert '<hr class="bk-divider">' in html
    assert 'src="https://example.com/c.png"' in html
    assert 'alt="chart"' in html


def test_actions_carry_their_slack_identity_for_the_page_script() -> None:
    html = render_blocks(
        [
            {
                "type": "actions",
                "block_id": "acts",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "confirm",
                        "value": "7",
                        "style": "primary",
                        "text": {"type": "plain_text", "text": "Confirm"},
                        "confirm": {"text": {"type": "plain_text", "text": "Sure?"}},
                    },
                    {
                        "type": "static_select",
                        "action_id": "pick",
                        "placeholder": {"type": "plain_text", "text": "Pick"},
                        "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}],
                    },
                    {"type": "datepicker", "action_id": "day", "initial_date": "2026-03-10"},
                ],
            }
        ],
        READER,
    )
    assert 'class="bk-button primary"' in html
    assert "&#34;action_id&#34;: &#34;confirm&#34;" in html
    assert "&#34;block_id&#34;: &#34;acts&#34;" in html
    assert "data-confirm=" in html
    assert '<option value="">Pick</option>' in html
    assert 'type="date"' in html
    assert 'value="2026-03-10"' in html


def test_rich_text_sections_lists_and_styles() -> None:
    html = render_blocks(
        [
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "Hi ", "style": {"bold": True}},
                            {"type": "user", "user_id": "U2"},
                            {"type": "link", "url": "https://example.com", "text": "site"},
                        ],
                    },
                    {
                        "type": "rich_text_list",
                        "style": "ordered",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [{"type": "text", "text": "one"}],
                            }
                        ],
                    },
                    {
                        "type": "rich_text_preformatted",
                        "elements": [{"type": "text", "text": "a<b"}],
                    },
                ],
            }
        ],
        READER,
    )
    assert "<b>Hi </b>" in html
    assert "@Susan Whitfield" in html
    assert 'href="https://example.com"' in html
    assert "<ol><li>one</li></ol>" in html
    assert '<pre class="code">a&lt;b</pre>' in html


def test_modal_inputs_become_named_fields_and_come_back_as_slack_state() -> None:
    view = {
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name"},
            },
            {
                "type": "input",
                "block_id": "topics",
                "optional": True,
                "label": {"type": "plain_text", "text": "Topics"},
                "element": {
                    "type": "multi_static_select",
                    "action_id": "topics",
                    "options": [
                        {"text": {"type": "plain_text", "text": "AI tools"}, "value": "ai"},
                        {"text": {"type": "plain_text", "text": "Strategy"}, "value": "st"},
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "role",
                "label": {"type": "plain_text", "text": "Role"},
                "element": {
                    "type": "radio_buttons",
                    "action_id": "role",
                    "options": [{"text": {"type": "plain_text", "text": "Junior"}, "value": "j"}],
                },
            },
            {
                "type": "input",
                "block_id": "when",
                "label": {"type": "plain_text", "text": "Start"},
                "element": {"type": "datepicker", "action_id": "when"},
            },
        ]
    }
    html = render_blocks(view["blocks"], READER, in_modal=True)
    assert 'name="name::name"' in html
    assert 'name="topics::topics" multiple' in html
    assert "(optional)" in html
    assert 'type="radio" name="role::role" value="j"' in html
    assert 'data-error-for="when"' in html
    values = state_values(
        view, {"name::name": ["Pilot"], "topics::topics": ["st"], "role::role": ["j"]}
    )
    assert values["name"] == {"name": {"type": "plain_text_input", "value": "Pilot"}}
    assert values["topics"]["topics"]["selected_options"] == [
        {"text": {"type": "plain_text", "text": "Strategy"}, "value": "st"}
    ]
    assert values["role"]["role"]["selected_option"]["value"] == "j"
    assert values["when"] == {"when": {"type": "datepicker", "selected_date": None}}


def test_block_actions_entries_match_slacks_shapes() -> None:
    button = selected_action(
        "button", {"action_id": "go", "block_id": "b", "value": "1", "text": None}, None
    )
    assert button["value"] == "1"
    assert button["type"] == "button"
    overflow = selected_action("overflow", {"action_id": "m", "block_id": "b"}, "pause", "Pause")
    assert overflow["selected_option"] == {
        "text": {"type": "plain_text", "text": "Pause"},
        "value": "pause",
    }
    assert "value" not in overflow
    date = selected_action("datepicker", {"action_id": "d", "block_id": "b"}, "2026-03-10")
    assert date["selected_date"] == "2026-03-10"
