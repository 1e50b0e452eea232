"""User and Webex text on its way to Slack: escaped for where it lands, cut to each field's limit, one meeting
number format and clear zone names; end to end, hostile and oversized topics stay inert and within limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import regex
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import modals, views
from bot.render import LIMITS, WORD_JOINER, escape, fit, local_text, mrkdwn, plain, zone_label
from commands.errors import UsageError
from commands.forms import ScheduleForm
from commands.numbers import format_number
from commands.replies import JoinLink, MeetingView
from commands.topics import TOPIC_LIMIT, check_topic
from tests.conftest import ANA, BEN, Stack, linked, open_stack
from webex.models import ServiceType
from webex.simulator.ops.sessions import TELECONFERENCE_ONLY
from webex.simulator.state import SimSession

TEAM = "T0WEBEX"
HOSTILE = "<!channel> <https://evil.example|Click to join>"
LIVE_TOKENS = ("<!channel>", "<https://evil", "|Click to join>")
NEW_YORK = ZoneInfo("America/New_York")


def meeting(topic: str, **changes: Any) -> MeetingView:
    fields: dict[str, Any] = dict(
        key="447712782",
        topic=topic,
        start=datetime(2030, 3, 12, 20, 0, tzinfo=UTC),
        duration_minutes=45,
        host_webex_id="ana",
        join_url="https://demo.example/m.php?AT=JM&MK=447712782",
        host_user_id=ANA,
        invitee_user_ids=(BEN,),
        invitee_emails=("ben@example.com",),
    )
    fields.update(changes)
    return MeetingView(**fields)


# -- what Slack accepts ----------------------------------------------------------------------------------


def _texts(node: Any) -> list[dict[str, Any]]:
    """Every text object in a Block Kit tree."""
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if node.get("type") in ("mrkdwn", "plain_text") else []
    return found + [t for value in node.values() for t in _texts(value)]


def check_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> None:
    """Raises when Slack would refuse these blocks: slack_sdk's validators, and the limits they skip."""
    assert len(blocks) <= limit
    for parsed in Block.parse_all(blocks):
        parsed.to_dict()  # runs the validators
    for block in blocks:
        for fld in block.get("fields") or []:
            assert len(fld["text"]) <= LIMITS["field"]
        if block.get("type") == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e.get("text", "")) <= LIMITS["context"] for e in block["elements"])
    assert all(len(t["text"]) <= LIMITS["section"] for t in _texts(blocks))


def check_message(message: dict[str, Any]) -> None:
    assert len(str(message.get("text", ""))) <= LIMITS["text"]
    check_blocks(message.get("blocks") or [])


def check_view(view: dict[str, Any]) -> None:
    known = {k: view[k] for k in ("type", "title", "submit", "close", "blocks", "private_metadata") if k in view}
    View(**known).to_dict()
    check_blocks(view.get("blocks") or [], 100)


def everything_slack_received(stack: Stack) -> list[dict[str, Any]]:
    messages = [{"text": m.text, "blocks": m.blocks} for m in stack.slack.messages + stack.slack.ephemerals]
    return messages + [r.body for r in stack.slack.responses]


def check_everything(stack: Stack) -> str:
    """Every message, response, modal and Home tab Slack received is valid; returns all of it as text."""
    for message in everything_slack_received(stack):
        check_message(message)
    for view in [*stack.slack.views.values(), *stack.slack.homes.values()]:
        check_view(view)
    return json.dumps([call.params for call in stack.slack.calls] + [r.body for r in stack.slack.responses])


# -- the renderer ----------------------------------------------------------------------------------------


def test_escape_makes_slack_tokens_and_formatting_inert():
    assert escape(HOSTILE) == "&lt;!channel&gt; &lt;https://evil.example|Click to join&gt;"
    assert escape("Q&A") == "Q&amp;A"
    j = WORD_JOINER
    assert escape("*Q4* _plan_ ~x~ `y`") == (f"{j}*{j}Q4{j}*{j} {j}_{j}plan{j}_{j} {j}~{j}x{j}~{j} {j}`{j}y{j}`{j}")


def test_a_cut_never_splits_an_escape_and_ends_with_an_ellipsis():
    assert mrkdwn("&" * 600, 3000) == "&amp;" * 600  # exactly the limit: nothing cut
    for size in range(2990, 3000):
        text = mrkdwn("&" * 600, size)
        assert len(text) <= size and regex.fullmatch(r"(?:&amp;)+…", text)
    assert mrkdwn("short & sweet", 3000) == "short &amp; sweet"


