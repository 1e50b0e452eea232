"""PostgreSQL going away and coming back: store calls fail with StoreUnavailable (quickly, once a failure is
seen), the bot says so in plain words instead of acking what it cannot record, /healthz says not ready, and
everything works again once the server is back, with nothing lost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.errors import NO_DATABASE
from storage import Store, StoreUnavailable
from tests.conftest import ANA, linked, open_stack
from tests.pg import Cluster


@contextmanager
def server_down(cluster: Cluster) -> Iterator[None]:
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()


def eventually(check: Callable[[], bool], within_s: float = 30.0) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, "still failing"
        time.sleep(0.2)


def test_a_restart_is_survived_and_calls_fail_plainly_meanwhile(pg_cluster: Cluster, pg_url: str):
    store = Store(pg_url)
    assert store.claim("before") is True
    with server_down(pg_cluster):
        with pytest.raises(StoreUnavailable):
            store.claim("during")
        with pytest.raises(StoreUnavailable):  # failing fast now
            store.link_for("T1", "U1")
        assert store.problem() == "the database is unreachable"
    eventually(lambda: store.problem() is None)
    assert store.claim("before") is False and store.claim("during") is True  # kept, and nothing half-done
    store.close()


def test_a_dropped_connection_is_replaced_without_an_error(pg_url: str):
    store = Store(pg_url)
    store.claim("one")
    with store.engine.pool.connection() as conn:  # type: ignore[attr-defined]
        pid = conn.info.backend_pid
    killer = Store(pg_url)
    killer.engine.rows("select pg_terminate_backend(?)", [pid])
    assert store.claim("one") is False and store.link_for("T1", "U1") is None
    killer.close()
    store.close()


async def test_the_bot_answers_in_plain_words_while_the_database_is_down(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
):
    async with open_stack(tmp_path, WEBEXBOT_DB=pg_url) as stack, httpx.AsyncClient() as http:
        await linked(stack, ANA, "ana")
        assert (await http.get(f"{stack.url}/healthz")).status_code == 200
        with server_down(pg_cluster):
            down = await http.get(f"{stack.url}/healthz")
            assert down.status_code == 503 and down.json()["database"] == "the database is unreachable"
            refused, _ = await stack.slack.command(stack.url, ANA, "schedule Standup tomorrow at 9am")
            assert refused.status_code == 200 and refused.json()["text"] == NO_DATABASE
        for _ in range(150):
            if (await http.get(f"{stack.url}/healthz")).status_code == 200:
                break
            await asyncio.sleep(0.2)
        assert (await http.get(f"{stack.url}/healthz")).json()["ok"] is True
        _, request = await stack.slack.command(stack.url, ANA, "schedule Standup tomorrow at 9am")
        [receipt] = await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
        assert "Scheduled" in receipt.all_text()
        assert [m.topic for m in stack.bot.store.meetings("T0WEBEX")] == ["Standup"]
