"""The apps a load run measures, each started fresh in its own process against the same stand-ins:
webexbot (`webexbot serve --http`), the sync Bolt anchor with waitress's defaults or hand-tuned, and a
trivial server that answers at once (the generator's floor)."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from bench.sites import Sites, anchor_config, bot_database
from tests.processes import Process, children, start
from tests.processes import peak_rss_mb as _peak_rss_mb
from tests.processes import rss_mb as _rss_mb

APPS = ("webexbot", "anchor-default", "anchor-tuned")
_runs = itertools.count(1)


@dataclass
class App:
    name: str
    process: Process
    events_url: str  # where commands are posted
    warm_path: str  # a cheap GET that opens and warms a connection

    def stop(self) -> None:
        self.process.stop()


@dataclass(frozen=True)
class Setup:
    """How webexbot runs: its serving processes (WEBEXBOT_PROCESSES), and where each does its work
    (WEBEXBOT_WORKER: a worker process while there is work, its work thread, or a worker process always). `cold`:
    with `auto`, the load comes once the worker has retired (WEBEXBOT_WORKER_IDLE_SECONDS=1), so a burst starts
    it again."""

    processes: int = 1
    worker: str = "auto"
    cold: bool = False

    @property
    def name(self) -> str:
        return "webexbot" + (f"×{self.processes}" if self.processes > 1 else "") + WORKER_NAMES[self.worker, self.cold]


WORKER_NAMES = {
    ("auto", False): "",
    ("auto", True): "+cold",
    ("thread", False): "+thread",
    ("process", False): "+worker",
}
AS_SHIPPED = Setup()  # one serving process, with a worker process while there is work


def start_app(name: str, sites: Sites, setup: Setup = AS_SHIPPED) -> App:
    """`setup`: how webexbot runs."""
    standin = slack_env(sites)
    run = next(_runs)
    if name == "webexbot":
        process = start_webexbot(sites, bot_database(sites, sites.workdir / f"bot-{run}.db"), setup)
        if setup.cold:
            until_alone(process.pid)
        return App(setup.name, process, f"{process.url}/slack/events", "/healthz")
    if name in ("anchor-default", "anchor-tuned"):
        config = anchor_config(sites, sites.workdir / f"anchor-{run}.json")
        env = {**standin, "WEBEX_SITE_NAME": "demo", "ANCHOR_CONFIG": str(config)}
        tuned = ["--tuned"] if name == "anchor-tuned" else []
        process = start(["bench.anchor_sync_bolt", *tuned], env)
        return App(name, process, f"{process.url}/slack/events", "/")
    raise ValueError(f"unknown app {name!r}")


def start_webexbot(sites: Sites, database: str, setup: Setup = AS_SHIPPED) -> Process:
    """`webexbot serve --http` on WEBEXBOT_DB `database` (several on one PostgreSQL database are replicas), run as
    `setup` says."""
    return start(["bot.cli", "serve", "--http", "--host", "127.0.0.1"], webexbot_env(sites, database, setup))


def webexbot_env(sites: Sites, database: str, setup: Setup = AS_SHIPPED) -> dict[str, str]:
    """The bot's settings against the stand-ins, on WEBEXBOT_DB `database`, run as `setup` says."""
    return {
        **slack_env(sites),
        "WEBEXBOT_DB": database,
        "WEBEXBOT_LOG_LEVEL": "WARNING",
        "PORT": "0",
        "WEBEXBOT_PROCESSES": str(setup.processes),
        "WEBEXBOT_WORKER": setup.worker,
        **({"WEBEXBOT_WORKER_IDLE_SECONDS": "1"} if setup.cold else {}),
    }


def slack_env(sites: Sites) -> dict[str, str]:
    slack = sites.slack
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        **sites.webex_env,
    }


def start_floor() -> App:
    process = start(["bench.floor_server"])
    return App("floor", process, f"{process.url}/slack/events", "/")


def family(pid: int) -> list[int]:
    """The process and its descendants (webexbot's serving processes, and their workers)."""
    return [pid, *(member for child in children(pid) for member in family(child))]


def until_alone(pid: int, timeout: float = 30.0) -> None:
    """Wait until no worker process is left under `pid` (each one has retired)."""
    deadline = time.monotonic() + timeout
    while _has_worker(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"process {pid} still has a worker after {timeout:g} s")
        time.sleep(0.05)


def _has_worker(pid: int) -> bool:
    try:
        return any(b"bot.worker" in Path(f"/proc/{member}/cmdline").read_bytes() for member in family(pid)[1:])
    except FileNotFoundError:  # one ended while we looked: look again
        return True


def cpu_ms(pid: int) -> float:
    """User and system CPU the process and its children have used so far."""
    return sum(_cpu_ms(member) for member in family(pid))


def rss_mb(pid: int) -> float:
    """The sum of the RSS of the process and its children (pages they share are counted in each)."""
    return sum(_rss_mb(member) for member in family(pid))


def peak_rss_mb(pid: int) -> float:
    """The sum of the peak RSS of the process and its children (pages they share are counted in each)."""
    return sum(_peak_rss_mb(member) for member in family(pid))


def stat_fields(pid: int) -> list[int]:
    """/proc/PID/stat after the command name, as numbers from the parent pid on (fields[1] is the ppid, 11 and 12
    user and system CPU in clock ticks, 13 and 14 those of its reaped children)."""
    text = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return [0, *(int(value) for value in text[1:])]


def ticks_ms(ticks: int) -> float:
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _cpu_ms(pid: int) -> float:
    return ticks_ms(sum(stat_fields(pid)[11:13]))
