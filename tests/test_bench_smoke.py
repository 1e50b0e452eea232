"""bench/load.py end to end on a few commands: real processes (the Webex simulator, the Slack stand-in,
`webexbot serve --http`), the figures printed, nothing failed. Figures themselves are not asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_load_benchmark_runs_end_to_end_without_errors() -> None:
    command = [sys.executable, "bench/load.py", "--commands", "20", "--concurrency", "5", "--latency-ms", "20"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout
    for figure in ("throughput:", "ack latency: p50", "completion: p50", "CPU per command:", "peak RSS:"):
        assert figure in printed, printed
    assert re.search(r"^errors: 0\b", printed, re.MULTILINE), printed
    assert re.search(r"^acks over 3 s: 0\b", printed, re.MULTILINE), printed
    assert re.search(r"throughput: [1-9]\d* commands/s", printed), printed


def test_compare_drives_webexbot_as_shipped_in_two_processes_on_its_thread_and_cold_and_both_sync_anchors() -> None:
    pytest.importorskip("waitress", reason="the anchors need the bench extra: pip install -e '.[bench]'")
    command = [sys.executable, "bench/load.py", "--compare", "--levels", "3", "--commands", "6", "--processes", "2"]
    command += ["--worker", "thread", "--worker", "auto-cold", "--latency-ms", "20"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("| 3 |")]
    apps = ["webexbot", "webexbot×2", "webexbot+thread", "webexbot+cold", "anchor-default", "anchor-tuned"]
    assert [row[2].strip() for row in rows[:6]] == apps, done.stdout
    assert all(row[9].strip() == "0" for row in rows[:6]), done.stdout  # the errors column
    ratios = [(row[2].strip(), row[3].strip()) for row in rows[6:]]  # each webexbot's to the tuned anchor
    assert [app for app, _ in ratios] == apps[:4] and all(r.endswith("×") for _, r in ratios), done.stdout


def test_the_load_spread_over_installed_workspaces_runs_beside_one_workspace() -> None:
    command = [sys.executable, "bench/load.py", "--workspaces", "3", "--commands", "12", "--concurrency", "3"]
    done = subprocess.run([*command, "--latency-ms", "20"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout
    assert "| figure | 1 workspace | 3 workspaces | target |" in printed, printed
    assert re.search(r"^\| errors \| 0 \| 0 \| 0 \|$", printed, re.MULTILINE), printed
    checked = re.search(r"^Web API calls with another workspace's token: 0 of (\d+) checked", printed, re.MULTILINE)
    assert checked and int(checked.group(1)) > 0, printed
