"""Start-up: from the moment `webexbot serve --http` is started until GET /healthz answers 200, and the
bot's resident memory once it has sat idle, against the same stand-ins as bench/load.py.

    python3 bench/startup.py [--runs 5] [--api xml|rest] [--idle 2] [--worker auto|thread|process]

Each run starts a fresh bot on a fresh store (the four hosts linked), one at a time. Its RSS is that of all its
processes (a worker's too), after `--idle` seconds; with `--worker auto`, also once its worker has retired (after
WEBEXBOT_WORKER_IDLE_SECONDS, 60 as shipped; `--runs` more bots, left idle side by side). Prints each figure's
median and range over the runs. Targets (issue 17): start-up to healthy < 400 ms, idle RSS < 60 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apps import Setup, rss_mb, start_webexbot, until_alone  # noqa: E402
from bench.sites import Sites, bot_database, start_sites  # noqa: E402
from tests.processes import Process  # noqa: E402

RETIRE_WAIT_S = 90.0  # WEBEXBOT_WORKER_IDLE_SECONDS as shipped (60), and some


def start_bot(sites: Sites, database: str, worker: str) -> tuple[Process, float]:
    """`webexbot serve --http` on a fresh store, and the ms from its start to the first 200 on /healthz."""
    began = time.perf_counter()
    process = start_webexbot(sites, database, Setup(worker=worker))  # returns once it prints that it listens
    with httpx.Client(timeout=1.0) as http:
        while http.get(f"{process.url}/healthz").status_code != 200:
            time.sleep(0.002)
    return process, (time.perf_counter() - began) * 1000


def started(sites: Sites, workdir: Path, args: argparse.Namespace) -> tuple[list[float], list[float]]:
    """Each run's start to healthy, and its RSS after `--idle` s; one bot at a time."""
    healthy, idle = [], []
    for run in range(args.runs):
        process, ms = start_bot(sites, bot_database(sites, workdir / f"bot-{run}.db"), args.worker)
        try:
            time.sleep(args.idle)
            healthy.append(ms)
            idle.append(rss_mb(process.pid))
        finally:
            process.stop()
    return healthy, idle


def retired(sites: Sites, workdir: Path, runs: int) -> list[float]:
    """The RSS of `runs` bots (WEBEXBOT_WORKER=auto) once each one's worker has retired. They sit idle side by side,
    so that no start is timed after a minute's idle (a machine idle that long starts the next process ~20% slower,
    worker or not)."""
    bots = []
    try:
        for run in range(runs):
            bots.append(start_bot(sites, bot_database(sites, workdir / f"retire-{run}.db"), "auto")[0])
        for bot in bots:
            until_alone(bot.pid, timeout=RETIRE_WAIT_S)
        return [rss_mb(bot.pid) for bot in bots]
    finally:
        for bot in bots:
            bot.stop()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="webexbot-startup-") as workdir:
        sites = await start_sites(args.api, 0, Path(workdir))
        try:
            healthy, rss = started(sites, Path(workdir), args)
            alone = retired(sites, Path(workdir), args.runs) if args.worker == "auto" else []
        finally:
            sites.stop()
    print(
        f"webexbot serve --http (WEBEXBOT_WORKER={args.worker}) on the {args.api.upper()} API, {args.runs} runs"
        " (median, range)"
    )
    print(
        f"start to healthy /healthz: {statistics.median(healthy):.0f} ms ({min(healthy):.0f}-{max(healthy):.0f})"
        "   [target < 400 ms]"
    )
    print(f"idle RSS after {args.idle:g} s: {_spread(rss)}   [target < 60 MB]")
    if alone:
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
