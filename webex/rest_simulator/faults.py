"""Faults the simulated REST site can be told to produce, for tests of behaviour under failure."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    HTTP_401 = "http_401"  # the token is refused, as if it had expired
    HTTP_423 = "http_423"  # locked, with Retry-After
    HTTP_429 = "http_429"  # rate limited, with Retry-After
    HTTP_500 = "http_500"
    HTTP_502 = "http_502"
    HTTP_503 = "http_503"
    HANG = "hang"  # no reply until the client gives up
    GARBAGE = "garbage"  # status 200 with a body that is not JSON
    DROP = "drop"  # the connection is closed without a reply
    # The request IS carried out (the meeting is created, deleted...), then the reply fails:
    APPLIED_500 = "applied_500"
    APPLIED_GARBAGE = "applied_garbage"
    APPLIED_DROP = "applied_drop"
    APPLIED_HANG = "applied_hang"

    @property
    def applies_first(self) -> bool:
        return self.value.startswith("applied_")


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    operation: str | None = None  # like "POST /meetings" or "DELETE /meetings/{id}"; None matches any
    retry_after: int = 1  # seconds, for 423 and 429


def _normal(operation: str) -> str:
    return " ".join(operation.split()).lower()


@dataclass
class Faults:
    latency_ms: int = 0
    fail_rate: float = 0.0  # fraction of API calls answered 503
    queue: deque[Fault] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _random: random.Random = field(default_factory=lambda: random.Random(11), repr=False)

    def fail_next(
        self, kind: FaultKind | str, *, count: int = 1, operation: str | None = None, retry_after: int = 1
    ) -> None:
        fault = Fault(FaultKind(kind), _normal(operation) if operation else None, retry_after)
        with self._lock:
            self.queue.extend([fault] * count)

    def take(self, operation: str) -> Fault | None:
        """The next queued fault for this operation, or a random 503 at `fail_rate`."""
        wanted = _normal(operation)
        with self._lock:
            for fault in self.queue:
                if fault.operation in (None, wanted):
                    self.queue.remove(fault)
                    return fault
            if self.fail_rate and self._random.random() < self.fail_rate:
                return Fault(FaultKind.HTTP_503, wanted)
        return None

    def clear(self) -> None:
        with self._lock:
            self.queue.clear()
            self.latency_ms = 0
            self.fail_rate = 0.0
