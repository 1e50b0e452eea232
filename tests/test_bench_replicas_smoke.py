"""bench/replicas.py end to end on a few commands: a throwaway PostgreSQL cluster, the stand-ins, one bot on
SQLite, one on PostgreSQL and three replicas on one database; three rows, nothing lost. Figures themselves
are not asserted. And the loss count itself, on samples and meeting counts made up here."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.loadgen import Sample
from bench.replicas import count_lost

ROOT = Path(__file__).resolve().parent.parent


def test_replicas_benchmark_prints_three_rows_and_loses_nothing() -> None:
    command = [sys.executable, "bench/replicas.py", "--commands", "30", "--concurrency", "5", "--latency-ms", "20"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    table = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| ") and "×" in line]
    assert [cells[0].strip() for cells in table] == ["sqlite×1", "postgresql×1", "postgresql×3"], done.stdout
    assert all(cells[6].strip() == "0" and cells[7].strip() == "0" for cells in table), done.stdout  # errors, lost
    assert all(float(cells[1]) > 0 for cells in table), done.stdout  # throughput
    assert "lost = 0" in done.stdout, done.stdout


def _replied(number: int, error: str = "") -> Sample:
    return Sample(0.0, 5.0, completion_ms=50.0, error=error, number=number, status=200)


def test_loss_counts_unanswered_acks_missing_meetings_and_duplicates() -> None:
    samples = [_replied(2), _replied(3), _replied(4)]  # even numbers schedule "Load test N", odd ones join
    assert count_lost(samples, Counter({"Load test 2": 1, "Load test 4": 1})) == 0
    assert count_lost(samples, Counter({"Load test 2": 1})) == 1  # a "Scheduled" reply, no meeting
    assert count_lost(samples, Counter({"Load test 2": 1, "Load test 4": 3})) == 2  # held three times
    unanswered = Sample(0.0, 5.0, number=5, status=200)
    assert count_lost([*samples, unanswered], Counter({"Load test 2": 1, "Load test 4": 1})) == 1
    refused = Sample(0.0, 5.0, number=6, status=503, error="HTTP 503")  # not acked: nothing was promised
    failed = _replied(8, error="Sorry, Webex isn't answering")  # acked, told it failed: an error, not a loss
    assert count_lost([*samples, refused, failed], Counter({"Load test 2": 1, "Load test 4": 1})) == 0
