"""What a new user runs into when linking: admin links that move an account, unlink that sticks, what to do
when no account matches, and the admin channel command's reply. Signed requests against the stand-ins."""

from __future__ import annotations

import json
from pathlib import Path

from sandbox.slack import SlackUser
from tests.conftest import ANA, BEN, BOSS, EVE, Stack, open_stack
from tests.test_slack_interactive import last_view, submit

TEAM = "T0WEBEX"
ADMIN = "C0ADMIN"


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()


def direct_messages(stack: Stack, user: str) -> list[str]:
    return [m.all_text() for m in stack.slack.messages if m.channel == "D" + user[1:]]


async def test_admin_link_that_moves_an_account_says_so_audits_it_and_tells_who_lost_it(tmp_path: Path):
    async with open_stack(tmp_path, WEBEXBOT_ADMIN_CHANNEL=ADMIN) as stack:
        await command(stack, ANA, "link ana")
        reply = await command(stack, BOSS, f"admin link <@{BEN}|ben> ana")
        assert f"It was linked to <@{ANA}>, who is unlinked now" in reply
        assert stack.bot.store.link_for(TEAM, BEN).webex_id == "ana"
        assert stack.bot.store.link_for(TEAM, ANA) is None
        removal = [e for e in stack.bot.store.audit_log(TEAM) if e["action"] == "unlink" and e["subject"] == ANA]
        assert removal and removal[0]["actor"] == BOSS
        told = await stack.slack.wait_for(lambda: [t for t in direct_messages(stack, ANA) if "no longer linked" in t])
        assert f"<@{BEN}>" in told[0] and "`ana`" in told[0]

        # Ana's next command does not take the account back by email: she hears what happened
        refused = await command(stack, ANA, "list")
        assert "An admin linked your Webex account to someone else" in refused
        assert stack.bot.store.link_for(TEAM, BEN).webex_id == "ana"


async def test_unlink_sticks_until_the_user_links_again(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        first = await command(stack, ANA, "list")
        assert "I linked you to Webex account `ana`" in first
        assert "I won't link you by email again" in await command(stack, ANA, "unlink")
        again = await command(stack, ANA, "list")
        assert "You unlinked your Webex account" in again and stack.bot.store.link_for(TEAM, ANA) is None
        assert "Linked: you are `ana`" in await command(stack, ANA, "link ana")
        assert "Your meetings" in await command(stack, ANA, "list")
        assert stack.bot.store.unlinked_because(TEAM, ANA) is None


async def test_no_matching_account_says_to_ask_an_admin(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        reply = await command(stack, ANA, "link nobody-here")
        assert "There is no Webex account `nobody-here`" in reply and "/webex admin link" in reply


async def test_admin_channel_reply_names_the_channel_and_refusals_read_cleanly(tmp_path: Path):
    async with open_stack(tmp_path, WEBEXBOT_ADMIN_CHANNEL=ADMIN) as stack:
        assert "I'll report to <#C0DESIGN>" in await command(stack, BOSS, "admin channel <#C0DESIGN|>")
        assert stack.bot.store.setting(TEAM, "admin_channel") == "C0DESIGN"
        await command(stack, ANA, "admin")
        line = await stack.slack.wait_for(
            lambda: [m.text for m in stack.slack.messages if m.channel == "C0DESIGN" and "admin" in m.text]
        )
        assert "`/webex admin`" in line[0] and "`/webex admin `" not in line[0]


async def test_an_unlinked_user_is_asked_to_link_before_the_schedule_form(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await stack.slack.send_payload(stack.url, stack.slack.action_payload(EVE, "schedule.open", "")[0])
        view_id, view = await last_view(stack)
        assert view["callback_id"] == "link.modal.submit"
        text = json.dumps(view)
        assert "link your Webex account first" in text and "/webex admin link" in text

        answer = await submit(stack, EVE, view_id, account="nobody-here")
        assert answer["response_action"] == "errors" and "/webex admin link" in answer["errors"]["account"]
        answer = await submit(stack, EVE, view_id, account="chen")
        assert "belongs to a different email" in answer["errors"]["account"]
        assert stack.bot.store.link_for(TEAM, EVE) is None


async def test_once_linked_the_link_modal_turns_into_the_schedule_form(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await command(stack, BEN, "unlink")
        await stack.slack.send_payload(stack.url, stack.slack.action_payload(BEN, "schedule.open", "")[0])
        view_id, view = await last_view(stack)
        assert "You unlinked your Webex account" in json.dumps(view)
        answer = await submit(stack, BEN, view_id, account="ben")
        assert answer["response_action"] == "update" and answer["view"]["callback_id"] == "schedule.modal.submit"
        assert "Linked: you are ben on Webex" in json.dumps(answer["view"])
        assert stack.bot.store.link_for(TEAM, BEN).webex_id == "ben"


async def test_a_failed_link_from_home_keeps_the_modal_open_with_the_error_on_the_field(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await stack.slack.send_payload(stack.url, stack.slack.action_payload(EVE, "home.link.open", "")[0])
        view_id, _ = await last_view(stack)
        answer = await submit(stack, EVE, view_id, account="ana")
        assert answer["response_action"] == "errors" and "different email" in answer["errors"]["account"]


async def test_a_profile_without_a_time_zone_is_told_times_are_in_utc(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        stack.slack.add_user(SlackUser("U0DARA", "Dara Singh", "dara@example.com", tz=""))
        stack.bot.store.link(TEAM, "U0DARA", "dara", "dara@example.com", "test", "U0DARA")
        reply = await command(stack, "U0DARA", "schedule Retro tomorrow at 3pm")
        assert "Your Slack profile has no time zone" in reply and "UTC" in reply
        meeting = stack.bot.store.meetings(TEAM)[-1]
        assert meeting.start.endswith("15:00:00+00:00")
        assert "no time zone" not in await command(stack, ANA, "list")
