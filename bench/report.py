"""Figures from a load run, their medians over repeated runs, and the tables load.py prints."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, fields
from typing import Any

from bench.loadgen import LoadResult

SLACK_ACK_LIMIT_MS = 3000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


@dataclass
class Figures:
    commands: int
    throughput: float  # commands per second while all C are outstanding (steady_throughput)
    ack_p50: float
    ack_p99: float
    ack_max: float
    completion_p50: float
    completion_p99: float
    errors: int
    acks_over_3s: int
    cpu_ms_per_command: float
    peak_rss_mb: float
    unaccepted: int = 0  # of the C connections, how many the app had not taken when the clock started
    reconnects: int = 0  # connections the app closed (or lost) mid-run, reopened by the generator
    generator_cpu_ms: float = 0.0  # the load generator's own CPU per command
    whole_run_throughput: float = 0.0  # counted commands per second, first counted send to last completion
    first_error: str = ""

    @classmethod
    def of(cls, result: LoadResult, cpu_ms_per_command: float, peak_rss_mb: float) -> Figures:
        acks = [s.ack_ms for s in result.samples]
        completions = [s.completion_ms for s in result.samples if s.completion_ms is not None]
        errors = [s.error for s in result.samples if s.error]
        return cls(
            commands=len(result.samples),
            throughput=steady_throughput(result),
            ack_p50=percentile(acks, 0.5),
            ack_p99=percentile(acks, 0.99),
            ack_max=max(acks),
            completion_p50=percentile(completions, 0.5),
            completion_p99=percentile(completions, 0.99),
            errors=len(errors),
            acks_over_3s=sum(a > SLACK_ACK_LIMIT_MS for a in acks),
            cpu_ms_per_command=cpu_ms_per_command,
            peak_rss_mb=peak_rss_mb,
            unaccepted=result.unaccepted,
            reconnects=result.reconnects,
            first_error=errors[0][:120] if errors else "",
            whole_run_throughput=whole_run_throughput(result),
        )


def steady_throughput(result: LoadResult) -> float:
    """Commands completed per second between the end of the ramp (all C workers started) and the start of the
    drain (the first worker finds nothing left to send): at concurrency C, not at the fewer the ramp and the
    drain keep outstanding, which would weigh more on a faster app, whose run is shorter. A run too short to
    have such a window counts from first send to last completion."""
    start, end = result.all_busy, result.draining
    if end - start < 0.2:
        return whole_run_throughput(result)
    done = sum(start <= s.done <= end for s in result.samples + result.uncounted)
    return done / (end - start)


def whole_run_throughput(result: LoadResult) -> float:
    """Counted commands per second, from the first counted send to the last counted completion."""
    return len(result.samples) / max(result.finished - result.started, 1e-9)


def median(runs: list[Figures]) -> Figures:
    """Each figure's median over the runs (so the result need not be any one run)."""
    if len(runs) == 1:
        return runs[0]
    values: dict[str, Any] = {}
    for item in fields(Figures):
        column = [getattr(run, item.name) for run in runs]
        values[item.name] = next((c for c in column if c), "") if item.type == "str" else statistics.median(column)
    return Figures(**values)


def single(figures: Figures, title: str) -> str:
    f = figures
    lines = [
        title,
        f"throughput: {f.throughput:.0f} commands/s (whole run, ramp and drain included: {f.whole_run_throughput:.0f})",
        f"ack latency: p50 {f.ack_p50:.1f} ms, p99 {f.ack_p99:.1f} ms, max {f.ack_max:.1f} ms   [target p99 < 50 ms]",
        f"completion: p50 {f.completion_p50:.0f} ms, p99 {f.completion_p99:.0f} ms   [target p99 < 600 ms]",
        f"errors: {f.errors:g}" + (f" (first: {f.first_error})" if f.first_error else "") + "   [target 0]",
        f"acks over 3 s: {f.acks_over_3s:g}",
        f"CPU per command: {f.cpu_ms_per_command:.2f} ms   [target < 2.5 ms]",
        f"peak RSS: {f.peak_rss_mb:.0f} MB   [target < 150 MB]",
        f"load generator CPU per command: {f.generator_cpu_ms:.2f} ms",
    ]
    if f.unaccepted or f.reconnects:
        lines.append(f"connections not accepted when the clock started: {f.unaccepted:g}; reopened: {f.reconnects:g}")
    return "\n".join(lines)


