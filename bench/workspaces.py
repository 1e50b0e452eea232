"""The load spread over many workspaces (`bench/load.py --workspaces N`): N workspaces in the multi-workspace
Slack stand-in (sandbox/slack_workspaces.py), each with two people (one linked to a demo Webex host, one not)
and its own meeting to join; webexbot in OAuth mode, installed in each through the real install flow; each
command signed with its workspace's team id; afterwards, the stand-in's record of which token each Web API
call carried, checked against the workspace of the person or channel it named."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from cryptography.fernet import Fernet

from bench.apps import App, slack_env
from bench.loadgen import Command
from bench.sites import Sites
from sandbox.slack import SlackUser
from sandbox.slack_install import browser_install
from sandbox.slack_workspaces import MultiSlack
from storage import Store
from tests.processes import start
from webex.simulator.sites import DEMO_HOSTS

INSTALLS_AT_ONCE = 10
_runs = itertools.count(1)


def team(index: int) -> str:
    return f"TW{index:03d}"


def host(team_id: str) -> str:
    return f"U{team_id[1:]}H"


def guest(team_id: str) -> str:
    return f"U{team_id[1:]}G"


def general(team_id: str) -> str:
    return f"C{team_id[1:]}GEN"


def multi_slack(count: int) -> MultiSlack:
    """The stand-in's picture of the N workspaces and their people (the bench's signing and form helper)."""
    slack = MultiSlack()
    for index in range(count):
        team_id = team(index)
        slack.add_workspace(team_id, f"Workspace {index}")
        slack.channel_teams[general(team_id)] = team_id
        webex_id = DEMO_HOSTS[index % len(DEMO_HOSTS)][0]
        slack.add_user(SlackUser(host(team_id), f"Host {index}", f"{webex_id}@example.com", team_id=team_id))
        slack.add_user(SlackUser(guest(team_id), f"Guest {index}", f"guest-{index}@example.org", team_id=team_id))
    return slack


def host_index(sites: Sites, team_id: str) -> int:
    return sites.teams.index(team_id) % len(DEMO_HOSTS)


def database(sites: Sites, target: Path) -> str:
    """A fresh store: each workspace's host linked (and, on REST, each workspace's meeting, naming its host)."""
    store = Store(target)
    for team_id in sites.teams:
        index = host_index(sites, team_id)
        webex_id = sites.host_id(index)
        store.link(team_id, host(team_id), webex_id, f"{DEMO_HOSTS[index][0]}@example.com", "bench", "bench")
        if sites.api == "rest":
            store.engine.execute(
                "insert into meetings (meeting_key, team_id, host_webex_id, topic, status) values (?, ?, ?, ?, ?)",
                [sites.meetings[team_id], team_id, sites.host_id(0), "Load target", "scheduled"],
            )
    store.close()
    return str(target)


def commands(sites: Sites) -> Callable[[int], Command]:
    """Command i, signed with its workspace's team id: workspaces in turn, two commands each, a `join` of the
    workspace's meeting (from its guest or its host, alternately) and a `schedule` from its host."""
    slack, count = sites.slack, len(sites.teams)

    def make(index: int) -> Command:
        team_id = sites.teams[(index // 2) % count]
        if index % 2:
            user = guest(team_id) if (index // (2 * count)) % 2 else host(team_id)
            text = f"join {sites.meetings[team_id]}"
        else:
            user, text = host(team_id), f"schedule Load test {index} tomorrow at 10am"
        form, request_id = slack.command_form(user, text, channel=general(team_id))
        body = urlencode(form)
        return body.encode(), slack.signed(body), request_id

    return make


async def start_installed(sites: Sites) -> App:
    """webexbot in OAuth mode on a fresh store, installed in every workspace through the install flow."""
    slack = sites.slack
    assert isinstance(slack, MultiSlack)
    env = {
        **slack_env(sites),
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": slack.client_id,
        "SLACK_CLIENT_SECRET": slack.client_secret,
        "WEBEXBOT_SECRET_KEY": Fernet.generate_key().decode(),
        "WEBEXBOT_DB": database(sites, sites.workdir / f"bot-workspaces-{next(_runs)}.db"),
        "WEBEXBOT_LOG_LEVEL": "WARNING",
        "PORT": "0",
    }
    process = start(["bot.cli", "serve", "--http", "--host", "127.0.0.1"], env)
    try:
        async with aiohttp.ClientSession() as http:
            redirect = [f"{process.url}/slack/oauth_redirect"]
            (await http.put(f"{slack.url}/_redirect_urls", json=redirect)).raise_for_status()
        await install_all(process.url, sites.teams)
    except BaseException:
        process.stop()
        raise
    return App("webexbot", process, f"{process.url}/slack/events", "/healthz")


async def install_all(app_url: str, teams: list[str]) -> None:
    gate = asyncio.Semaphore(INSTALLS_AT_ONCE)

    async def install(team_id: str) -> None:
        async with gate:
            installed = await browser_install(app_url, team_id)
        if installed.page.status_code != 200:
            page = installed.page
            raise RuntimeError(f"installing in {team_id}: HTTP {page.status_code} {page.text[:200]}")

    await asyncio.gather(*(install(t) for t in teams))


@dataclass
class Routing:
    checked: int
    misrouted: int
    first: list[str]


async def routing(slack_url: str) -> Routing:
    """The stand-in's check: Web API calls that named a person or channel, and those with another's token."""
    async with aiohttp.ClientSession() as http, http.get(f"{slack_url}/_routing") as reply:
        found = await reply.json()
    return Routing(int(found["checked"]), int(found["misrouted"]), list(found["first"]))
