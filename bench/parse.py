"""Speed of the meeting-text parser.

    python3 bench/parse.py [--rounds 20]

Prints the first-call time in a fresh process (import, language data, first parse), the time
warm_up() takes, and p50/p99 per parse after warm-up over every phrase of the test tables
(tests/test_meeting_text.py and tests/test_meeting_text_phrases.py).
Targets: p99 < 5 ms, first call < 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

FIRST_CALL = """
import time
started = time.perf_counter()
from datetime import datetime
from commands.meeting_text import parse_meeting_text
parse_meeting_text("Design review every Monday at 3pm New York time for 45 min", tz="Europe/Paris",
                   now=datetime.fromisoformat("2026-12-10T16:00:00+01:00"), locale="fr-FR")
first = time.perf_counter() - started
started = time.perf_counter()
parse_meeting_text("Standup friday 9:30", tz="Europe/Paris",
                   now=datetime.fromisoformat("2026-12-10T16:00:00+01:00"), locale="fr-FR")
print(f"{first * 1000:.1f} {(time.perf_counter() - started) * 1000:.2f}")
"""

WARM_UP = """
import time
from commands.meeting_text import warm_up
started = time.perf_counter()
warm_up()
print(f"{(time.perf_counter() - started) * 1000:.1f}")
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    first, second = fresh(FIRST_CALL).split()
    warm = fresh(WARM_UP).strip()

    from test_meeting_text import CASES, LOCALES, NOWS
    from test_meeting_text_phrases import TABLES

    from commands.meeting_text import parse_meeting_text, warm_up

    phrases = [(text, zone) for text, zone, *_ in CASES + TABLES]
    warm_up()
    samples: list[float] = []
    for _ in range(args.rounds):
        for text, zone in phrases:
            now = datetime.fromisoformat(NOWS[zone])
            started = time.perf_counter()
            parse_meeting_text(text, tz=zone, now=now, locale=LOCALES[zone])
            samples.append((time.perf_counter() - started) * 1000)
    print(f"first call in a fresh process (imports, language data, first parse): {first} ms   [target < 300 ms]")
    print(f"second call in that process: {second} ms")
    print(f"warm_up() at start-up (en-US, en-GB, fr-FR, es-ES, de-DE, it-IT, pt-BR, nl-NL): {warm} ms")
    print(
        f"per parse after warm-up, {len(samples)} parses of {len(phrases)} phrases: "
        f"p50 {statistics.median(samples):.3f} ms, p99 {percentile(samples, 0.99):.3f} ms, "
        f"max {max(samples):.3f} ms   [target p99 < 5 ms]"
    )


if __name__ == "__main__":
    main()
