"""Faults the simulated site can be told to produce, for tests of behaviour under failure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .fault_queue import FaultQueue


class FaultKind(StrEnum):
    HTTP_500 = "http_500"
    HTTP_503 = "http_503"
    GARBAGE = "garbage"  # a reply that is not well-formed XML
    HANG = "hang"  # no reply until the client gives up
    EXCEPTION = "exception"  # a FAILURE reply with a chosen exceptionID
    RAW = "raw"  # exactly these bytes, with status 200
    # The operation IS carried out, then the reply is lost or spoiled: Webex acted, the caller cannot tell.
    APPLY_THEN_500 = "apply_then_500"
    APPLY_THEN_GARBAGE = "apply_then_garbage"
    APPLY_THEN_DROP = "apply_then_drop"  # the connection is closed without a reply
    APPLY_THEN_RESET = "apply_then_reset"  # the connection is reset (TCP RST) without a reply
    APPLY_THEN_HANG = "apply_then_hang"  # no reply until the client gives up

    @property
    def applies_first(self) -> bool:
        return self.value.startswith("apply_then_")


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    operation: str | None = None  # lower-case operation name; None matches any
    exception_id: str = "999999"
    reason: str = "Simulated failure"
    body: bytes = b""


@dataclass
class Faults(FaultQueue[Fault]):
    """`latency_ms` delays every XML API call before it is carried out; `reply_latency_ms` delays the
    reply after it is carried out (so a caller that gives up meanwhile leaves the change made)."""

    reply_latency_ms: int = 0

    def fail_next(
        self,
        kind: FaultKind | str,
        *,
        count: int = 1,
        operation: str | None = None,
        exception_id: str = "999999",
        reason: str = "Simulated failure",
        body: bytes = b"",
    ) -> None:
        fault = Fault(FaultKind(kind), operation.lower() if operation else None, exception_id, reason, body)
        self._enqueue(fault, count)

    def _overloaded(self, operation: str) -> Fault:
        return Fault(FaultKind.HTTP_503, operation)

    def clear(self) -> None:
        super().clear()
        self.reply_latency_ms = 0
