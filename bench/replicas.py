"""Replicas: the load benchmark (bench/load.py's commands, generator and stand-ins) against one `webexbot serve
--http` on SQLite, one on PostgreSQL and several on one PostgreSQL database, side by side in one run.

    python3 bench/replicas.py [--commands 1000] [--concurrency 100] [--latency-ms 200] [--api xml|rest]
                              [--replicas 3] [--runs N]

A throwaway PostgreSQL cluster (tests/pg.py's) is started for the run, each measurement gets a fresh database
(or SQLite file) and fresh bot processes; the generator's workers are spread round robin over the replicas,
each keeping to one. After each measurement the store is checked: a command is lost when it was acked and got
no reply, when a `schedule` that replied "Scheduled" left no meeting, or when the store holds one twice.
Prints one table (with --runs N each figure's median, and the most lost in any run).
Target (issue 15), on this 2-core machine: lost 0 everywhere, and the replicas' ack p99 no worse than one
SQLite process's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apps import cpu_ms, start_webexbot, stat_fields, ticks_ms  # noqa: E402
from bench.load import commands_for, failure, load_options  # noqa: E402
from bench.loadgen import Load, LoadResult, Sample  # noqa: E402
from bench.report import Figures, median  # noqa: E402
from bench.sites import Sites, bot_database, start_sites  # noqa: E402
from storage import Store  # noqa: E402
from tests.pg import Cluster  # noqa: E402
from tests.processes import Process, children, peak_rss_mb  # noqa: E402

SETTLE_S = 30  # how long the store may take to finish what was acked, after the last reply
# A throwaway cluster starts with fsync off; like SQLite's WAL with synchronous=NORMAL instead: writes reach
# the disk, a commit does not wait for them.
DURABILITY = ("alter system set fsync = on", "alter system set synchronous_commit = off", "select pg_reload_conf()")


@dataclass(frozen=True)
class Setup:
    engine: str  # "sqlite" or "postgresql"
    replicas: int

    @property
    def name(self) -> str:
        return f"{self.engine}×{self.replicas}"


@dataclass
class Bot:
    """The bot processes of one measurement, on one database."""

    database: str  # WEBEXBOT_DB
    processes: list[Process]

    @property
    def urls(self) -> list[str]:
        return [f"{process.url}/slack/events" for process in self.processes]

    def cpu_ms(self) -> float:
        return sum(cpu_ms(process.pid) for process in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


@dataclass
class Outcome:
    figures: Figures
    lost: int
    postgres_cpu_ms: float | None  # the database server's CPU per command (None on SQLite)


@contextmanager
def running_bot(setup: Setup, sites: Sites, cluster: Cluster, run: int) -> Iterator[Bot]:
    target = cluster.url(cluster.new_database()) if setup.engine == "postgresql" else sites.workdir / f"bot-{run}.db"
    bot = Bot(bot_database(sites, target), [])
    try:
        for _ in range(setup.replicas):
            bot.processes.append(start_webexbot(sites, bot.database))
        yield bot
    finally:
        bot.stop()


async def measure(setup: Setup, sites: Sites, cluster: Cluster, args: argparse.Namespace, run: int) -> Outcome:
    warmup = args.concurrency if args.warmup is None else args.warmup
    sent = args.commands + warmup + 1
    with running_bot(setup, sites, cluster, run) as bot:
        load = Load(
            bot.urls, commands_for(sites), args.commands, args.concurrency, warmup, args.ramp,
            replies_url=sites.slack.url, warm_path="/healthz", ok=failure,
        )
        before, postgres_before = bot.cpu_ms(), postgres_cpu_ms(cluster)
        result = await load.run()
        bot_cpu = (bot.cpu_ms() - before) / sent
        postgres_cpu = (postgres_cpu_ms(cluster) - postgres_before) / sent if setup.engine == "postgresql" else None
        figures = Figures.of(result, bot_cpu, max(peak_rss_mb(process.pid) for process in bot.processes))
        return Outcome(figures, await lost(result, bot.database), postgres_cpu)


async def lost(result: LoadResult, database: str) -> int:
    """Acked commands with no reply, "Scheduled" replies whose meeting the store lacks, and meetings it holds
    twice; read once the store has finished every acknowledged request (or SETTLE_S has passed)."""
    store = Store(database)
    try:
        for _ in range(SETTLE_S * 10):
            if not store.unfinished_intents():
                break
            await asyncio.sleep(0.1)
        rows = store.engine.rows("select topic, count(*) as n from meetings group by topic", [])
    finally:
        store.close()
    return count_lost(result.samples + result.uncounted, Counter({row["topic"]: int(row["n"]) for row in rows}))


def count_lost(samples: list[Sample], meetings: Counter[str]) -> int:
    acked = [sample for sample in samples if sample.status == 200]
    unanswered = sum(sample.completion_ms is None for sample in acked)
    scheduled = [sample for sample in acked if sample.number % 2 == 0 and not sample.error]  # even: `schedule`
    missing = sum(meetings[f"Load test {sample.number}"] == 0 for sample in scheduled)
    twice = sum(n - 1 for topic, n in meetings.items() if topic.startswith("Load test ") and n > 1)
    return unanswered + missing + twice


def postgres_cpu_ms(cluster: Cluster) -> float:
    """CPU the cluster has used so far: the postmaster, the children it has reaped, and those still running."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    total = sum(stat_fields(postmaster)[11:15])
    for child in children(postmaster):
        with suppress(FileNotFoundError, ProcessLookupError):
            total += sum(stat_fields(child)[11:13])
    return ticks_ms(total)


