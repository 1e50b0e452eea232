"""The end-to-end flows of tests/test_both_backends.py, on PostgreSQL instead of a SQLite file: the whole bot
over HTTP, both Webex simulators, the Slack stand-in, and a database of the throwaway cluster."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests import test_both_backends as flows
from tests.conftest import Stack, open_stack


@pytest.fixture(params=["xml", "rest"])
def api(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def stack(api: str, tmp_path: Path, pg_url: str) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path, api=api, WEBEXBOT_DB=pg_url) as opened:
        assert opened.bot.store.engine.name == "postgresql"
        yield opened


test_schedule_posts_the_card_a_receipt_and_invites = flows.test_schedule_posts_the_card_a_receipt_and_invites
test_the_same_request_delivered_twice_makes_one_meeting = flows.test_the_same_request_delivered_twice_makes_one_meeting
test_cancel_asks_then_the_confirm_button_cancels = flows.test_cancel_asks_then_the_confirm_button_cancels
test_the_schedule_modal_creates_the_meeting_once = flows.test_the_schedule_modal_creates_the_meeting_once
test_reschedule_through_the_modal_moves_the_meeting_on_webex = (
    flows.test_reschedule_through_the_modal_moves_the_meeting_on_webex
)
