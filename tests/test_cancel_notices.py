"""Cancelling tells the invitees: each gets a notice, and the invitation they hold is edited to say the
meeting is cancelled, without its Join button. A resumed run of the same cancel sends nothing twice."""

from __future__ import annotations

from pathlib import Path

from sandbox.slack import Message, Response
from tests.conftest import ANA, BEN, CHEN, Stack, linked, open_stack

TEAM = "T0WEBEX"


async def command(stack: Stack, user: str, text: str) -> Response:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]


def dms(stack: Stack, channel: str) -> list[Message]:
    return [m for m in stack.slack.messages if m.channel == channel]


async def schedule_with_invitees(stack: Stack) -> str:
    await linked(stack, ANA, "ana")
    receipt = await command(stack, ANA, f"schedule Planning tomorrow at 3pm with <@{BEN}> and <@{CHEN}>")
    assert "Scheduled" in receipt.all_text()
    await stack.slack.wait_for(lambda: dms(stack, "D0BEN") and dms(stack, "D0CHEN"))
    return stack.bot.store.meetings(TEAM)[0].meeting_key


async def cancel(stack: Stack, key: str) -> Response:
    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]


async def test_invitees_are_told_and_their_invitations_lose_join_when_a_meeting_is_cancelled(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        key = await schedule_with_invitees(stack)
        [invitation] = dms(stack, "D0BEN")
        assert "meeting.join.open" in invitation.all_text()
        assert "Cancelled" in (await cancel(stack, key)).all_text()
        for channel in ("D0BEN", "D0CHEN"):
            await stack.slack.wait_for(lambda ch=channel: len(dms(stack, ch)) == 2)
            edited, notice = dms(stack, channel)
            assert edited.edits == 1 and "Cancelled" in edited.text and "meeting.join.open" not in edited.all_text()
            assert "Cancelled: Planning" in notice.text and "meeting.join.open" not in notice.all_text()
            assert f"<@{ANA}> cancelled it" in notice.all_text()
        assert dms(stack, "D0ANA") == []  # the canceller has the receipt, not a notice


async def test_a_resumed_cancel_does_not_tell_the_invitees_twice(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        key = await schedule_with_invitees(stack)
        await cancel(stack, key)
        await stack.slack.wait_for(lambda: len(dms(stack, "D0BEN")) == 2 and len(dms(stack, "D0CHEN")) == 2)
        await stack.bot.runner.drain()  # the first run has finished, reminders and all
        [intent_key] = [
            str(row[0]) for row in stack.bot.store.db.execute("select key from intents where action = 'cancel'")
        ]
        await stack.slack.wait_for(lambda: (found := stack.bot.store.intent(intent_key)) and found.state == "done")
        # as after a restart that came before the intent was marked done: it runs again, and finds its steps
        stack.bot.store.db.execute("update intents set state = 'running' where key = ?", [intent_key])
        await stack.bot.runner.carry_out(intent_key, resumed=True)
        await stack.bot.runner.drain()  # had the poll taken it over first, its run is over now too
        intent = stack.bot.store.intent(intent_key)
        assert intent is not None and intent.state == "done", intent
        assert len(dms(stack, "D0BEN")) == 2 and len(dms(stack, "D0CHEN")) == 2
        edits = [c for c in stack.slack.calls_to("chat.update") if str(c.params.get("channel")).startswith("D0")]
        assert len(edits) == 2
        receipts = [r for r in stack.slack.responses + stack.slack.ephemerals if "Cancelled" in r.all_text()]
        assert len(receipts) == 1
