"""The .ics file follows RFC 5545: escaped text, folded lines, CRLF, UTC times."""

from __future__ import annotations

import datetime

import pytest

from cocreation import ics, services
from tests.cocreation.helpers import add_meeting, organiser_and_process


def test_text_is_escaped():
    assert ics.escape_text("Rom 2; 3. etg, \\ inngang\nbak") == (
        "Rom 2\\; 3. etg\\, \\\\ inngang\\nbak"
    )


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "æøå" * 40
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


@pytest.mark.django_db
def test_a_meeting_becomes_one_event_in_utc_and_a_cancelled_one_says_so():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, title="Verksted, del 1", accessibility="Teleslynge")
    text = ics.meeting_calendar(meeting, url="https://example.no/m", host="example.no")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    starts = meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{starts}\r\n" in text
    assert "SUMMARY:Verksted\\, del 1\r\n" in text
    assert "Teleslynge" in text and "STATUS:CONFIRMED" in text
    services.meeting_cancel(meeting=meeting, by=organiser, notice="Avlyst.")
    meeting.refresh_from_db()
    cancelled = ics.meeting_calendar(meeting, url="https://example.no/m", host="example.no")
    assert "STATUS:CANCELLED" in cancelled
