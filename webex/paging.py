"""listControl and matchingRecords: how list operations page."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .xml import Node, build, sub

# The service caps every non-deprecated list at 500 records per call (guide, listControl).
LIST_CEILING = 500
DEFAULT_PAGE = LIST_CEILING


@dataclass(frozen=True)
class MatchingRecords:
    total: int
    returned: int
    start_from: int

    @classmethod
    def of(cls, body: Node, returned_items: int, requested_start: int = 1) -> MatchingRecords:
        """What a list reply says about its page; a reply without matchingRecords is the whole list."""
        records = body.child("matchingRecords")
        if records is None:
            return cls(total=requested_start - 1 + returned_items, returned=returned_items, start_from=requested_start)
        return cls(
            total=records.int("total", returned_items),
            returned=records.int("returned", returned_items),
            start_from=records.int("startFrom", requested_start),
        )

    def next_start(self, requested_start: int, items: int) -> int | None:
        """The startFrom of the next page, or None when the list is complete.

        A next start that is not past `requested_start`, or a page with no items before the total is
        reached, means the paging does not advance; the caller stops with an error.
        """
        following = self.start_from + (self.returned if self.returned > 0 else items)
        return None if following > self.total else following


def list_control(start_from: int, maximum: int, method: str = "AND") -> etree._Element:
    return build(
        "listControl",
        startFrom=start_from,
        maximumNum=min(max(maximum, 1), LIST_CEILING),
        listMethod=method,
    )


def order(*fields: str) -> etree._Element:
    element = build("order")
    for name in fields:
        sub(element, "orderBy", name)
        sub(element, "orderAD", "ASC")
    return element
