"""A register's columns: which header means which field, matched the loose way offices write them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# field → (the header govbot writes, then the other headers offices use for it)
COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": (
        "Ref",
        "Reference",
        "ID",
        "Rec no",
        "Rec number",
        "Recommendation no",
        "Recommendation number",
        "Recommendation ref",
        "Ref no",
        "No",
        "Number",
        "Item",
    ),
    "source_id": ("Source id", "Report id", "Report ref", "Source ref"),
    "report": (
        "Report",
        "Source",
        "Inspection",
        "Report title",
        "Report name",
        "Title",
        "Inspection report",
    ),
    "published": (
        "Published",
        "Report date",
        "Date published",
        "Publication date",
        "Published date",
        "Date of report",
    ),
    "publisher": ("Publisher", "Inspectorate", "Issued by"),
    "kind": ("Kind", "Type", "Category", "Item type"),
    "area": ("Area", "Section", "Theme", "Report section", "Heading", "Topic"),
    "text": (
        "Recommendation",
        "Recommendation text",
        "Text",
        "Description",
        "Details",
        "Recommendation description",
    ),
    "timescale": ("Timescale", "Timeframe", "Timeline"),
    "due": ("Due", "Due date", "Deadline", "Target date", "Target"),
    "original_due": (
        "Original due",
        "Original due date",
        "Original deadline",
        "Original target date",
    ),
    "lead": (
        "Lead",
        "Owner",
        "Responsible officer",
        "Lead officer",
        "Action owner",
        "Responsible",
        "Assigned to",
    ),
    "lead_role": ("Lead role", "Owner role", "Role"),
    "districts": ("Districts", "District", "Districts affected", "Locality", "Localities"),
    "addressee": ("Addressee", "Addressed to", "Recommendation for", "For"),
    "force_delivers": ("Force delivers", "Force to deliver", "Force action"),
    "status": ("Status", "Progress", "Current status"),
    "rag": ("RAG", "RAG status", "RAG rating", "Rating"),
    "update": (
        "Latest update",
        "Update",
        "Comments",
        "Comment",
        "Notes",
        "Progress update",
        "Latest position",
    ),
    "evidence": ("Evidence on record", "Evidence"),
    "last_changed": ("Last changed",),
}
REQUIRED = ("text",)
HEADER_SEARCH_ROWS = 10  # a register often has a title row or two above its header


def normalised(header: str) -> str:
    """A header without case, spaces or punctuation: "Rec. No" → "recno"."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


_BY_NAME = {normalised(name): field for field, names in COLUMNS.items() for name in names}


@dataclass(frozen=True)
class ColumnMap:
    """Where each known field is in the sheet, and the headers that were not understood."""

    header_row: int  # 0-based
    columns: dict[str, int]
    unknown: tuple[str, ...]
    repeated: tuple[str, ...]  # a second column for a field already found

    def names(self) -> list[str]:
        return list(self.columns)


def field_of(header: str) -> str | None:
    return _BY_NAME.get(normalised(header))


def map_columns(header: Sequence[object], header_row: int = 0) -> ColumnMap:
    """Each header cell to its field; the first column of a field wins."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(header):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        field = field_of(text)
        if field is None:
            unknown.append(text)
        elif field in columns:
            repeated.append(text)
        else:
            columns[field] = index
    return ColumnMap(header_row, columns, tuple(unknown), tuple(repeated))


def find_header(rows: Sequence[Sequence[object]]) -> ColumnMap | None:
    """The first of the top rows that names every required column, mapped; None if none does."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapped = map_columns(row, number)
        if all(f in mapped.columns for f in REQUIRED):
            return mapped
    return None


def expected_headers() -> str:
    """The headers accepted for the required columns, for an error message."""
    return "; ".join(f"{f}: " + " / ".join(f"“{n}”" for n in COLUMNS[f]) for f in REQUIRED)
