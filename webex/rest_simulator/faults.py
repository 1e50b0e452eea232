"""Faults the simulated REST site can be told to produce, for tests of behaviour under failure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from webex.simulator.fault_queue import FaultQueue


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
class Faults(FaultQueue[Fault]):
    def fail_next(
        self, kind: FaultKind | str, *, count: int = 1, operation: str | None = None, retry_after: int = 1
    ) -> None:
        self._enqueue(Fault(FaultKind(kind), _normal(operation) if operation else None, retry_after), count)

    def take(self, operation: str) -> Fault | None:
        return super().take(_normal(operation))

    def _overloaded(self, operation: str) -> Fault:
        return Fault(FaultKind.HTTP_503, operation)
