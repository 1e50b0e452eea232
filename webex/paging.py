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
    def of(cls, body: Node, returned_items: int) -> MatchingRecords:
        records = body.child("matchingRecords")
        if records is None:
            return cls(total=returned_items, returned=returned_items, start_from=1)
        return cls(
            total=records.int("total", returned_items),
            returned=records.int("returned", returned_items),
            start_from=records.int("startFrom", 1),
        )


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
