"""Load: signed /webex commands at concurrency C against `webexbot serve --http`, and against the sync Bolt
app people would otherwise write (bench/anchor_sync_bolt.py) with `--compare`.

    python3 bench/load.py [--commands 1000] [--concurrency 100] [--latency-ms 200] [--api xml|rest] [--runs N]
    python3 bench/load.py --compare [--levels 10,50,100,200] ...   (webexbot and both anchors, one table)
    python3 bench/load.py --compare --processes 2 ...              (and webexbot with 2 serving processes)
    python3 bench/load.py --compare --worker thread --worker auto-cold  (and webexbot on its work thread; a cold burst)
    python3 bench/load.py --floor [--concurrency 100]               (the generator against a server that does nothing)
    python3 bench/load.py --workspaces 50 ...                       (one workspace and 50 installed ones, side by side)

The Webex simulator (L ms added to every call), the Slack stand-in and each app run in their own processes;
each measurement starts its app and the stand-ins afresh (with --workspaces, the stand-ins serve the whole run,
whose record of calls is checked for misrouted tokens). Half the commands are `join <number>`, half `schedule ...
tomorrow at 10am` from a linked host. Concurrency C is C people each with one command outstanding (bench/
loadgen.py): the ack is timed from the moment the request is written, completion until the reply reached
the response URL. Prints throughput (commands completed per second from the end of the ramp to the start of
the drain, while all C are outstanding; and over the whole run, ramp and drain included), ack p50/p99/max,
completion p50/p99, errors, acks over Slack's 3 s, the app's CPU per command and its peak RSS; with --runs N,
each figure's median over N runs.
Targets (issue 17), concurrency 100 and L=200: ack p99 < 50 ms, completion p99 < 600 ms, 0 errors,
RSS < 150 MB, CPU < 2.5 ms per command; against the tuned anchor >= 2x throughput and <= 0.25x ack p99.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import workspaces  # noqa: E402
from bench.apps import APPS, AS_SHIPPED, App, Setup, cpu_ms, peak_rss_mb, start_app, start_floor  # noqa: E402
from bench.loadgen import Command, Load  # noqa: E402
from bench.report import Figures, compare_table, floor_line, median, side_by_side, single  # noqa: E402
from bench.sites import Sites, start_sites  # noqa: E402
from sandbox.slack import FakeSlack  # noqa: E402

FAILURE_WORDS = ("Sorry", "isn't answering", "taking too long", "busy", "couldn't", "can't")


def commands_for(sites: Sites, only: str = "") -> Callable[[int], Command]:
    """Command i, signed: odd ones `join` from anyone, even ones `schedule` from one of the linked hosts
    (`only`: "join" or "schedule", every command that one)."""
    slack, users = sites.slack, sites.users

    def make(index: int) -> Command:
        joins = only == "join" or (not only and index % 2 == 1)
        user = users[index % len(users)] if joins else users[index % 4]
        text = f"join {sites.meeting}" if joins else f"schedule Load test {index} tomorrow at 10am"
        form, request_id = slack.command_form(user.id, text)
        body = urlencode(form)
        return body.encode(), slack.signed(body), request_id

    return make


def failure(reply: str) -> str:
    """What is wrong with a reply on the response URL ("" when it joins or schedules as asked)."""
    done = "Join" in reply or "Scheduled" in reply
    return reply[:120] if not done or any(word in reply for word in FAILURE_WORDS) else ""


async def measure(
    app: App,
    sites: Sites | None,
    args: argparse.Namespace,
    concurrency: int,
    make: Callable[[int], Command] | None = None,
) -> Figures:
    warmup = concurrency if args.warmup is None else args.warmup
    load = Load(
        app.events_url,
        make or (commands_for(sites, args.only) if sites else lambda i: (b"", {}, "")),
        args.commands,
        concurrency,
        warmup,
        args.ramp,
        replies_url=sites.slack.url if sites else "",
        warm_path=app.warm_path,
        ok=failure,
    )
    before, own_before = cpu_ms(app.process.pid), time.process_time()
    result = await load.run()
    sent = args.commands + warmup + 1
    figures = Figures.of(result, (cpu_ms(app.process.pid) - before) / sent, peak_rss_mb(app.process.pid))
    figures.generator_cpu_ms = (time.process_time() - own_before) * 1000 / sent
    return figures


async def measure_fresh(
    name: str, sites: Sites, args: argparse.Namespace, concurrency: int, setup: Setup = AS_SHIPPED
) -> Figures:
    app = start_app(name, sites, setup)
    try:
        return await measure(app, sites, args, concurrency)
    finally:
        app.stop()


@asynccontextmanager
async def fresh_sites(args: argparse.Namespace, slack: FakeSlack | None = None) -> AsyncIterator[Sites]:
    """Stand-ins of one measurement's own: what the simulator and the Slack stand-in keep (every meeting made,
    every message posted) grows with each run, and on shared cores their growing cost slowed the later runs.
    With `slack` (a MultiSlack), the multi-workspace stand-in."""
    with tempfile.TemporaryDirectory(prefix="webexbot-load-") as workdir:
        sites = await start_sites(args.api, args.latency_ms, Path(workdir), slack)
        try:
            yield sites
        finally:
            sites.stop()


async def measure_alone(name: str, args: argparse.Namespace, concurrency: int, setup: Setup = AS_SHIPPED) -> Figures:
    """`name` freshly started, on fresh stand-ins."""
    async with fresh_sites(args) as sites:
        return await measure_fresh(name, sites, args, concurrency, setup)


async def run_single(args: argparse.Namespace) -> None:
    setup = worker_setup(args.worker[-1], args.processes) if args.worker else Setup(args.processes)
    runs = [await measure_alone(args.app, args, args.concurrency, setup) for _ in range(args.runs)]
    name = setup.name if args.app == "webexbot" else args.app
    title = (
        f"{name}: {args.commands} commands (join and schedule) on the {args.api.upper()} API, "
        f"concurrency {args.concurrency}, Webex latency {args.latency_ms} ms"
        + (f", median of {args.runs} runs" if args.runs > 1 else "")
    )
    print(single(median(runs), title))


def worker_setup(worker: str, processes: int = 1) -> Setup:
    """`--worker`'s choice: "auto-cold" is `auto` with the load arriving once the worker has retired."""
    return Setup(processes, worker.removesuffix("-cold"), cold=worker.endswith("-cold"))


