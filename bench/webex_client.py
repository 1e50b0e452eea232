"""Webex client overhead against the simulator (no added latency), and request build / reply parse times.

    python3 bench/webex_client.py [--calls 2000] [--api xml|rest]

The simulator runs in its own process so its work does not count as the client's. Client overhead
is the CPU time this process spends per call (building, sending, parsing); round trip is wall time.
Targets: < 1 ms overhead per simple call, < 20 ms to parse a 500-row LstsummaryMeeting.
`--api rest` measures the REST client the same way against the REST simulator: GET /people/me round
trips, POST /meetings body build and reply read, and 500 meetings read from five 100-item pages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from lxml import etree

from commands.backend import NewSession
from webex import SecurityContext, WebexClient, users
from webex import meetings as meeting_ops
from webex.client import XML_SERVICE_PATH
from webex.models import Invitee, NewMeeting
from webex.paging import list_control
from webex.rest import RestClient, TokenPair, Tokens, models
from webex.rest import operations as rest_ops
from webex.rest.backend import create_body as rest_body
from webex.rest_simulator import DEMO_ACCESS_TOKEN
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD
from webex.xml import request_document

SECURITY = SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")
MEETING = NewMeeting(
    "Quarterly planning <Q4> & budget",
    datetime(2030, 5, 4, 15, 30, tzinfo=UTC),
    45,
    host_webex_id="ana",
    invitees=(Invitee("Ben Okafor", "ben@example.com"), Invitee("Chen Wei", "chen@example.com")),
    agenda="Numbers, then hiring",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "simulate-webex", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, line.rsplit(" ", 1)[-1].strip().removesuffix(XML_SERVICE_PATH)


async def round_trips(url: str, calls: int) -> tuple[list[float], float]:
    async with WebexClient(url, SECURITY) as client:
        for _ in range(50):
            await client.get_user("ana")
        wall: list[float] = []
        cpu_start = time.process_time()
        for _ in range(calls):
            started = time.perf_counter()
            await client.get_user("ana")
            wall.append((time.perf_counter() - started) * 1000)
        cpu_per_call = (time.process_time() - cpu_start) * 1000 / calls
    return wall, cpu_per_call


async def list_reply(url: str, rows: int) -> bytes:
    async with WebexClient(url, SECURITY) as client:
        for index in range(rows):
            await client.create_meeting(
                NewMeeting(f"Meeting {index}", datetime(2030, 6, 1, 9, tzinfo=UTC), 30, host_webex_id="ben")
            )
    body = meeting_ops.list_body(
        host_webex_id="ben", start_from=None, start_to=None, zone_id=21, list_control=list_control(1, rows)
    )
    document = request_document(SECURITY.as_fields(), meeting_ops.LIST, body)
    async with httpx.AsyncClient() as http:
        return (await http.post(url + XML_SERVICE_PATH, content=document)).content


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--api", choices=("xml", "rest"), default="xml")
    args = parser.parse_args()
    if args.api == "rest":
        main_rest(args.calls)
        return
    process, url = start_simulator()
    try:
        wall, cpu = asyncio.run(round_trips(url, args.calls))
        create_reply = asyncio.run(_reply(url, meeting_ops.CREATE, meeting_ops.create_body(MEETING)))
        user_reply = asyncio.run(_reply(url, users.GET_USER, users.get_body("ana")))
        big_reply = asyncio.run(list_reply(url, 500))
    finally:
        process.terminate()
        process.wait(10)

    def build_create() -> bytes:
        return request_document(SECURITY.as_fields(), meeting_ops.CREATE, meeting_ops.create_body(MEETING))

    def parse_create() -> object:
        return meeting_ops.parse_created(WebexClient._unwrap("create", create_reply))

    def parse_list() -> object:
        rows = meeting_ops.parse_summaries(WebexClient._unwrap("list", big_reply))
        assert len(rows) == 500
        return rows

    def user_call_work() -> object:
        request_document(SECURITY.as_fields(), users.GET_USER, users.get_body("ana"))
        return users.parse_user(WebexClient._unwrap("get", user_reply))

    own_med, own_p99 = timed(user_call_work, 2000)
    build_med, build_p99 = timed(build_create, 2000)
    parse_med, parse_p99 = timed(parse_create, 2000)
    list_med, list_p99 = timed(parse_list, 50)
    print(
        f"GetUser round trip over HTTP ({args.calls} calls): median {statistics.median(wall):.2f} ms, "
        f"p99 {percentile(wall, 0.99):.2f} ms"
    )
    print(f"client overhead per GetUser, our code (build + parse): median {own_med:.3f} ms, p99 {own_p99:.3f} ms")
    print(f"client overhead per GetUser, all CPU in the client process incl. httpx: {cpu:.3f} ms   [target < 1 ms]")
    print(f"CreateMeeting build: median {build_med:.3f} ms, p99 {build_p99:.3f} ms")
    print(f"CreateMeeting reply parse: median {parse_med:.3f} ms, p99 {parse_p99:.3f} ms")
    print(
        f"500-row LstsummaryMeeting parse ({len(big_reply) // 1024} KiB): median {list_med:.2f} ms, "
        f"p99 {list_p99:.2f} ms   [target < 20 ms]"
    )


async def _reply(url: str, operation: str, body: etree._Element) -> bytes:
    document = request_document(SECURITY.as_fields(), operation, body)
    async with httpx.AsyncClient() as http:
        return (await http.post(url + XML_SERVICE_PATH, content=document)).content


# -- the REST client ------------------------------------------------------------------------------


def start_rest_simulator() -> tuple[subprocess.Popen[str], str]:
    serve = "from webex.rest_simulator.cli import main_rest; main_rest(port=0)"
    process = subprocess.Popen(
        [sys.executable, "-c", serve], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, line.rsplit(" ", 1)[-1].strip()


def rest_client(api_url: str) -> RestClient:
    return RestClient(api_url, Tokens(TokenPair(DEMO_ACCESS_TOKEN)))


async def rest_round_trips(api_url: str, calls: int) -> tuple[list[float], float]:
    async with rest_client(api_url) as client:
        for _ in range(50):
            await rest_ops.me(client)
        wall: list[float] = []
        cpu_start = time.process_time()
        for _ in range(calls):
            started = time.perf_counter()
            await rest_ops.me(client)
            wall.append((time.perf_counter() - started) * 1000)
        cpu_per_call = (time.process_time() - cpu_start) * 1000 / calls
    return wall, cpu_per_call


async def rest_replies(api_url: str, rows: int) -> tuple[bytes, bytes, list[bytes]]:
    """The raw replies of GET /people/me, one POST /meetings, and the pages listing `rows` meetings."""
    headers = {"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}
    async with httpx.AsyncClient(headers=headers) as http:
        me = (await http.get(f"{api_url}/people/me")).content
        created = (await http.post(f"{api_url}/meetings", json=rest_create_body())).content
        for index in range(rows - 1):
            await http.post(f"{api_url}/meetings", json={**rest_create_body(), "title": f"Meeting {index}"})
        pages: list[bytes] = []
        window = "from=2030-05-01T00:00:00Z&to=2030-05-08T00:00:00Z"
        url: str | None = f"{api_url}/meetings?meetingType=scheduledMeeting&hostEmail=ana@example.com&max=100&{window}"
        while url:
            reply = await http.get(url)
            pages.append(reply.content)
            url = reply.links.get("next", {}).get("url")
    return me, created, pages


def rest_create_body() -> dict[str, object]:
    new = NewSession(
        MEETING.topic,
        MEETING.start,
        MEETING.duration_minutes,
        host_webex_id="ana@example.com",
        time_zone="America/Sao_Paulo",
        invitee_emails=tuple((i.name, i.email) for i in MEETING.invitees),
        agenda=MEETING.agenda,
        request_id="bench",
    )
    return rest_body(new, MEETING.start)


def main_rest(calls: int) -> None:
    process, api_url = start_rest_simulator()
    try:
        wall, cpu = asyncio.run(rest_round_trips(api_url, calls))
        me_reply, create_reply, pages = asyncio.run(rest_replies(api_url, 500))
    finally:
        process.terminate()
        process.wait(10)

    def me_call_work() -> object:
        return models.person(json.loads(me_reply))

    def build_create() -> bytes:
        return json.dumps(rest_create_body(), ensure_ascii=False).encode()

    def parse_create() -> object:
        return models.meeting(json.loads(create_reply))

    def parse_list() -> object:
        rows = [models.meeting(item) for page in pages for item in models.items(json.loads(page))]
        assert len(rows) == 500
        return rows

    own_med, own_p99 = timed(me_call_work, 2000)
    build_med, build_p99 = timed(build_create, 2000)
    parse_med, parse_p99 = timed(parse_create, 2000)
    list_med, list_p99 = timed(parse_list, 50)
    size = sum(len(page) for page in pages) // 1024
    print(
        f"GET /people/me round trip over HTTP ({calls} calls): median {statistics.median(wall):.2f} ms, "
        f"p99 {percentile(wall, 0.99):.2f} ms"
    )
    print(f"client overhead per GET /people/me, our code (parse + read): median {own_med:.3f} ms, p99 {own_p99:.3f} ms")
    print(f"client overhead per call, all CPU in the client process incl. httpx: {cpu:.3f} ms   [target < 1 ms]")
    print(f"POST /meetings body build: median {build_med:.3f} ms, p99 {build_p99:.3f} ms")
    print(f"POST /meetings reply read: median {parse_med:.3f} ms, p99 {parse_p99:.3f} ms")
    print(
        f"500 meetings from {len(pages)} pages of GET /meetings ({size} KiB): median {list_med:.2f} ms, "
        f"p99 {list_p99:.2f} ms   [target < 20 ms]"
    )


if __name__ == "__main__":
    main()
