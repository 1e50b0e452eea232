"""The one error the store raises for a database it cannot reach."""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The database did not answer (down, restarting, unreachable or too slow): nothing was done."""

    def __init__(self, reason: str = "the database is unreachable") -> None:
        super().__init__(reason)
        self.reason = reason
