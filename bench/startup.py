"""Start-up: from the moment `webexbot serve --http` is started until GET /healthz answers 200, and the
bot's resident memory once it has sat idle, against the same stand-ins as bench/load.py.

    python3 bench/startup.py [--runs 5] [--api xml|rest] [--idle 2] [--worker auto|thread|process]

Each run starts a fresh bot on a fresh store (the four hosts linked). Its RSS is that of all its processes (a
worker's too), after `--idle` seconds; with `--worker auto`, also once its worker has retired (after
WEBEXBOT_WORKER_IDLE_SECONDS, 60 as shipped). Prints each figure's median and range over the runs. Targets
(issue 17): start-up to healthy < 400 ms, idle RSS < 60 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apps import family, until_alone  # noqa: E402
from bench.sites import Sites, bot_database, start_sites  # noqa: E402
from tests.processes import rss_mb  # noqa: E402

RETIRE_WAIT_S = 90.0  # WEBEXBOT_WORKER_IDLE_SECONDS as shipped (60), and some


def healthy_after(sites: Sites, database: Path, idle_s: float, worker: str) -> tuple[float, float, float]:
    """(ms from start to the first 200 on /healthz, RSS in MB after `idle_s` idle, and once the worker has
    retired: with `worker` auto; else nan)."""
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": sites.slack.bot_token,
        "SLACK_SIGNING_SECRET": sites.slack.signing_secret,
        "SLACK_API_URL": sites.slack.api_url,
        **sites.webex_env,
        "WEBEXBOT_DB": str(database),
        "WEBEXBOT_LOG_LEVEL": "WARNING",
        "PORT": "0",
        "WEBEXBOT_WORKER": worker,
    }
    command = [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1"]
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once it listens: "listening on http://127.0.0.1:PORT/..."
        base = line.split("listening on ", 1)[1].split("/slack/events", 1)[0]
        with httpx.Client(timeout=1.0) as http:
            while http.get(f"{base}/healthz").status_code != 200:
                time.sleep(0.002)
        healthy_ms = (time.perf_counter() - began) * 1000
        time.sleep(idle_s)
        idle = sum(rss_mb(member) for member in family(process.pid))
        if worker != "auto":
            return healthy_ms, idle, math.nan
        until_alone(process.pid, timeout=RETIRE_WAIT_S)
        return healthy_ms, idle, rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close() if process.stdout else None


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="webexbot-startup-") as workdir:
        sites = await start_sites(args.api, 0, Path(workdir))
        try:
            figures = [
                healthy_after(sites, bot_database(sites, Path(workdir) / f"bot-{i}.db"), args.idle, args.worker)
                for i in range(args.runs)
            ]
        finally:
            sites.stop()
    healthy, rss, alone = ([f[i] for f in figures] for i in range(3))
    print(
        f"webexbot serve --http (WEBEXBOT_WORKER={args.worker}) on the {args.api.upper()} API, {args.runs} runs"
        " (median, range)"
    )
    print(
        f"start to healthy /healthz: {statistics.median(healthy):.0f} ms ({min(healthy):.0f}-{max(healthy):.0f})"
        "   [target < 400 ms]"
    )
    print(f"idle RSS after {args.idle:g} s: {_spread(rss)}   [target < 60 MB]")
    if args.worker == "auto":
        print(f"idle RSS once the worker retired: {_spread(alone)}   [target < 60 MB]")


def _spread(mb: list[float]) -> str:
    return f"{statistics.median(mb):.1f} MB ({min(mb):.1f}-{max(mb):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--api", choices=("xml", "rest"), default="xml")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before RSS is read")
    parser.add_argument("--worker", choices=("thread", "process", "auto"), default="auto", help="WEBEXBOT_WORKER")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
