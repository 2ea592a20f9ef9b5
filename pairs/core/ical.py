"""iCalendar (RFC 5545) text helpers shared by the calendar feeds (a peer worker's meetings, a
platform's public agenda)."""

from __future__ import annotations

from datetime import UTC, datetime


def ical_text(value: str) -> str:
    """A TEXT value escaped: backslashes, semicolons, commas and line ends."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def ical_fold(line: str) -> str:
    """Lines of at most 75 octets, continued after CRLF and a space, never inside a character."""
    if len(line.encode()) <= 75:
        return line
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with the space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def ical_time(moment: datetime) -> str:
    """A moment in UTC ("20261123T170000Z")."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