async def run_compare(args: argparse.Namespace) -> None:
    cells: dict[tuple[int, str], list[Figures]] = {}
    bots = [AS_SHIPPED] + [Setup(args.processes)] * (args.processes > 1) + [worker_setup(w) for w in args.worker]
    apps = [(bot.name, "webexbot", bot) for bot in bots] + [(name, name, AS_SHIPPED) for name in APPS[1:]]
    for _ in range(args.runs):
        for level in args.levels:
            for label, name, setup in apps:  # interleaved: what else the machine does weighs on all alike
                figures = await measure_alone(name, args, level, setup)
                cells.setdefault((level, label), []).append(figures)
                print(f"  C={level} {label}: {figures.throughput:.0f}/s, ack p99 {figures.ack_p99:.1f} ms", flush=True)
    print(
        f"{args.commands} commands per cell (join and schedule) on the {args.api.upper()} API, Webex latency "
        f"{args.latency_ms} ms" + (f", median of {args.runs} runs" if args.runs > 1 else "") + "; times in ms"
    )
    print(compare_table({key: median(runs) for key, runs in cells.items()}, tuple(label for label, _, _ in apps)))


async def run_workspaces(args: argparse.Namespace) -> None:
    """One workspace (SLACK_BOT_TOKEN) and N installed through the install flow, interleaved, side by side, on
    the same stand-ins throughout: the Slack stand-in's record of every call is checked for misrouted tokens."""
    async with fresh_sites(args, workspaces.multi_slack(args.workspaces)) as sites:
        await _run_workspaces(args, sites)


async def _run_workspaces(args: argparse.Namespace, sites: Sites) -> None:
    one: list[Figures] = []
    spread: list[Figures] = []
    misrouted = checked = 0
    for _ in range(args.runs):
        one.append(await measure_fresh("webexbot", sites, args, args.concurrency))
        app = await workspaces.start_installed(sites)
        try:
            spread.append(await measure(app, sites, args, args.concurrency, workspaces.commands(sites)))
        finally:
            app.stop()
        found = await workspaces.routing(sites.slack.url)
        checked, misrouted = found.checked, found.misrouted  # the stand-in's record covers every run so far
        if found.first:
            print(f"  calls with another workspace's token: {', '.join(found.first)}", flush=True)
    n = len(sites.teams)
    print(
        f"webexbot: {args.commands} commands (join and schedule) on the {args.api.upper()} API, concurrency "
        f"{args.concurrency}, Webex latency {args.latency_ms} ms"
        + (f", median of {args.runs} runs" if args.runs > 1 else "")
    )
    print(side_by_side({"1 workspace": median(one), f"{n} workspaces": median(spread)}))
    print(f"Web API calls with another workspace's token: {misrouted} of {checked} checked   [target 0]")


async def run_floor(args: argparse.Namespace) -> None:
    runs = []
    for _ in range(args.runs):
        floor = start_floor()
        try:
            runs.append(await measure(floor, None, args, args.concurrency))
        finally:
            floor.stop()
    print(floor_line(median(runs), args.concurrency))


async def run(args: argparse.Namespace) -> None:
    if args.floor:
        await run_floor(args)
    elif args.workspaces:
        await run_workspaces(args)
    else:
        await (run_compare if args.compare else run_single)(args)


def load_options(parser: argparse.ArgumentParser) -> None:
    """The load's own options, shared with bench/replicas.py."""
    parser.add_argument("--commands", type=int, default=1000, help="counted commands per measurement")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=200, help="added to every Webex call")
    parser.add_argument("--api", choices=("xml", "rest"), default="xml", help="which simulated Webex API")
    parser.add_argument("--runs", type=int, default=1, help="repeat and report each figure's median")
    parser.add_argument("--ramp", type=float, default=0.5, help="seconds over which the C workers start")
    parser.add_argument("--warmup", type=int, help="commands sent first and not counted (default: C, the ramp)")
    parser.add_argument("--only", choices=("join", "schedule"), default="", help="every command a join, or a schedule")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    load_options(parser)
    parser.add_argument("--app", choices=APPS, default="webexbot", help="the app to measure (without --compare)")
    parser.add_argument(
        "--processes", type=int, default=1, help="webexbot's serving processes; with --compare, beside one process"
    )
    parser.add_argument(
        "--worker",
        action="append",
        choices=("thread", "process", "auto-cold"),
        default=[],
        help="webexbot with WEBEXBOT_WORKER set so, not as shipped (auto); auto-cold: as shipped, with the load once "
        "its worker has retired; with --compare (repeatable), each beside webexbot as shipped",
    )
    parser.add_argument("--compare", action="store_true", help="webexbot and both anchors at each of --levels")
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[10, 50, 100, 200])
    parser.add_argument("--floor", action="store_true", help="the generator alone, against a server that does nothing")
    parser.add_argument(
        "--workspaces", type=int, default=0, help="also spread the load over N workspaces installed through OAuth"
    )
    return parser.parse_args(argv)


def main() -> None:
    asyncio.run(run(parse_args()))


if __name__ == "__main__":
    main()
