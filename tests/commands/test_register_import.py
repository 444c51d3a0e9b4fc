"""`govbot import-register`: an office's spreadsheet register in, and `/recs export` back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.spreadsheets import read_sheets
from commands.context import Context, Settings
from commands.errors import BadInput
from commands.export import export_register
from commands.item_edits import ItemFields, add_item
from commands.recs_parse import parse_recs
from commands.register_import import import_register
from commands.updates import UpdateRequest, apply_update, assign_leads, move_due_date
from commands.verify import verify_store
from storage.models import Item
from storage.store import Store
from tests.conftest import import_cse13
from tests.harness import ADMIN, LONDON

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
LEAD = "ULEAD001"


@pytest.fixture
def cse13_store(stores):
    """CSE13 imported, on each backend."""
    return import_cse13(stores.new())


def ctx(store: Store, user: str = ADMIN) -> Context:
    return Context(store, NOW, user, Settings(admins=frozenset({ADMIN})))


def load(store: Store, name: str, data: bytes, dry_run: bool = False):  # noqa: ANN201
    sheets = [(s.name, s.rows) for s in read_sheets(Path(name), data)]
    return import_register(store, sheets, name=name, now=NOW, today=NOW.date(), dry_run=dry_run)


def csv_bytes(text: str) -> bytes:
    return text.encode()


def comparable(store: Store) -> list[Item]:
    with store.transaction():
        return [replace(i, updated_at=None) for i in store.items.all()]


def history_size(store: Store) -> int:
    with store.transaction():
        return sum(len(store.history.for_item(i)) for i in store.items.ids())


def worked_on(store: Store) -> Store:
    """CSE13 after a few weeks of work: statuses, leads, evidence, a sign-off, a moved date."""
    c = ctx(store)
    assign_leads(c, "CSE13-04", (LEAD,))
    assign_leads(c, "CSE13-07", (LEAD, "ULEAD002"))
    apply_update(c, UpdateRequest("CSE13-04", "in progress", note="review started"))
    apply_update(c, UpdateRequest("CSE13-02", "blocked", note="waiting for the council"))
    apply_update(c, UpdateRequest("CSE13-01", None, evidence="https://intranet.example/a.pdf"))
    apply_update(c, UpdateRequest("CSE13-01", "closed", note="signed off at GAB"))
    apply_update(c, UpdateRequest("CSE13-03", "not accepted", note="the force declined"))
    move_due_date(c, "CSE13-06", date(2014, 6, 30), "agreed at GAB")
    return store


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(stores, cse13_store, fmt):
    store = worked_on(cse13_store)
    for text in ('=HYPERLINK("https://evil.example")', "- a bulleted action"):
        add_item(ctx(store), "CSE13", ItemFields(text=text, timescale="within six months"))
    exported = export_register(ctx(store), parse_recs(f"export {fmt}"))
    data = exported.content if isinstance(exported.content, bytes) else exported.content.encode()

    fresh = stores.new()
    plan = load(fresh, exported.filename, data)
    assert (plan.created, plan.updated, plan.unchanged) == (17, 0, 0)
    assert comparable(fresh) == comparable(store)
    with fresh.transaction():
        source = fresh.sources.get("CSE13")
    assert (source.title, source.published) == ("SYP response to CSE", date(2014, 1, 31))
    # what the Panel would read is the same cell for cell, "Last changed" included, and the
    # history explains the moved due date
    reexported = export_register(ctx(fresh), parse_recs(f"export {fmt}"))
    again_data = reexported.content
    again_data = again_data if isinstance(again_data, bytes) else again_data.encode()
    name = Path(exported.filename)
    assert read_sheets(name, again_data)[0].rows == read_sheets(name, data)[0].rows
    assert verify_store(fresh).findings == ()

    before = history_size(store)
    again = load(store, exported.filename, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 17)
    assert comparable(store) == comparable(fresh)
    assert history_size(store) == before


OFFICE_REGISTER = """\
Force recommendations register,,,,,,,,,
Rec No.,Inspection,Date Published,Recommendation text,Deadline,Responsible Officer,Progress,R.A.G.,Comments,Directorate
1,Custody review,31/03/2016,Custody staff should be trained in first aid,30 June 2016,Head of Custody,On track,Green,Course booked,Operations
2,Custody review,31/03/2016,The force should record detainee risk assessments,42643,<@ULEAD001>,Completed,,Signed off at GAB,Operations
3,Custody review,31/03/2016,=HYPERLINK("https://evil.example"),2016-12-31,,Not started,Red,,Operations
"""


def test_an_office_register_is_read_by_what_its_headers_mean(stores):
    store = stores.new()
    plan = load(store, "register.csv", csv_bytes(OFFICE_REGISTER))
    assert (plan.created, plan.updated, plan.unchanged) == (3, 0, 0)
    assert plan.columns.header_row == 1  # under the title row
    assert "unknown column “Directorate” not imported" in plan.notes
    with store.transaction():
        (source,) = store.sources.all()
        one, two, three = store.items.all()
    assert (source.id, source.title, source.published) == (
        "CR16",
        "Custody review",
        date(2016, 3, 31),
    )
    assert (one.id, one.due, one.status, one.leads, one.lead_role) == (
        "CR16-01",
        date(2016, 6, 30),
        "in progress",
        (),
        "Head of Custody",
    )
    assert any("CR16-01 lead “Head of Custody” is not a Slack user id" in n for n in plan.notes)
    assert (two.due, two.status, two.leads) == (date(2016, 9, 30), "closed", (LEAD,))  # Excel day
    assert three.text == '=HYPERLINK("https://evil.example")' and three.due == date(2016, 12, 31)
    # On 2014-03-03 the first item is months away (green) and the third too: not red.
    assert any("CR16-03 RAG says red, govbot derives green" in n for n in plan.notes)
    assert not any("CR16-01 RAG" in n for n in plan.notes)


def test_a_bad_row_is_refused_by_number_and_nothing_is_written(stores):
    store = stores.new()
    bad = OFFICE_REGISTER.replace("30 June 2016", "soon")
    with pytest.raises(BadInput) as refused:
        load(store, "register.csv", csv_bytes(bad))
    assert "row 3: due date “soon” is not a date" in refused.value.message
    assert "Nothing was imported" in refused.value.message
    with store.transaction():
        assert store.items.all() == [] and store.sources.all() == []


@pytest.mark.parametrize(
    "status, district, message",
    [
        ("Finished-ish", "Sheffield", "row 2: status “Finished-ish” is not one I know"),
        ("In progress", "Rotheram", "row 2: district “Rotheram” is not one of Barnsley"),
        ("Done", "Sheffield", "row 2: published date “next year” is not a date"),
    ],
)
def test_every_bad_cell_names_its_row(stores, status, district, message):
    published = "next year" if status == "Done" else "2016-03-31"
    text = (
        "Ref,Report,Published,Recommendation,Status,District\n"
        f"1,Review,{published},Do this,{status},{district}\n"
    )
    store = stores.new()
    with pytest.raises(BadInput) as refused:
        load(store, "r.csv", csv_bytes(text))
    assert message in refused.value.message


def test_a_register_without_a_text_column_is_refused_naming_it(stores):
    store = stores.new()
    with pytest.raises(BadInput, match="no header row names the recommendation text.*Description"):
        load(store, "r.csv", csv_bytes("Ref,Owner,Status\n1,U0X1,done\n"))


def test_a_new_source_needs_its_published_date(stores):
    store = stores.new()
    with pytest.raises(BadInput, match="row 2: new source R.* needs its published date"):
        load(store, "r.csv", csv_bytes("Ref,Report,Recommendation\n1,Review,Do this\n"))


def test_a_changed_status_and_due_date_are_appended_to_the_history(cse13_store):
    store = worked_on(cse13_store)
    with store.transaction():
        before = {e.to_doc()["at"] + e.change for e in store.history.for_item("CSE13-04")}
    text = (
        "Reference,Source,Description,Status,Due date,Latest update\n"
        "CSE13-04,CSE13,{text},Complete,31/05/2014,PPU review signed off\n"
    )
    with store.transaction():
        item_text = store.items.get("CSE13-04").text.replace('"', '""')
    plan = load(store, "r.csv", csv_bytes(text.replace("{text}", f'"{item_text}"')))
    assert (plan.created, plan.updated) == (0, 1)
    with store.transaction():
        item = store.items.get("CSE13-04")
        history = store.history.for_item("CSE13-04")
    assert (item.status, item.due, item.original_due) == (
        "closed",
        date(2014, 5, 31),
        date(2014, 1, 31),
    )
    assert before <= {e.to_doc()["at"] + e.change for e in history}  # nothing rewritten
    new = [e for e in history if e.by == "import"]
    assert {(e.change, e.old, e.new) for e in new} >= {
        ("status", "in progress", "closed"),
        ("due", "2014-01-31", "2014-05-31"),
    }
    assert any("PPU review signed off" in e.note and "r.csv row 2" in e.note for e in new)


def test_a_dry_run_writes_nothing(stores):
    store = stores.new()
    plan = load(store, "register.csv", csv_bytes(OFFICE_REGISTER), dry_run=True)
    assert plan.created == 3
    with store.transaction():
        assert store.items.all() == []


def test_reports_named_only_by_title_get_ids_of_their_own(stores):
    text = (
        "Report,Published,Recommendation\n"
        "Custody review,2016-03-31,First\n"
        "Crime recording,2016-05-01,Second\n"
        "Custody review,2016-03-31,Third\n"
    )
    store = stores.new()
    load(store, "r.csv", csv_bytes(text))
    with store.transaction():
        assert [(i.id, i.text) for i in store.items.all()] == [
            ("CR16-01", "First"),
            ("CR16-02", "Third"),
            ("CR16B-01", "Second"),
        ]
    plan = load(store, "r.csv", csv_bytes(text))  # matched again by source and text
    assert (plan.created, plan.unchanged) == (0, 3)


def test_an_xlsx_register_with_real_dates_and_numbers(stores, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["This workbook holds the register on the next sheet"])
    sheet = workbook.create_sheet("Register")
    sheet.append(["HMICFRS recommendations — tracker"])
    sheet.append(["Ref", "Report title", "Report date", "Recommendation", "Target date", "Owner"])
    sheet.append(
        [1, "Custody review", datetime(2016, 3, 31), "Train staff", date(2016, 6, 30), None]
    )
    sheet.append([2.0, "Custody review", datetime(2016, 3, 31), "Record risk", 42643, "ULEAD001"])
    data = tmp_path / "tracker.xlsx"
    workbook.save(data)
    store = stores.new()
    plan = load(store, "tracker.xlsx", data.read_bytes())
    assert plan.sheet == "Register" and plan.created == 2
    with store.transaction():
        one, two = store.items.all()
    assert (one.id, one.due, two.id, two.due, two.leads) == (
        "CR16-01",
        date(2016, 6, 30),
        "CR16-02",
        date(2016, 9, 30),
        (LEAD,),
    )


def test_every_bad_row_is_counted(stores):
    rows = "".join(f"{n},Review,2016-03-31,Do {n},when pigs fly\n" for n in range(1, 9))
    store = stores.new()
    with pytest.raises(BadInput) as refused:
        load(store, "r.csv", csv_bytes("Ref,Report,Published,Text,Due\n" + rows))
    message = refused.value.message
    assert message.startswith("r.csv: row 2: due date “when pigs fly” is not a date; row 3:")
    assert "(and 3 more bad rows). Nothing was imported." in message


def test_xlsx_export_drops_control_characters_a_workbook_cannot_hold(tmp_path):
    from commands.export import register_rows, register_xlsx

    item = Item("OCR14-01", "OCR14", 1, text="Review\x0b the =policy")
    data = register_xlsx(register_rows([item], {}, NOW.date()))
    (sheet,) = read_sheets(Path("r.xlsx"), data)
    assert sheet.rows[1][7] == "Review the =policy"
