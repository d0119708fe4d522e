"""Importing a spreadsheet of inputs: a preview, a report per row, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cocreation import imports, services
from cocreation.models import Input, InputChannel, ProcessEvent
from tests.cocreation.helpers import add_meeting, organiser_and_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, title="Verksted Sandvika")
    other = add_meeting(process, organiser, title="Gatemøte")
    client.force_login(organiser)
    return client, process, meeting, other


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("innspill.csv", text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[list[str]]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("innspill.xlsx", buffer.getvalue())


def test_a_good_csv_is_previewed_then_imported_in_full(setup):
    client, process, meeting, other = setup
    url = reverse("cocreation_admin:import", args=[process.pk])
    content = (
        "innspill;møtepunkt;gruppe;navn;e-post\n"
        "Flere benker;Gatemøte;Eldre (67 år og over);Ola;ola@example.no\n"
        "\n"
        "Bedre busstilbud;;resident;;\n"
    )
    preview = client.post(url, {"file": csv_file(content), "meeting": meeting.pk})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Flere benker" in html and "Bedre busstilbud" in html
    assert not Input.objects.exists()  # nothing before the confirmation

    response = client.post(url, {"confirm": "1"})
    assert response["Location"] == reverse("cocreation_admin:process", args=[process.pk])
    rows = list(
        Input.objects.order_by("pk").values_list(
            "text", "meeting", "participant_group", "channel", "giver_email"
        )
    )
    assert rows == [
        ("Flere benker", other.pk, "age_67_plus", InputChannel.SPREADSHEET, "ola@example.no"),
        ("Bedre busstilbud", meeting.pk, "resident", InputChannel.SPREADSHEET, ""),
    ]
    event = ProcessEvent.objects.get(kind=ProcessEvent.Kind.INPUTS_IMPORTED)
    assert event.data["count"] == 2
    # The preview is used up: confirming again imports nothing more.
    client.post(url, {"confirm": "1"})
    assert Input.objects.count() == 2


def test_bad_rows_are_reported_per_row_and_nothing_is_imported(setup):
    client, process, meeting, _other = setup
    url = reverse("cocreation_admin:import", args=[process.pk])
    # A good file checked first, then a bad one: confirming must not import the first.
    client.post(url, {"file": csv_file("text\nGammel fil\n"), "meeting": meeting.pk})
    upload = xlsx_file(
        [
            ["Text", "Meeting", "Group", "Email"],
            ["God idé", "Verksted Sandvika", "volunteer", ""],
            ["", "Verksted Sandvika", "", ""],
            ["Lys i parken", "Ukjent møte", "", ""],
            ["Sykkelvei", "", "astronauts", "ikke-en-adresse"],
        ]
    )
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "3 rows have errors" in html or "3 rader har feil" in html
    for expected in ("Ukjent møte", "astronauts", "ikke-en-adresse"):
        assert expected in html
    assert 'name="confirm"' not in html
    # Nothing was stored for a confirmation either.
    client.post(url, {"confirm": "1"})
    assert not Input.objects.exists()


def test_the_reader_names_each_problem(setup):
    _client, process, meeting, _other = setup
    rows = imports.read_rows(
        process=process,
        name="x.csv",
        content="text,meeting,channel\nA,,\nB,Gatemøte,telepathy\n".encode(),
        default_meeting=None,
    )
    assert [row.number for row in rows] == [2, 3]
    # In the interface language (Norwegian by default).
    assert rows[0].errors == ["Mangler møtepunkt: fyll ut kolonnen eller velg et møtepunkt over."]
    assert rows[1].errors == ["«telepathy» er ikke en kjent kanal."]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"text\nA"),
        ("a.csv", b"meeting\nX"),
        ("a.csv", b"text\n"),
        ("a.xlsx", b"not a zip"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(setup, name, content):
    _client, process, meeting, _other = setup
    with pytest.raises(imports.UnreadableFile):
        imports.read_rows(process=process, name=name, content=content, default_meeting=meeting)


def test_the_import_is_one_transaction(setup, monkeypatch):
    _client, process, meeting, _other = setup
    calls = {"n": 0}
    original = services._new_input

    def failing_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_new_input", failing_second)
    rows = [(meeting, services.InputData(text=t, channel="spreadsheet")) for t in "AB"]
    with pytest.raises(RuntimeError):
        services.inputs_import(process=process, by=process.events.first().actor, rows=rows)
    assert not Input.objects.exists()
