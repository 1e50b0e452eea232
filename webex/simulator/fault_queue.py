"""The queue of faults a simulated site is told to produce, shared by the XML and REST simulators: each
queued fault answers the next call of its operation (or of any, when it names none), and `fail_rate` answers
a share of the others 503."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar


class QueuedFault(Protocol):
    @property
    def operation(self) -> str | None: ...  # None matches any


F = TypeVar("F", bound=QueuedFault)


@dataclass
class FaultQueue(Generic[F]):
    latency_ms: int = 0
    fail_rate: float = 0.0  # fraction of API calls answered 503
    queue: deque[F] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _random: random.Random = field(default_factory=lambda: random.Random(11), repr=False)

    def _enqueue(self, fault: F, count: int) -> None:
        with self._lock:
            self.queue.extend([fault] * count)

    def take(self, operation: str) -> F | None:
        """The next queued fault for this operation, or a random 503 at `fail_rate`."""
        with self._lock:
            for fault in self.queue:
                if fault.operation in (None, operation):
                    self.queue.remove(fault)
                    return fault
            if self.fail_rate and self._random.random() < self.fail_rate:
                return self._overloaded(operation)
        return None

    def _overloaded(self, operation: str) -> F:
        raise NotImplementedError

    def clear(self) -> None:
        with self._lock:
            self.queue.clear()
            self.latency_ms = 0
            self.fail_rate = 0.0