def test_a_cut_never_splits_a_formatting_guard_a_token_or_a_character():
    guarded = mrkdwn("*" * 100, 50)
    assert regex.fullmatch(rf"(?:{WORD_JOINER}\*{WORD_JOINER})+…", guarded)
    family = "👨‍👩‍👧‍👦"  # one character for a reader, seven code points, two of them outside the BMP
    cut = plain(family * 10, 20)
    assert cut == family * 2 + "…"
    token = "<!date^1900000000^{date_short_pretty}|Tue 24 Nov 2026 15:00 UTC+00:00>"
    assert fit("x" * 20 + token, 40) == "x" * 20 + "…"


def test_plain_text_is_cut_not_escaped():
    assert plain("Q&A <review>", "modal_title") == "Q&A <review>"
    assert plain("A very long modal title indeed", "modal_title") == "A very long modal title…"
    assert len(plain("x" * 200, "modal_title")) == LIMITS["modal_title"]


def test_zones_are_named_without_abbreviations():
    instant = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert local_text(instant, "Asia/Kolkata") == "Tue 24 Nov 2026 15:30 Asia/Kolkata"
    assert local_text(instant.astimezone(ZoneInfo("Asia/Shanghai"))) == "Tue 24 Nov 2026 18:00 UTC+08:00"
    assert zone_label(instant) == "UTC+00:00"
    assert zone_label(instant.astimezone(ZoneInfo("America/St_Johns"))) == "UTC-03:30"
    assert zone_label(instant, "Not/AZone") == "UTC+00:00"
    assert views.when(instant, "Asia/Kolkata").endswith("|Tue 24 Nov 2026 15:30 Asia/Kolkata>")


def test_meeting_numbers_have_one_format():
    assert format_number("447712782") == "447 712 782"
    assert format_number("1234567890") == "1 234 567 890"
    assert views.spaced("447712782") == format_number("447712782")


def test_check_topic_refuses_control_characters_and_long_topics_in_plain_words():
    assert check_topic("  Design flow ?  ") == "Design flow?"
    assert check_topic("x" * TOPIC_LIMIT) == "x" * TOPIC_LIMIT
    with pytest.raises(UsageError, match="at most 128"):
        check_topic("x" * 3000)
    with pytest.raises(UsageError, match="600 characters long; Webex allows at most 128"):
        check_topic("&" * 600)
    for bad in ("Line\nbreak", "tab\there", "bell\x07", "bidi\u202etxt"):
        with pytest.raises(UsageError, match="control character"):
            check_topic(bad)


@pytest.mark.parametrize("topic", ["x" * 3000, "&" * 600, "<" * 3000, "*" * 2000, "👨‍👩‍👧‍👦" * 1000])
def test_every_view_of_an_oversized_topic_is_within_slack_limits(topic: str):
    for status in ("scheduled", "live", "ended", "cancelled"):
        check_message(views.card(meeting(topic, status=status)))
    shown = meeting(topic, call_in=topic)
    for message in (
        views.invitation(shown),
        views.reminder(shown, host=True),
        views.went_live(shown),
        views.moved(shown),
        views.join_link(JoinLink(shown, ""), []),
        views.notice(topic),
    ):
        check_message(message)


def test_the_hostile_topic_is_inert_in_the_card_its_text_and_its_confirm_dialog():
    card = views.card(meeting(HOSTILE))
    shown = json.dumps(card)
    assert not any(token in shown for token in LIVE_TOKENS)
    assert card["text"] == "Webex meeting: &lt;!channel&gt; &lt;https://evil.example|Click to join&gt;"
    [cancel] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"] if "confirm" in e]
    assert cancel["confirm"]["text"]["text"].startswith("&lt;!channel&gt;")


# -- end to end ------------------------------------------------------------------------------------------


def tomorrow() -> str:
    return (datetime.now(NEW_YORK) + timedelta(days=1)).date().isoformat()