def side_by_side(columns: dict[str, Figures]) -> str:
    """The figures of each column (the same load on one workspace and on many), one row per figure."""
    rows = [
        ("throughput (commands/s)", "{:.0f}", "throughput", ""),
        ("ack p50 (ms)", "{:.1f}", "ack_p50", ""),
        ("ack p99 (ms)", "{:.1f}", "ack_p99", "< 50"),
        ("ack max (ms)", "{:.1f}", "ack_max", ""),
        ("completion p50 (ms)", "{:.0f}", "completion_p50", ""),
        ("completion p99 (ms)", "{:.0f}", "completion_p99", "< 600"),
        ("errors", "{:g}", "errors", "0"),
        ("acks over 3 s", "{:g}", "acks_over_3s", "0"),
        ("CPU per command (ms)", "{:.2f}", "cpu_ms_per_command", "< 2.5"),
        ("peak RSS (MB)", "{:.0f}", "peak_rss_mb", "< 150"),
    ]
    lines = ["| figure | " + " | ".join(columns) + " | target |", "|---" * (len(columns) + 2) + "|"]
    for label, form, name, target in rows:
        cells = " | ".join(form.format(getattr(f, name)) for f in columns.values())
        lines.append(f"| {label} | {cells} | {target} |")
    lines += [f"{title}: first error: {f.first_error}" for title, f in columns.items() if f.first_error]
    return "\n".join(lines)


def floor_line(figures: Figures, concurrency: int) -> str:
    f = figures
    return (
        f"generator floor (a server that answers at once, concurrency {concurrency}): "
        f"ack p50 {f.ack_p50:.1f} ms, p99 {f.ack_p99:.1f} ms, max {f.ack_max:.1f} ms, {f.throughput:.0f} requests/s"
    )


HEADER = "| C | app | cmd/s | ack p50 | ack p99 | ack max | done p50 | done p99 | errors | acks > 3 s | CPU/cmd | RSS |"


def compare_table(cells: dict[tuple[int, str], Figures], apps: tuple[str, ...]) -> str:
    """One row per concurrency and app, then the ratios of webexbot to the tuned anchor."""
    lines = [HEADER, "|---" * (HEADER.count("|") - 1) + "|"]
    for level in sorted({c for c, _ in cells}):
        for app in apps:
            f = cells[(level, app)]
            lines.append(
                f"| {level} | {app} | {f.throughput:.0f} | {f.ack_p50:.1f} | {f.ack_p99:.1f} | {f.ack_max:.0f} | "
                f"{f.completion_p50:.0f} | {f.completion_p99:.0f} | {f.errors:g} | {f.acks_over_3s:g} | "
                f"{f.cpu_ms_per_command:.2f} | {f.peak_rss_mb:.0f} |"
            )
    lines += [
        f"{app} at C={level}: {f.unaccepted:g} of its {level} connections not accepted when the clock started"
        + (f"; first error: {f.first_error}" if f.first_error else "")
        for (level, app), f in sorted(cells.items())
        if f.unaccepted or f.first_error
    ]
    bots = [app for app in apps if app.startswith("webexbot")]
    if bots and "anchor-tuned" in apps:
        lines += [
            "",
            "| C | app | app/tuned throughput | (whole run) | app/tuned ack p99 |",
            "|---|---|---|---|---|",
        ]
        for level in sorted({c for c, _ in cells}):
            tuned = cells[(level, "anchor-tuned")]
            for app in bots:
                bot = cells[(level, app)]
                whole = bot.whole_run_throughput / tuned.whole_run_throughput
                ratios = f"{bot.throughput / tuned.throughput:.2f}× | {whole:.2f}× | {bot.ack_p99 / tuned.ack_p99:.2f}×"
                lines.append(f"| {level} | {app} | {ratios} |")
    return "\n".join(lines)
