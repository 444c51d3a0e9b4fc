"""Importing any report shape: what is stored, the preview lines, and the CLI's dry run."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.render.items import detail_blocks
from commands.import_preview import describe_import
from commands.imports import import_report
from commands.replies import ItemDetail
from storage.store import Store
from tests.harness import LONDON

CORPUS = Path(__file__).parent / "importing" / "corpus"
PUBLISHED = date(2025, 1, 31)
NOW = datetime(2025, 2, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def store(stores) -> Store:
    return stores.new()


def _import(store: Store, name: str, **kw):
    return import_report(
        store,
        (CORPUS / name).read_text(encoding="utf-8"),
        file_name=name,
        source_id="DIG25",
        title="Digital evidence",
        published=PUBLISHED,
        now=NOW,
        **kw,
    )


def test_kind_addressee_and_written_deadlines_are_stored(store):
    result = _import(store, "national_thematic.txt")
    assert [f.number for f in result.found] == [1, 2, 3, 4]
    with store.transaction():
        items = store.items.all()
    assert [(i.id, i.kind, i.due, i.addressee, i.force_delivers) for i in items] == [
        ("DIG25-01", "recommendation", date(2025, 3, 31), "chief constables", True),
        ("DIG25-02", "recommendation", date(2025, 9, 30), "the College of Policing", False),
        (
            "DIG25-03",
            "recommendation",
            date(2025, 6, 30),
            "the Home Office, working with the NPCC lead for digital forensics",
            False,
        ),
        ("DIG25-04", "recommendation", date(2025, 12, 31), "all forces", True),
    ]


def test_areas_for_improvement_are_stored_as_afis_without_a_due_date(store):
    _import(store, "peel_cause_of_concern.txt")
    with store.transaction():
        items = store.items.all()
    assert [(i.kind, i.due) for i in items] == [
        ("recommendation", date(2025, 4, 30)),
        ("recommendation", PUBLISHED),
        ("recommendation", date(2025, 4, 30)),
        ("afi", None),
    ]


def test_reimport_keeps_status_and_changes_nothing(store):
    _import(store, "fire_service.txt")
    with store.transaction():
        before = store.items.all()
    again = _import(store, "fire_service.txt")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    with store.transaction():
        assert store.items.all() == before


def test_the_preview_counts_lists_items_and_says_what_was_passed_over(store):
    result = _import(store, "national_thematic.txt", dry_run=True)
    lines = describe_import(result)
    assert lines[:3] == [
        "Would store 4 items from national_thematic.txt as DIG25",
        "  recommendation: 4",
        "  by 31 March 2025: 1 · by 30 September 2025: 1 · by the end of June 2025: 1 · "
        "not later than 31 December 2025: 1",
    ]
    assert " ".join(lines[4].split()) == (
        "line 9 DIG25-02 recommendation by 30 September 2025 2025-09-30 the College of Policing "
        "(not the force's to deliver) the College of Policing should publish guidance on "
        "examining phones o…"
    )
    assert lines[-2:] == [
        "  line 15: 'By 31 March 2025, chief constables should make sure that every device seized "
        "is …' under 'An inspection of how police forces handle digital evidence' — not imported: "
        "repeats item 1 (line 7)",
        "  line 19: 'By 30 September 2025, the College of Policing should publish guidance on …' "
        "under 'An inspection of how police forces handle digital evidence' — not imported: "
        "repeats item 2 (line 9)",
    ]
    with store.transaction():
        assert store.items.all() == [] and store.sources.all() == []


def test_the_preview_shows_what_each_bullet_of_one_lead_in_asks(store):
    lines = describe_import(_import(store, "peel_cause_of_concern.txt", dry_run=True))
    assert lines[4].endswith(
        "immediately  2025-01-31  the constabulary  the constabulary immediately stops closing "
        "domestic abuse calls witho…"
    )


def test_the_preview_of_a_report_without_items_says_its_source_is_recorded(store):
    lines = describe_import(_import(store, "status_log_noise.txt"))
    assert lines[:2] == [
        "Stored 0 items from status_log_noise.txt as DIG25",
        "  no items found; source DIG25 recorded all the same",
    ]
    assert lines[2] == "Passed over 2 paragraph(s) that read like recommendations:"
    assert lines[3].startswith("  line 3: '[on]8th December 2016 [status]Completed. The force")
    assert lines[3].endswith("— not imported: quoted status log")
    assert lines[-1] == "0 new, 0 updated, 0 unchanged"
    with store.transaction():
        assert store.sources.get("DIG25") is not None


def test_urgently_says_no_deadline_in_the_preview_and_the_full_view(store):
    result = _import(store, "urgent_asap.txt")
    lines = describe_import(result)
    assert "no deadline set: 'urgently'" in lines[3]
    assert "no deadline set: 'as soon as possible'" in lines[4]
    fields = _fields(result.items[0])
    assert fields["Due"] == "no deadline set: 'urgently'"
    assert fields["Addressed to"] == "the force"


def test_the_full_view_says_a_national_recommendation_is_not_the_forces(store):
    result = _import(store, "national_thematic.txt")
    fields = _fields(result.items[1])
    assert fields["Addressed to"] == "the College of Policing · not the force's to deliver"
    assert "Addressed to" not in _fields(result.items[1].__class__("X-01", "X", 1))


def _fields(item) -> dict[str, str]:
    blocks = detail_blocks(ItemDetail(item, None, "green", ()), with_buttons=False)
    pairs = [f["text"].split("\n", 1) for b in blocks for f in b.get("fields", [])]
    return {label.strip("*"): value for label, value in pairs}


def test_the_cli_dry_run_prints_the_preview_and_stores_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVBOT_DB", str(tmp_path / "govbot.json"))
    monkeypatch.chdir(tmp_path)
    code = main(
        [
            "import-report",
            str(CORPUS / "fire_service.txt"),
            "--source",
            "WFRS25",
            "--title",
            "Westmoor FRS",
            "--published",
            "2025-01-31",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "Would store 4 items from fire_service.txt as WFRS25"
    assert "  afi: 3 · recommendation: 1" in out.splitlines()
    assert (
        not (tmp_path / "govbot.json").exists()
        or "WFRS25-01" not in (tmp_path / "govbot.json").read_text()
    )


def test_the_cli_names_a_file_it_cannot_read(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVBOT_DB", str(tmp_path / "govbot.json"))
    missing = tmp_path / "missing.txt"
    code = main(
        [
            "import-report",
            str(missing),
            "--source",
            "X1",
            "--title",
            "t",
            "--published",
            "2025-01-31",
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == f"govbot: {missing}: no such file"
