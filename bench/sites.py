"""The stand-ins a load run drives the apps against, each in its own process: the Slack stand-in (signing,
response URLs that timestamp each reply) and a simulated Webex site (XML or REST) with a meeting to join."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.slack import FakeSlack, SlackUser
from storage import Store
from tests.processes import Process, start, start_slack
from webex import SecurityContext, WebexClient
from webex.models import NewMeeting
from webex.rest_simulator.sites import DEMO_ACCESS_TOKEN
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_HOSTS

TEAM = "T0WEBEX"


@dataclass
class Sites:
    """What every app in a run talks to, and what it needs to know about it."""

    api: str
    workdir: Path
    slack: FakeSlack  # only for its signing and form helpers; the stand-in serves from its own process
    users: list[SlackUser]
    processes: list[Process] = field(default_factory=list)
    webex_env: dict[str, str] = field(default_factory=dict)  # the bot's Webex settings
    meeting: str = ""  # the number every `join` asks for
    teams: list[str] = field(default_factory=list)  # with --workspaces: the installed workspaces (bench/workspaces.py)
    meetings: dict[str, str] = field(default_factory=dict)  # each of those workspaces' meeting to join

    def host_id(self, index: int) -> str:
        """How the bot and the anchor know host `index` in Webex: webExID on XML, email on REST."""
        webex_id = DEMO_HOSTS[index][0]
        return f"{webex_id}@example.com" if self.api == "rest" else webex_id

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


def bench_users() -> list[SlackUser]:
    """The four linked demo hosts, then 96 people with no Webex account."""
    users = [
        SlackUser(f"U0HOST{i}", f"{first} {last}", f"{webex_id}@example.com")
        for i, (webex_id, first, last, _) in enumerate(DEMO_HOSTS)
    ]
    return users + [SlackUser(f"U0GUEST{i:02d}", f"Guest {i}", f"guest{i}@example.org") for i in range(96)]


async def start_sites(api: str, latency_ms: int, workdir: Path, slack: FakeSlack | None = None) -> Sites:
    """The stand-ins; with `slack` (a MultiSlack with its workspaces and people), the multi-workspace one."""
    sites = Sites(api, workdir, slack or FakeSlack(), bench_users())
    if slack is not None:  # its own workspaces besides the stand-in's default one (TEAM, the single-token bot's)
        sites.teams = [team for team in getattr(slack, "workspaces", {}) if team != TEAM]
    for user in sites.users:  # so the command forms carry each person's name, as Slack's do
        sites.slack.add_user(user)
    (workdir / "users.json").write_text(json.dumps([u.__dict__ for u in sites.slack.users.values()]))
    try:
        standin = start_slack(workdir / "users.json") if slack is None else start_workspaces(sites)
        sites.processes.append(standin)
        sites.slack.url = standin.url
        await (_rest_site if api == "rest" else _xml_site)(sites, latency_ms)
    except BaseException:
        sites.stop()
        raise
    return sites


def start_workspaces(sites: Sites) -> Process:
    """The multi-workspace Slack stand-in (sandbox/slack_workspaces.py) with the MultiSlack's workspaces."""
    slack: Any = sites.slack
    general = {team: channel for channel, team in slack.channel_teams.items()}
    listed = [[team, w.name, general.get(team, "")] for team, w in slack.workspaces.items()]
    (sites.workdir / "workspaces.json").write_text(json.dumps(listed))
    command = ["sandbox.slack_workspaces", "--workspaces", str(sites.workdir / "workspaces.json")]
    return start([*command, "--users", str(sites.workdir / "users.json")])


async def _xml_site(sites: Sites, latency_ms: int) -> None:
    simulator = start(["bot.cli", "simulate-webex", "--port", "0", "--latency-ms", str(latency_ms)])
    sites.processes.append(simulator)
    security = SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")
    async with WebexClient(simulator.url, security) as admin:
        begin = datetime.now(UTC) + timedelta(days=2)

        async def create(topic: str) -> str:
            return (await admin.create_meeting(NewMeeting(topic, begin, 30, host_webex_id="ana"))).key

        sites.meeting = await create("Load target")
        keys = await asyncio.gather(*(create(f"Load target {team}") for team in sites.teams))
        sites.meetings = dict(zip(sites.teams, keys, strict=True))
    sites.webex_env = {
        "WEBEX_SITE_URL": simulator.url,
        "WEBEX_SITE_NAME": "demo",
        "WEBEX_USER": DEMO_ADMIN,
        "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
    }


async def _rest_site(sites: Sites, latency_ms: int) -> None:
    simulator = start(["bot.cli", "simulate-webex", "--api", "rest", "--port", "0", "--latency-ms", str(latency_ms)])
    sites.processes.append(simulator)
    api_url = f"{simulator.url}/v1"
    begin = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    body = {
        "title": "Load target",
        "start": begin.isoformat(),
        "end": (begin + timedelta(minutes=30)).isoformat(),
        "hostEmail": "ana@example.com",
    }
    headers = {"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}
    async with aiohttp.ClientSession(headers=headers) as http:

        async def create(title: str) -> str:
            async with http.post(f"{api_url}/meetings", json={**body, "title": title}) as reply:
                return str((await reply.json())["meetingNumber"])

        sites.meeting = await create("Load target")
        keys = await asyncio.gather(*(create(f"Load target {team}") for team in sites.teams))
        sites.meetings = dict(zip(sites.teams, keys, strict=True))
    sites.webex_env = {"WEBEX_API": "rest", "WEBEX_API_URL": api_url, "WEBEX_ACCESS_TOKEN": DEMO_ACCESS_TOKEN}


def bot_database(sites: Sites, target: str | Path) -> str:
    """A fresh store (a SQLite file or an empty PostgreSQL database) with the four hosts linked (and, on REST,
    the target meeting, which names its host); its WEBEXBOT_DB."""
    store = Store(target)
    for index, (webex_id, *_rest) in enumerate(DEMO_HOSTS):
        store.link(TEAM, f"U0HOST{index}", sites.host_id(index), f"{webex_id}@example.com", "bench", "bench")
    if sites.api == "rest":  # an admin finds a meeting by number only through its host: the store names it
        store.engine.execute(
            "insert into meetings (meeting_key, team_id, host_webex_id, topic, status) values (?, ?, ?, ?, ?)",
            [sites.meeting, TEAM, "ana@example.com", "Load target", "scheduled"],
        )
    store.close()
    return str(target)


def anchor_config(sites: Sites, path: Path) -> Path:
    """The anchor's equivalent of that store and of users.info: who is linked to which host, who hosts the
    target meeting, and everyone's email."""
    links = {f"U0HOST{i}": sites.host_id(i) for i in range(len(DEMO_HOSTS))}
    people = {user.id: user.email for user in sites.users}
    path.write_text(json.dumps({"links": links, "meetings": {sites.meeting: sites.host_id(0)}, "people": people}))
    return path
