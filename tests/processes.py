"""Real processes for the crash test and the benchmarks: the Webex simulator, the Slack stand-in and
`webexbot serve --http`, each on a free port (port 0, the address read from the line it prints first),
and what /proc says about them.

`python -m tests.processes webex --reply-latency-ms 300-800` serves the demo site with each XML API reply
held back a random time in that range after the request is carried out, plus `GET /_test/sessions` (the
site's sessions as JSON, answered at once) for a test that must see what Webex holds while the bot works.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

from aiohttp import web

from sandbox.slack import FakeSlack
from webex.simulator import Faults, WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
_URL = re.compile(r"https?://[\w.-]+:\d+")

T = TypeVar("T")


@dataclass
class Process:
    """A server started as its own process; `url` is its base address."""

    popen: subprocess.Popen[str]
    url: str
    log: Path | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """kill -9: no shutdown code runs."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(10)
        self._close()

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        self._close()

    def log_tail(self, lines: int = 40) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def _close(self) -> None:
        if self.popen.stdout is not None:
            self.popen.stdout.close()


async def until(found: Callable[[], T], timeout: float = 15.0, what: str = "") -> T:
    """Polls `found` with short waits until it gives something true, and returns it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = found()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, f"still waiting for {what or found}"
        await asyncio.sleep(0.05)


def start(module_args: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> Process:
    """Run `python -m module_args...` from the checkout; wait for its first line, which names its address."""
    stderr: IO[str] | int = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        popen = subprocess.Popen(
            [sys.executable, "-m", *module_args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
    finally:
        if not isinstance(stderr, int):
            stderr.close()
    assert popen.stdout is not None
    line = popen.stdout.readline()
    found = _URL.search(line)
    if found is None:
        popen.kill()
        popen.wait(10)
        popen.stdout.close()
        raise RuntimeError(f"{' '.join(module_args)} did not start: {line!r}")
    return Process(popen, found.group(0), log)


def start_webex(reply_latency_ms: tuple[int, int] = (0, 0), log: Path | None = None) -> Process:
    low, high = reply_latency_ms
    return start(["tests.processes", "webex", "--reply-latency-ms", f"{low}-{high}"], log=log)


def start_slack(users_json: Path, log: Path | None = None) -> Process:
    return start(["sandbox.slack", "--users", str(users_json)], log=log)


def start_bot(env: dict[str, str], log: Path | None = None, port: int = 0) -> Process:
    return start(["bot.cli", "serve", "--http", "--host", "127.0.0.1"], {**env, "PORT": str(port)}, log)


def bot_env(webex_url: str, slack: FakeSlack, db_path: Path, **extra: str) -> dict[str, str]:
    """The bot's settings, pointed at a simulator and a Slack stand-in (`slack.url` set to where it serves)."""
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "WEBEX_SITE_URL": webex_url,
        "WEBEX_SITE_NAME": "demo",
        "WEBEX_USER": DEMO_ADMIN,
        "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
        "WEBEXBOT_DB": str(db_path),
        **extra,
    }


# -- /proc ------------------------------------------------------------------------------------


def _status(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    return _status(pid, "VmRSS")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def peak_rss_mb(pid: int) -> float:
    return _status(pid, "VmHWM")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


# -- the simulator entry ----------------------------------------------------------------------


class SpreadReplyLatency(Faults):
    """Each reply held back a random time in [low, high] ms after the operation is carried out."""

    spread: tuple[int, int] = (0, 0)

    @property
    def reply_latency_ms(self) -> int:
        return random.randint(*self.spread)

    @reply_latency_ms.setter
    def reply_latency_ms(self, value: int) -> None:
        self.spread = (value, value)


class ProbedSite(WebexSimulator):
    """The simulator with a test route that reads its state without the fault delays."""

    def app(self) -> web.Application:
        app = super().app()
        app.router.add_get("/_test/sessions", self.sessions)
        return app

    async def sessions(self, request: web.Request) -> web.Response:
        with self.state.lock:
            listed = [{"key": s.key, "topic": s.topic, "host": s.host} for s in self.state.sessions.values()]
        return web.json_response(listed)


def _serve_webex(reply_latency: str) -> None:
    low, _, high = reply_latency.partition("-")
    faults = SpreadReplyLatency()
    faults.spread = (int(low), int(high or low))
    simulator = ProbedSite(demo_site(), faults=faults, hang_seconds=5)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(simulator.serve("127.0.0.1", 0, "Webex simulator at {}/WBXService/XMLService".format))


def main() -> None:
    parser = argparse.ArgumentParser(description="servers for tests that need them as real processes")
    sub = parser.add_subparsers(dest="server", required=True)
    webex = sub.add_parser("webex", help="the demo Webex site")
    webex.add_argument("--reply-latency-ms", default="0", help="LOW-HIGH: each reply held back that long")
    args = parser.parse_args()
    if args.server == "webex":
        _serve_webex(args.reply_latency_ms)


if __name__ == "__main__":
    main()
