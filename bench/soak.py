"""Soak: N mixed requests to /slack/events (a quarter of them malformed) against `webexbot serve --http`,
then an idle spell, watching the bot's memory and file descriptors.

    python3 bench/soak.py [--commands 5000] [--concurrency 20] [--idle 60] [--latency-ms 20-60]
    python3 bench/soak.py --commands 500 --idle 5          # a quick run

The Webex simulator (each XML API reply held back a random time in the range, after the operation is
carried out), the Slack stand-in and the bot run as their own processes (tests/processes.py).
Well-formed: /webex join, list, live, schedule, info, help and unknown sub-commands, from linked and
unlinked users. Malformed: bad signatures, stale timestamps, non-UTF-8 bodies, garbage payloads, payloads
of no known shape. Prints the HTTP statuses of each kind (target: every well-formed request answered 200,
no 5xx at all), the ack latency of the well-formed ones, the bot's RSS at start, at its peak and after the
idle spell (target: within 20% of the start), its open file descriptors at start and after, and how many
lines its log wrote at ERROR. The bot runs on its work thread (WEBEXBOT_WORKER=thread): all its code in one
process, measured whole, with no worker starting or retiring to move the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.slack import FakeSlack, SlackUser  # noqa: E402
from storage import Store  # noqa: E402
from tests.processes import (  # noqa: E402
    Process,
    bot_env,
    open_fds,
    peak_rss_mb,
    rss_mb,
    start_bot,
    start_slack,
    start_webex,
)
from webex import SecurityContext, WebexClient  # noqa: E402
from webex.models import NewMeeting  # noqa: E402
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_HOSTS  # noqa: E402

Request = tuple[bytes, dict[str, str]]
# One round of the mix: 15 well-formed requests, 5 malformed.
PLAN = (
    ["join"] * 3
    + ["list", "list", "live", "live"]
    + ["schedule"] * 3
    + ["info", "info", "help", "unknown", "unknown"]
    + ["bad_signature", "stale_timestamp", "non_utf8", "garbage_payload", "shapeless_payload"]
)
MALFORMED = {"bad_signature", "stale_timestamp", "non_utf8", "garbage_payload", "shapeless_payload"}
ANSWERED_LATER = {"join", "list", "live", "schedule", "info"}  # by the response URL, after the ack


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Mix:
    """Builds request number i of the mix: its body and headers, signed (or not) as its kind says."""

    def __init__(self, slack: FakeSlack, users: list[SlackUser], meeting_key: str) -> None:
        self.slack = slack
        self.users = users
        self.meeting_key = meeting_key
        self.request_ids: list[str] = []  # of the commands answered by their response URL
        self.kinds: dict[str, Callable[[int], Request]] = {
            "join": lambda i: self.command(i, f"join {meeting_key}"),
            "list": lambda i: self.command(i, "list"),
            "live": lambda i: self.command(i, "live"),
            "schedule": lambda i: self.command(i, f"schedule Soak {i} tomorrow at 10am"),
            "info": lambda i: self.command(i, f"info {meeting_key}"),
            "help": lambda i: self.command(i, "help"),
            "unknown": lambda i: self.command(i, f"frobnicate {i}"),
            "bad_signature": lambda i: self.signed(self.form(i, "list"), secret=b"not-the-secret"),
            "stale_timestamp": lambda i: self.signed(self.form(i, "list"), stamp=int(time.time()) - 600),
            "non_utf8": lambda i: self.signed(self.form(i, "list") + b"&text=\xff\xfe\xc0"),
            "garbage_payload": lambda i: self.signed(b"payload=" + quote("{not json " * 3).encode()),
            "shapeless_payload": lambda i: self.signed(self.payload({"type": "block_actions", "actions": [{}]})),
        }

    def request(self, index: int) -> tuple[str, Request]:
        kind = PLAN[index % len(PLAN)]
        body, headers = self.kinds[kind](index)
        if kind in ANSWERED_LATER:
            self.request_ids.append(self._last_request_id)
        return kind, (body, headers)

    def form(self, index: int, text: str) -> bytes:
        user = self.users[index % len(self.users)]
        form, self._last_request_id = self.slack.command_form(user.id, text)
        return urlencode(form).encode()

    def command(self, index: int, text: str) -> Request:
        return self.signed(self.form(index, text))

    def payload(self, payload: dict[str, object]) -> bytes:
        return urlencode({"payload": json.dumps(payload)}).encode()

    def signed(self, body: bytes, *, stamp: int | None = None, secret: bytes | None = None) -> Request:
        timestamp = str(int(time.time()) if stamp is None else stamp)
        key = secret or self.slack.signing_secret.encode()
        digest = hmac.new(key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        headers = {
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return body, headers


class Results:
    def __init__(self) -> None:
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.acks: list[float] = []
        self.failures: list[str] = []

    def add(self, kind: str, status: int, ms: float) -> None:
        self.statuses[kind][status] += 1
        if kind not in MALFORMED:
            self.acks.append(ms)

    def print(self) -> None:
        print("HTTP statuses by kind (0: no answer):")
        for kind in sorted(self.statuses, key=lambda k: (k in MALFORMED, k)):
            shown = ", ".join(f"{status} x{count}" for status, count in sorted(self.statuses[kind].items()))
            print(f"  {'malformed ' if kind in MALFORMED else ''}{kind}: {shown}")
        well_formed = [c for kind, c in self.statuses.items() if kind not in MALFORMED]
        malformed = [c for kind, c in self.statuses.items() if kind in MALFORMED]
        not_ok = sum(n for c in well_formed for status, n in c.items() if status != 200)
        server = sum(n for c in well_formed + malformed for status, n in c.items() if status >= 500 or status == 0)
        accepted = sum(n for c in malformed for status, n in c.items() if 200 <= status < 300)
        print(f"errors: well-formed not answered 200: {not_ok}; 5xx or no answer (any kind): {server}   [target 0]")
        print(f"malformed requests accepted (2xx): {accepted}   [target 0]")
        p50, p99 = statistics.median(self.acks), percentile(self.acks, 0.99)
        print(f"ack latency (well-formed): p50 {p50:.1f} ms, p99 {p99:.1f} ms")


async def fire(url: str, mix: Mix, commands: int, concurrency: int) -> Results:
    results = Results()
    queue = iter(range(commands))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:

        async def worker() -> None:
            for index in queue:
                kind, (body, headers) = mix.request(index)
                began = time.perf_counter()
                try:
                    async with http.post(f"{url}/slack/events", data=body, headers=headers) as reply:
                        await reply.read()
                        status = reply.status
                except aiohttp.ClientError:
                    status = 0
                results.add(kind, status, (time.perf_counter() - began) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


async def check_replies(slack_url: str, request_ids: list[str], concurrency: int) -> None:
    """Each command answered by its response URL got an answer, and none was an unexpected error."""
    missing, unexpected = 0, 0
    pending = iter(request_ids)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:

        async def worker() -> None:
            nonlocal missing, unexpected
            for request_id in pending:
                try:
                    async with http.get(f"{slack_url}/_responses/{request_id}") as reply:
                        body = await reply.json()
                except (aiohttp.ClientError, TimeoutError):
                    body = {"error": "no reply"}
                missing += "error" in body
                unexpected += "something went wrong" in json.dumps(body)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    print(
        f"replies by response URL: {len(request_ids)} expected, {missing} missing, "
        f"{unexpected} unexpected errors   [target 0, 0]"
    )


def log_summary(path: Path) -> None:
    lines = path.read_text(errors="replace").splitlines()
    errors = sum(" ERROR " in line for line in lines)
    webex = sum("webex problem" in line for line in lines)
    refused = sum("refused a request" in line for line in lines)
    print(
        f"bot log: {errors} ERROR lines (unexpected errors), {webex} Webex problems, {refused} refused requests, "
        f"{len(lines) - errors - webex - refused} other lines ({path})"
    )


def people() -> list[SlackUser]:
    hosts = [
        SlackUser(f"U0HOST{i}", f"{first} {last}", f"{webex_id}@example.com")
        for i, (webex_id, first, last, _) in enumerate(DEMO_HOSTS)
    ]
    return hosts + [SlackUser(f"U0GUEST{i:02d}", f"Guest {i}", f"guest{i}@example.org") for i in range(12)]


async def target_meeting(webex_url: str) -> str:
    security = SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")
    async with WebexClient(webex_url, security) as admin:
        start = datetime.now(UTC) + timedelta(days=2)
        return (await admin.create_meeting(NewMeeting("Soak target", start, 30, host_webex_id="ana"))).key


def memory(pid: int) -> str:
    return f"RSS {rss_mb(pid):.1f} MB, {open_fds(pid)} fds"


async def run(commands: int, concurrency: int, idle: int, latency: tuple[int, int]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="webexbot-soak-"))
    users = people()
    (workdir / "users.json").write_text(json.dumps([u.__dict__ for u in users]))
    slack = FakeSlack()  # for its signing and form helpers; the stand-in serves from its own process
    processes: list[Process] = []
    try:
        processes.append(start_slack(workdir / "users.json"))
        slack.url = processes[0].url
        processes.append(start_webex(latency, log=workdir / "webex.log"))
        webex_url = processes[1].url
        store = Store(workdir / "soak.db")
        for index, (webex_id, *_rest) in enumerate(DEMO_HOSTS):
            store.link("T0WEBEX", f"U0HOST{index}", webex_id, f"{webex_id}@example.com", "bench", "bench")
        store.close()
        mix = Mix(slack, users, await target_meeting(webex_url))
        env = bot_env(
            webex_url,
            slack,
            workdir / "soak.db",
            WEBEXBOT_LOG_LEVEL="WARNING",
            WEBEXBOT_POLL_SECONDS="10",
            WEBEXBOT_WORKER="thread",
        )
        bot = start_bot(env, log=workdir / "bot.log")
        processes.append(bot)
        print(f"bot ready: {memory(bot.pid)}")
        await fire(bot.url, mix, len(PLAN), 1)  # one of each kind, as the first users would
        start_rss, start_fds = rss_mb(bot.pid), open_fds(bot.pid)
        print(f"after one request of each kind (the start figures): {memory(bot.pid)}")
        began = time.perf_counter()
        results = await fire(bot.url, mix, commands, concurrency)
        elapsed = time.perf_counter() - began
        print(
            f"{commands} requests at concurrency {concurrency}, Webex reply latency {latency[0]}-{latency[1]} ms: "
            f"{elapsed:.1f} s ({commands / elapsed:.0f}/s); right after: {memory(bot.pid)}"
        )
        results.print()
        for _ in range(idle):
            await asyncio.sleep(1)
        after_rss = rss_mb(bot.pid)
        print(
            f"RSS: start {start_rss:.1f} MB, peak {peak_rss_mb(bot.pid):.1f} MB, after {idle} s idle "
            f"{after_rss:.1f} MB ({(after_rss / start_rss - 1) * 100:+.0f}%)   [target within 20% of the start]"
        )
        print(f"open file descriptors: start {start_fds}, after {open_fds(bot.pid)}")
        await check_replies(slack.url, mix.request_ids, concurrency)
        log_summary(workdir / "bot.log")
    finally:
        for process in reversed(processes):
            process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--idle", type=int, default=60, help="seconds of idle after the load")
    parser.add_argument("--latency-ms", default="20-60", help="LOW-HIGH: each Webex reply held back that long")
    args = parser.parse_args()
    low, _, high = args.latency_ms.partition("-")
    asyncio.run(run(args.commands, args.concurrency, args.idle, (int(low), int(high or low))))


if __name__ == "__main__":
    main()