def form(topic: str, kind: str = "meeting") -> dict[str, dict[str, Any]]:
    """Schedule-modal state as Slack sends it."""
    return {
        "topic": {"value": {"type": "plain_text_input", "value": topic}},
        "date": {"value": {"type": "datepicker", "selected_date": tomorrow()}},
        "time": {"value": {"type": "timepicker", "selected_time": "15:30"}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": "30"}}},
        "kind": {"value": {"type": "static_select", "selected_option": {"value": kind}}},
        "invitees": {"value": {"type": "multi_users_select", "selected_users": [BEN]}},
        "conversation": {"value": {"type": "conversations_select", "selected_conversation": "C0DESIGN"}},
    }


async def schedule_with_modal(stack: Stack, topic: str, kind: str = "meeting") -> str:
    """Schedules through the modal (which takes the topic verbatim); the new meeting's number."""
    before = len(stack.bot.store.meetings(TEAM))
    await stack.slack.command(stack.url, ANA, "schedule")
    await stack.slack.wait_for(lambda: len(stack.slack.views) >= 1)
    view_id = list(stack.slack.views)[-1]
    reply = await stack.slack.send_payload(stack.url, stack.slack.submission_payload(ANA, view_id, form(topic, kind)))
    assert reply.status_code == 200
    await stack.slack.wait_for(lambda: len(stack.bot.store.meetings(TEAM)) > before)
    return stack.bot.store.meetings(TEAM)[-1].meeting_key


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()


def seed_session(stack: Stack, topic: str, **extra: Any) -> str:
    """A session made on the Webex site itself (not through the bot), hosted by ana."""
    state = stack.webex.state
    key = state.new_key()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    fields: dict[str, Any] = dict(service=ServiceType.MEETING_CENTER, session_type=3, zone_id=11, duration=30)
    fields.update(extra)
    state.add_session(SimSession(key=key, topic=topic, host="ana", created_by="ana", start=start, **fields))
    return key


async def test_a_hostile_topic_is_inert_wherever_it_lands(tmp_path: Path):
    async with open_stack(tmp_path, WEBEXBOT_ADMIN_CHANNEL="C0ADMIN") as stack:
        await linked(stack, ANA, "ana")
        key = await schedule_with_modal(stack, HOSTILE)
        card = (await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0DESIGN"]))[0]
        assert "&lt;!channel&gt;" in card.text and "&lt;!channel&gt;" in json.dumps(card.blocks)
        await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "D0BEN"])
        await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0ADMIN"])
        assert "&lt;!channel&gt;" in await command(stack, ANA, f"cancel {key}")
        assert "&lt;!channel&gt;" in await command(stack, ANA, "list")
        await stack.slack.home_opened(stack.url, ANA)
        await stack.slack.wait_for(lambda: "&lt;!channel&gt;" in json.dumps(stack.slack.homes.get(ANA, {})))
        sent = check_everything(stack)
        assert not any(token in sent for token in LIVE_TOKENS)


async def test_an_oversized_topic_made_in_webex_renders_within_limits_everywhere(stack: Stack):
    await linked(stack, ANA, "ana")
    key = seed_session(stack, "&" * 3000)
    listed = await command(stack, ANA, "list")
    assert format_number(key) in listed and "&amp;" in listed
    assert format_number(key) in await command(stack, ANA, f"info {key}")
    stack.webex.start_session(key)
    assert format_number(key) in await command(stack, BEN, "live")
    await stack.slack.home_opened(stack.url, ANA)
    await stack.slack.wait_for(lambda: format_number(key) in json.dumps(stack.slack.homes.get(ANA, {})))
    check_everything(stack)


async def test_a_topic_over_the_webex_limit_is_refused_before_anything_reaches_webex(stack: Stack):
    await linked(stack, ANA, "ana")
    for topic in ("x" * 3000, "&" * 600):
        reply = await command(stack, ANA, f"schedule {topic} tomorrow at 3pm")
        assert "at most 128" in reply
    assert "createmeeting" not in stack.webex.operations()
    check_everything(stack)


async def test_the_teleconference_join_reply_keeps_a_hostile_topic_inert(stack: Stack):
    await linked(stack, ANA, "ana")
    key = seed_session(stack, HOSTILE, session_type=TELECONFERENCE_ONLY, call_in="+1 555 0100")
    reply = await command(stack, ANA, f"join {key}")
    assert "&lt;!channel&gt;" in reply and "teleconference" in reply.lower()
    assert not any(token in check_everything(stack) for token in LIVE_TOKENS)


def test_modals_with_oversized_text_are_within_slack_limits():
    huge = "&" * 3000
    prefilled = modals.schedule_modal(ScheduleForm(topic=huge, agenda=huge, note=huge))
    check_view(prefilled)
    topic_input = next(b for b in prefilled["blocks"] if b.get("block_id") == "topic")["element"]
    assert len(topic_input["initial_value"]) <= topic_input["max_length"] == TOPIC_LIMIT
    check_view(modals.reschedule_modal("447712782", HOSTILE, ScheduleForm(), "Asia/Kolkata"))
    check_view(modals.link_modal(huge))
    check_view(modals.notice_modal("A title longer than Slack allows", huge))
    assert "447 712 782" in json.dumps(modals.reschedule_modal("447712782", "x", ScheduleForm(), "UTC"))
