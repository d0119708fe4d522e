"""An iCalendar (RFC 5545) file for one meeting point.

One VEVENT needs a dozen lines; writing them here, with the format's escaping and
line folding, is shorter and clearer than a dependency (icalendar) used for nothing
else. Tested against the RFC's rules in tests/cocreation/test_ics.py.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from cocreation.models import MeetingPoint


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts against their 75 octets.
        limit = 75 if not parts else 74
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_calendar(meeting: MeetingPoint, *, url: str, host: str) -> str:
    """The .ics text for `meeting`; `url` is its public page, `host` names the UID."""
    description = meeting.description
    if meeting.accessibility:
        description = f"{description}\n\n{meeting.accessibility}".strip()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mulighetsportalen//Co-creation//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.code}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"LOCATION:{escape_text(meeting.place)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
