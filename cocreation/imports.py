"""Reading a spreadsheet of inputs (CSV or XLSX) into checked rows, for a preview.

Nothing is written here: `read_rows` turns a file into rows, each with its errors, in
the words staff will read. Only a file without a single error can be imported, and
then all of it at once (`cocreation.services.inputs_import`), so a spreadsheet is never
half in. openpyxl reads .xlsx (Excel, LibreOffice, Google Sheets exports); the csv
module reads .csv in UTF-8 (with or without BOM), separated by commas or semicolons
(Norwegian Excel writes semicolons).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import override

from cocreation.models import InputChannel, MeetingPoint, ParticipantGroup, Process
from cocreation.services import InputData

MAX_ROWS = 2000
MAX_TEXT = 4000

# Column headings understood, in English and Norwegian, lower case.
HEADINGS = {
    "text": {"text", "input", "innspill", "tekst"},
    "meeting": {"meeting", "meeting point", "møtepunkt", "møte"},
    "group": {"group", "participant group", "gruppe", "deltakergruppe"},
    "channel": {"channel", "kanal"},
    "name": {"name", "navn"},
    "email": {"email", "e-mail", "e-post", "epost"},
}


class UnreadableFile(ValueError):
    """The file is not a spreadsheet this reads, or has no text column."""


@dataclass
class ImportRow:
    number: int  # as the spreadsheet numbers it: the heading is row 1
    text: str = ""
    meeting: MeetingPoint | None = None
    data: InputData | None = None
    errors: list[str] = field(default_factory=list)


def _choice_lookup(choices: type[ParticipantGroup] | type[InputChannel]) -> dict[str, str]:
    """Values and labels (both languages) of a choice set, lower case, to its value."""
    lookup = {}
    for choice in choices:
        lookup[choice.value.lower()] = choice.value
        for language in ("nb", "en"):
            with override(language):
                lookup[str(choice.label).lower()] = choice.value
    return lookup


def _cells_from_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(_("Save the CSV file as UTF-8 and upload it again.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _cells_from_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def read_cells(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        return _cells_from_xlsx(content)
    if name.lower().endswith(".csv"):
        return _cells_from_csv(content)
    raise UnreadableFile(_("Upload a .csv or .xlsx file."))


def _columns(heading: list[str]) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(heading):
        for key, names in HEADINGS.items():
            if title.strip().lower() in names and key not in columns:
                columns[key] = index
    if "text" not in columns:
        raise UnreadableFile(
            _("The first row must name the columns, and one of them must be “text” or “innspill”.")
        )
    return columns


class RowReader:
    """Checks rows of one process's spreadsheet; `default_meeting` fills an empty
    meeting cell."""

    def __init__(self, process: Process, default_meeting: MeetingPoint | None) -> None:
        self.default_meeting = default_meeting
        self.meetings: dict[str, MeetingPoint] = {}
        for meeting in process.meetings.all():
            self.meetings[meeting.code.lower()] = meeting
            self.meetings.setdefault(meeting.title.strip().lower(), meeting)
        self.groups = _choice_lookup(ParticipantGroup)
        self.channels = _choice_lookup(InputChannel)

    def read(self, number: int, cells: dict[str, str]) -> ImportRow:
        row = ImportRow(number=number, text=cells.get("text", "").strip())
        if not row.text:
            row.errors.append(_("The input text is empty."))
        elif len(row.text) > MAX_TEXT:
            row.errors.append(_("The input is longer than %(max)d characters.") % {"max": MAX_TEXT})
        row.meeting = self._meeting(cells.get("meeting", ""), row)
        group = self._choice(cells.get("group", ""), self.groups, row, _("participant group"))
        channel = self._choice(cells.get("channel", ""), self.channels, row, _("channel"))
        email = cells.get("email", "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("“%(value)s” is not an e-mail address.") % {"value": email})
        if not row.errors:
            row.data = InputData(
                text=row.text,
                channel=channel or InputChannel.SPREADSHEET,
                participant_group=group,
                giver_name=cells.get("name", "").strip()[:120],
                giver_email=email,
            )
        return row

    def _meeting(self, value: str, row: ImportRow) -> MeetingPoint | None:
        value = value.strip()
        if not value:
            if self.default_meeting is None:
                row.errors.append(_("No meeting point: fill in the column or choose one above."))
            return self.default_meeting
        meeting = self.meetings.get(value.lower())
        if meeting is None:
            row.errors.append(
                _("“%(value)s” is not a meeting point of this process.") % {"value": value}
            )
        return meeting

    def _choice(self, value: str, lookup: dict[str, str], row: ImportRow, what: str) -> str:
        value = value.strip()
        if not value:
            return ""
        if value.lower() not in lookup:
            row.errors.append(
                _("“%(value)s” is not a known %(what)s.") % {"value": value, "what": what}
            )
            return ""
        return lookup[value.lower()]


def read_rows(
    *, process: Process, name: str, content: bytes, default_meeting: MeetingPoint | None
) -> list[ImportRow]:
    """Every data row of the file, checked; raises `UnreadableFile` for the file itself."""
    cells = read_cells(name, content)
    if not cells:
        raise UnreadableFile(_("The file is empty."))
    columns = _columns(cells[0])
    reader = RowReader(process, default_meeting)
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        if not any(value.strip() for value in values):
            continue  # blank lines between blocks of notes are common
        by_key = {
            key: values[index] if index < len(values) else "" for key, index in columns.items()
        }
        rows.append(reader.read(number, by_key))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(
                _("The file has more than %(max)d rows; split it in parts.") % {"max": MAX_ROWS}
            )
    if not rows:
        raise UnreadableFile(_("The file has no inputs below its first row."))
    return rows
