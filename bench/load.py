"""Load: N signed /webex commands at concurrency C against `webexbot serve --http`.

    python3 bench/load.py [--commands 1000] [--concurrency 100] [--latency-ms 200] [--api xml|rest]

The Webex simulator runs in its own process with L ms added to every call; the Slack stand-in runs
in this process and timestamps every reply it receives; the bot runs as `webexbot serve --http`.
Half the commands are `join <number>`, half `schedule ... tomorrow at 10am`. Prints ack latency
p50/p99 (the HTTP answer to the command), completion p50/p99 (the reply on the response URL, as the
Slack stand-in, in its own process, saw it arrive),
errors, the bot's CPU ms per command and its peak RSS.
Target: 1000 commands at concurrency 100 with L=200: no errors, ack p99 < 100 ms,
completion p99 < 1 s, RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.slack import FakeSlack, SlackUser  # noqa: E402
from storage import Store  # noqa: E402
from webex import SecurityContext, WebexClient  # noqa: E402
from webex.models import NewMeeting  # noqa: E402
from webex.rest_simulator.sites import DEMO_ACCESS_TOKEN  # noqa: E402
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_HOSTS  # noqa: E402

FAILURE_WORDS = ("Sorry", "isn't answering", "taking too long", "busy", "couldn't", "can't")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def start_process(
    args: list[str], env: dict[str, str] | None = None, module: str = "bot.cli"
) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise SystemExit(f"{args[0]} did not start")
    return process, re.findall(r"https?://\S+", line)[0]  # the first address the process printed


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def xml_site(latency_ms: int) -> tuple[subprocess.Popen[str], dict[str, str], str]:
    """The XML simulator in its own process, the settings that point the bot at it, and a meeting to join."""
    simulator, webex_endpoint = start_process(["simulate-webex", "--port", "0", "--latency-ms", str(latency_ms)])
    webex_url = webex_endpoint.removesuffix("/WBXService/XMLService")
    async with WebexClient(webex_url, SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")) as admin:
        start = datetime.now(UTC) + timedelta(days=2)
        meeting = await admin.create_meeting(NewMeeting("Load target", start, 30, host_webex_id="ana"))
    env = {
        "WEBEX_SITE_URL": webex_url,
        "WEBEX_SITE_NAME": "demo",
        "WEBEX_USER": DEMO_ADMIN,
        "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
    }
    return simulator, env, meeting.key


async def rest_site(latency_ms: int) -> tuple[subprocess.Popen[str], dict[str, str], str]:
    """The same on the REST simulator: hosts are known by email there."""
    simulator, api_url = start_process(
        ["simulate-webex", "--api", "rest", "--port", "0", "--latency-ms", str(latency_ms)]
    )
    start = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    body = {
        "title": "Load target",
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=30)).isoformat(),
        "hostEmail": "ana@example.com",
    }
    headers = {"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}
    async with aiohttp.ClientSession() as http, http.post(f"{api_url}/meetings", json=body, headers=headers) as reply:
        meeting = await reply.json()
    env = {"WEBEX_API": "rest", "WEBEX_API_URL": api_url, "WEBEX_ACCESS_TOKEN": DEMO_ACCESS_TOKEN}
    return simulator, env, str(meeting["meetingNumber"])


async def run(commands: int, concurrency: int, latency_ms: int, api: str = "xml") -> None:
    workdir = Path(tempfile.mkdtemp(prefix="webexbot-load-"))
    slack = FakeSlack()  # only for its signing and form helpers; the stand-in runs in its own process
    users = [
        SlackUser(f"U0HOST{i}", f"{first} {last}", f"{webex_id}@example.com")
        for i, (webex_id, first, last, _) in enumerate(DEMO_HOSTS)
    ]
    users += [SlackUser(f"U0GUEST{i:02d}", f"Guest {i}", f"guest{i}@example.org") for i in range(96)]
    (workdir / "users.json").write_text(json.dumps([u.__dict__ for u in users]))
    standin, standin_line = start_process(["--users", str(workdir / "users.json")], module="sandbox.slack")
    slack.url = standin_line
    simulator, webex_env, meeting_key = await (rest_site if api == "rest" else xml_site)(latency_ms)
    store = Store(workdir / "load.db")
    for index, (webex_id, *_rest) in enumerate(DEMO_HOSTS):
        email = f"{webex_id}@example.com"
        store.link("T0WEBEX", f"U0HOST{index}", email if api == "rest" else webex_id, email, "bench", "bench")
    if api == "rest":  # on REST an admin finds a meeting by number only through its host: the store names it
        store.db.table("meetings").insert(
            {
                "meeting_key": meeting_key,
                "team_id": "T0WEBEX",
                "host_webex_id": "ana@example.com",
                "topic": "Load target",
                "status": "scheduled",
            },
            alter=False,
        )
    store.close()

    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        **webex_env,
        "WEBEXBOT_DB": str(workdir / "load.db"),
        "WEBEXBOT_LOG_LEVEL": "WARNING",
        "PORT": "0",
    }
    bot, events = start_process(["serve", "--http", "--host", "127.0.0.1"], env)
    app_url = events.removesuffix("/slack/events")
    try:
        acks: list[float] = []
        completions: list[float] = []
        errors: list[str] = []
        gate = asyncio.Semaphore(concurrency)
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:

            async def post(form: dict[str, str]) -> int:
                body = urlencode(form)
                async with http.post(f"{app_url}/slack/events", data=body, headers=slack.signed(body)) as reply:
                    await reply.read()
                    return reply.status

            await post(slack.command_form(users[0].id, f"join {meeting_key}")[0])  # a first user warms up
            cpu_before = cpu_ms(bot.pid)
            started = time.perf_counter()

            async def one(index: int) -> None:
                user = users[index % len(users)] if index % 2 else users[index % 4]
                text = f"join {meeting_key}" if index % 2 else f"schedule Load test {index} tomorrow at 10am"
                form, request_id = slack.command_form(user.id, text)
                async with gate:  # a slot is one person waiting for the answer to their command
                    began = time.monotonic()
                    status = await post(form)
                    acks.append((time.monotonic() - began) * 1000)
                    if status != 200:
                        errors.append(f"HTTP {status}")
                        return
                    async with http.get(f"{slack.url}/_responses/{request_id}") as awaited:
                        reply = await awaited.json()
                if "error" in reply:
                    errors.append(reply["error"])
                    return
                completions.append((reply["at"] - began) * 1000)
                text = json.dumps(reply["body"])
                if any(word in text for word in FAILURE_WORDS):
                    errors.append(text[:120])

            await asyncio.gather(*(one(i) for i in range(commands)))
            elapsed = time.perf_counter() - started
            cpu_after = cpu_ms(bot.pid)
        print(
            f"{commands} commands (join and schedule) on the {api.upper()} API, concurrency {concurrency}, "
            f"Webex latency {latency_ms} ms, "
            f"{elapsed:.1f} s ({commands / elapsed:.0f}/s)"
        )
        print(
            f"ack latency: p50 {statistics.median(acks):.1f} ms, p99 {percentile(acks, 0.99):.1f} ms"
            "   [target p99 < 100 ms]"
        )
        if errors:
            print(f"errors: {len(errors)} (first: {errors[0]})")
        print(
            f"completion: p50 {statistics.median(completions):.0f} ms, p99 {percentile(completions, 0.99):.0f} ms"
            "   [target p99 < 1000 ms]"
        )
        print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else "") + "   [target 0]")
        print(f"bot CPU per command: {(cpu_after - cpu_before) / commands:.2f} ms")
        print(f"bot peak RSS: {peak_rss_mb(bot.pid):.0f} MB   [target < 200 MB]")
    finally:
        for process in (bot, simulator, standin):
            process.terminate()
            process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--api", choices=("xml", "rest"), default="xml", help="which simulated Webex API")
    args = parser.parse_args()
    asyncio.run(run(args.commands, args.concurrency, args.latency_ms, args.api))


if __name__ == "__main__":
    main()