HEADER = "| setup | cmd/s | ack p50 | ack p99 | done p50 | done p99 | errors | lost | bot CPU/cmd | db CPU/cmd |"


def table(outcomes: dict[Setup, list[Outcome]]) -> str:
    lines = [HEADER, "|---" * (HEADER.count("|") - 1) + "|"]
    for setup, runs in outcomes.items():
        f = median([outcome.figures for outcome in runs])
        spent = [outcome.postgres_cpu_ms for outcome in runs if outcome.postgres_cpu_ms is not None]
        database_cpu = f"{sorted(spent)[len(spent) // 2]:.2f}" if spent else "—"
        lines.append(
            f"| {setup.name} | {f.throughput:.0f} | {f.ack_p50:.1f} | {f.ack_p99:.1f} | {f.completion_p50:.0f} | "
            f"{f.completion_p99:.0f} | {f.errors:g} | {max(outcome.lost for outcome in runs)} | "
            f"{f.cpu_ms_per_command:.2f} | {database_cpu} |"
        )
    errors = [f"{setup.name}: {run.figures.first_error}" for setup, runs in outcomes.items() for run in runs[:1]]
    return "\n".join(lines + [f"first error of {line}" for line in errors if not line.endswith(": ")])


def verdict(outcomes: dict[Setup, list[Outcome]]) -> str:
    lost = sum(max(outcome.lost for outcome in runs) for runs in outcomes.values())
    p99 = {setup: median([outcome.figures for outcome in runs]).ack_p99 for setup, runs in outcomes.items()}
    sqlite, *postgres = p99
    worst = max(postgres, key=lambda setup: p99[setup])
    within = p99[worst] <= p99[sqlite]
    return (
        f"lost = {lost} (target 0); worst PostgreSQL ack p99 {p99[worst]:.1f} ms ({worst.name}) "
        f"{'within' if within else 'over'} {sqlite.name}'s {p99[sqlite]:.1f} ms"
    )


async def run(args: argparse.Namespace) -> None:
    setups = [Setup("sqlite", 1), Setup("postgresql", 1), Setup("postgresql", args.replicas)]
    outcomes: dict[Setup, list[Outcome]] = {setup: [] for setup in setups}
    measurements = itertools.count(1)
    cluster = Cluster()
    try:
        make_durable(cluster)
        with tempfile.TemporaryDirectory(prefix="webexbot-replicas-") as workdir:
            sites = await start_sites(args.api, args.latency_ms, Path(workdir))
            try:
                for _ in range(args.runs):
                    for setup in setups:  # interleaved, so the simulator's growing state weighs on each alike
                        outcome = await measure(setup, sites, cluster, args, next(measurements))
                        outcomes[setup].append(outcome)
                        f = outcome.figures
                        print(f"  {setup.name}: {f.throughput:.0f}/s, ack p99 {f.ack_p99:.1f} ms, lost {outcome.lost}")
            finally:
                sites.stop()
    finally:
        cluster.remove()
    print(
        f"{args.commands} commands per row (join and schedule) on the {args.api.upper()} API, concurrency "
        f"{args.concurrency}, Webex latency {args.latency_ms} ms"
        + (f", median of {args.runs} runs" if args.runs > 1 else "") + "; times in ms"
    )
    print(table(outcomes))
    print(verdict(outcomes))


def make_durable(cluster: Cluster) -> None:
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        for statement in DURABILITY:
            admin.execute(statement)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    load_options(parser)
    parser.add_argument("--replicas", type=int, default=3, help="bot processes in the last row")
    return parser.parse_args(argv)


def main() -> None:
    asyncio.run(run(parse_args()))


if __name__ == "__main__":
    main()
