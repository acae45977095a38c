"""`twoway demo` in the suite, with a small cast: a quarter through the real app, and its
transcripts checked for every kind of message, in order, with no Block Kit problem."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.playground.autofill import fill
from bot.playground.demo import DemoResult, run_demo, write_outputs
from bot.playground.people import ADMIN_CHANNEL
from bot.slack_emulator.recording import RecordedCall


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def demo(demo_dir: Path) -> tuple[DemoResult, list[RecordedCall]]:
    calls: list[RecordedCall] = []
    result = run_demo(
        demo_dir / "demo.db", people=4, keep_calls=calls.extend, report_out=demo_dir / "report"
    )
    return result, calls


def _in_order(kinds: list[str], expected: list[str]) -> bool:
    """`expected` appear in `kinds` in this order (other kinds may come between)."""
    position = 0
    for kind in kinds:
        if position < len(expected) and kind == expected[position]:
            position += 1
    return position == len(expected)


def test_a_pair_lives_through_a_quarter_in_order(
    demo: tuple[DemoResult, list[RecordedCall]],
) -> None:
    result, _ = demo
    pair = result.kinds(result.pair_channel)
    assert pair[0] == "intro"
    assert pair.count("nudge") >= 12  # weekly, for a quarter
    assert pair.count("agenda") >= 12
    assert _in_order(pair, ["intro", "nudge", "agenda", "nudge", "agenda"])
    person = result.person
    assert person is not None
    own = [s.kind for s in result.seen if s.channel != result.pair_channel]
    assert _in_order(own, ["check-in", "feedback", "action item follow-up"])
    assert "survey" in own
    admin = result.kinds(ADMIN_CHANNEL)
    assert admin.count("match preview") == 2  # the first match, then the rotation's
    assert any(kind == "stall note" for kind in result.kinds())  # the pair that never answers
    # the rotation made new pairs: a second introduction, in another group DM
    intros = [s.channel for s in result.seen if s.kind == "intro"]
    assert len(set(intros)) > len({result.pair_channel, result.stalled_channel})


def test_the_transcripts_read_like_a_conversation(
    demo: tuple[DemoResult, list[RecordedCall]], tmp_path: Path
) -> None:
    result, _ = demo
    assert "Welcome to" in result.pair_transcript.splitlines()[1]
    assert "<@U" not in result.pair_transcript  # people are named, not ids
    assert "<!date" not in result.person_transcript  # dates shown, not tokens
    assert "Feedback from your partner" in result.person_transcript
    # the survey recalls the learnings logged at check-ins, in the quarter's own time
    assert "Your learning log this" in result.person_transcript
    assert "You logged no learnings" not in result.person_transcript
    files = write_outputs(result, tmp_path)
    assert [f.read_text(encoding="utf-8").strip() for f in files] == [
        result.pair_transcript.strip(),
        result.person_transcript.strip(),
    ]


def test_the_coordinator_gets_the_impact_report_with_its_charts(
    demo: tuple[DemoResult, list[RecordedCall]], demo_dir: Path
) -> None:
    import base64
    import re

    from PIL import Image

    page = (demo_dir / "report" / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 3
    for data in images:
        Image.open(io.BytesIO(base64.b64decode(data))).verify()  # real PNGs
    assert "Learning outcomes" in page
    assert (demo_dir / "report" / "report.md").exists()


def test_slack_accepted_every_message_and_view(
    demo: tuple[DemoResult, list[RecordedCall]],
) -> None:
    """The emulator checks Block Kit as Slack does: not one call was refused."""
    _, calls = demo
    refused = [(c.method, c.response.get("error")) for c in calls if not c.ok]
    assert refused == []
    assert sum(c.method == "chat.postMessage" for c in calls) > 50


def test_autofill_answers_every_input_by_its_type() -> None:
    from datetime import date

    view = {
        "blocks": [
            {"type": "input", "block_id": "b-learning",
             "element": {"type": "plain_text_input", "action_id": "learning", "max_length": 20}},
            {"type": "input", "block_id": "b-outcome",
             "element": {"type": "radio_buttons", "action_id": "outcome", "options": [
                 {"text": {"type": "plain_text", "text": "No"}, "value": "missed"},
                 {"text": {"type": "plain_text", "text": "Yes, we met"}, "value": "met"}]}},
            {"type": "input", "block_id": "b-action-due",
             "element": {"type": "datepicker", "action_id": "due"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "not an input"}},
        ]
    }  # fmt: skip
    form = fill(view, today=date(2027, 1, 4))
    assert form == {
        "b-learning::learning": ["How the team turns c"],
        "b-outcome::outcome": ["met"],
        "b-action-due::due": ["2027-01-11"],
    }
    # a week later the same form gets another learning, so a quarter reads like one
    next_week = fill(view, today=date(2027, 1, 11))["b-learning::learning"]
    assert next_week == ["Why the budget cycle"]
