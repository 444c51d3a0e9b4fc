"""Items added and edited by hand: numbering, due dates, checks, and a history entry per field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from commands.context import Context, Settings
from commands.errors import BadInput, NotAllowed, UnknownItem
from commands.item_edits import BadField, ItemFields, NewSource, add_item, edit_item
from storage.store import Store
from tests.conftest import import_cse13
from tests.harness import ADMIN, LONDON

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
LEAD = "ULEAD001"


@pytest.fixture
def cse13_store(stores):
    """CSE13 imported, on each backend."""
    return import_cse13(stores.new())


def ctx(store: Store, user: str = ADMIN, now: datetime = NOW) -> Context:
    return Context(store, now, user, Settings(admins=frozenset({ADMIN})))


def history(store: Store, item_id: str):  # noqa: ANN201
    with store.transaction():
        return store.history.for_item(item_id)


def test_an_added_item_is_numbered_next_in_its_source_with_its_due_date(cse13_store):
    result = add_item(
        ctx(cse13_store),
        "cse13",
        ItemFields(
            kind="afi",
            text="  Share missing-person data with the councils  ",
            timescale="within three months",
            area="Partnerships",
            leads=(LEAD,),
            districts=("Rotherham",),
            addressee="the chief constable",
        ),
    )
    item = result.item
    assert (item.id, item.number, item.source) == ("CSE13-16", 16, "CSE13")
    assert item.text == "Share missing-person data with the councils"
    assert item.due == date(2014, 4, 30)  # three months from 31 January, end of month clamped
    assert (item.kind, item.leads, item.districts, item.addressee) == (
        "afi",
        (LEAD,),
        ("Rotherham",),
        "the chief constable",
    )
    entries = history(cse13_store, "CSE13-16")
    assert {e.field for e in entries} == {
        "kind",
        "text",
        "timescale",
        "due",
        "area",
        "leads",
        "districts",
        "addressee",
    }
    assert all(e.change == "add" and e.by == ADMIN and e.at == NOW for e in entries)
    assert "CSE13-16 added" in result.describe()


def test_an_item_can_start_a_new_source(cse13_store):
    source = NewSource("gab1403", "GAB March 2014", date(2014, 3, 25), kind="meeting")
    result = add_item(
        ctx(cse13_store),
        source,
        ItemFields(text="Report back on CSE training", kind="action", due=date(2014, 4, 29)),
    )
    assert result.item.id == "GAB1403-01" and result.item.due == date(2014, 4, 29)
    with cse13_store.transaction() as store:
        assert store.sources.get("GAB1403").kind == "meeting"
    assert "new source GAB1403" in result.describe()


@pytest.mark.parametrize(
    "source, fields, field, words",
    [
        ("CSE13", ItemFields(text="   "), "text", "Give the text"),
        ("CSE13", ItemFields(text="x", kind="idea"), "kind", "recommendation, afi, action"),
        ("CSE13", ItemFields(text="x", timescale="by the spring"), "timescale", "not a timescale"),
        ("CSE13", ItemFields(text="x", leads=("Bob",)), "lead", "not a Slack user id"),
        ("CSE13", ItemFields(text="x", districts=("Leeds",)), "districts", "Unknown district"),
        ("NOPE", ItemFields(text="x"), "source", "No source “NOPE”. Sources: CSE13"),
        (
            NewSource("CSE13", "again", date(2014, 1, 1)),
            ItemFields(text="x"),
            "source_id",
            "already exists",
        ),
        (
            NewSource("CSE 14", "t", date(2014, 1, 1)),
            ItemFields(text="x"),
            "source_id",
            "letters and digits",
        ),
        (NewSource("NEW14", "", date(2014, 1, 1)), ItemFields(text="x"), "source_title", "title"),
        (NewSource("NEW14", "t", None), ItemFields(text="x"), "source_published", "published"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_changes(
    cse13_store, source, fields, field, words
):
    with pytest.raises(BadField) as refused:
        add_item(ctx(cse13_store), source, fields)
    assert refused.value.field == field and words in refused.value.message
    with cse13_store.transaction() as store:
        assert len(store.items.all()) == 15 and len(store.sources.all()) == 1


def test_only_admins_add_and_edit(cse13_store):
    with pytest.raises(NotAllowed, match="Only a governance admin can add items"):
        add_item(ctx(cse13_store, LEAD), "CSE13", ItemFields(text="x"))
    with pytest.raises(NotAllowed, match="Only a governance admin can edit items"):
        edit_item(ctx(cse13_store, LEAD), "CSE13-04", ItemFields(area="x"))
    with pytest.raises(UnknownItem):
        edit_item(ctx(cse13_store), "CSE13-99", ItemFields(area="x"))


def test_an_edit_appends_one_entry_per_changed_field(cse13_store):
    before = history(cse13_store, "CSE13-04")
    later = NOW + timedelta(hours=1)
    result = edit_item(
        ctx(cse13_store, now=later),
        "cse13-4",
        ItemFields(area="Processes", addressee="the PCC", leads=(LEAD,), districts=("Sheffield",)),
    )
    assert result.item.addressee == "the PCC" and result.item.leads == (LEAD,)
    after = history(cse13_store, "CSE13-04")
    assert after[: len(before)] == before  # nothing recorded is rewritten
    added = after[len(before) :]
    assert sorted((e.change, e.field, e.old, e.new) for e in added) == [
        ("edit", "addressee", "the force", "the PCC"),
        ("edit", "districts", "", "Sheffield"),
        ("lead", "leads", "", LEAD),
    ]  # the area was already "Processes": not a change
    assert all(e.by == ADMIN and e.at == later for e in added)
    again = edit_item(ctx(cse13_store), "CSE13-04", ItemFields(addressee="the PCC"))
    assert again.entries == () and history(cse13_store, "CSE13-04") == after


def test_a_due_date_change_needs_a_reason_and_keeps_the_original(cse13_store):
    with pytest.raises(BadField) as refused:
        edit_item(ctx(cse13_store), "CSE13-04", ItemFields(timescale="within six months"))
    assert refused.value.field == "reason" and "2014-01-31 to 2014-07-31" in refused.value.message
    result = edit_item(
        ctx(cse13_store), "CSE13-04", ItemFields(due=date(2014, 5, 30)), reason="agreed at GAB"
    )
    assert (result.item.due, result.item.original_due) == (date(2014, 5, 30), date(2014, 1, 31))
    (entry,) = result.entries
    assert (entry.change, entry.old, entry.new, entry.note) == (
        "due",
        "2014-01-31",
        "2014-05-30",
        "agreed at GAB",
    )
    result = edit_item(
        ctx(cse13_store), "CSE13-04", ItemFields(due=date(2014, 6, 30)), reason="again"
    )
    assert result.item.original_due == date(2014, 1, 31)


def test_recs_add_and_edit_give_the_form_to_admins_only(cse13_store):
    from commands.recs import run_recs
    from commands.replies import ItemForm

    form = run_recs(ctx(cse13_store), "add")
    assert isinstance(form, ItemForm) and form.item is None
    assert [s.id for s in form.sources] == ["CSE13"]
    form = run_recs(ctx(cse13_store), "edit cse13-4")
    assert form.item.id == "CSE13-04" and form.explicit_due is None
    edit_item(ctx(cse13_store), "CSE13-04", ItemFields(due=date(2014, 5, 30)), reason="GAB")
    assert run_recs(ctx(cse13_store), "edit CSE13-04").explicit_due == date(2014, 5, 30)
    with pytest.raises(NotAllowed):
        run_recs(ctx(cse13_store, LEAD), "add")
    with pytest.raises(BadInput, match="takes no words"):
        run_recs(ctx(cse13_store), "add CSE13 some text")
    with pytest.raises(BadInput, match="/recs edit CSE13-04"):
        run_recs(ctx(cse13_store), "edit")


def test_a_configured_force_adds_items_for_its_own_districts(cse13_store):
    from commands.districts import parse_districts
    from commands.item_form import add_form
    from commands.recs_parse import RecsRequest

    west = parse_districts("Bradford;Calderdale;Kirklees;Leeds;Wakefield")
    here = Context(cse13_store, NOW, ADMIN, Settings(admins=frozenset({ADMIN}), districts=west))
    assert add_form(here, RecsRequest("add")).districts == west.names
    given = ItemFields(text="Brief the districts", timescale="immediately", districts=("Leeds",))
    added = add_item(here, "CSE13", given)
    assert added.item.districts == ("Leeds",)
    with pytest.raises(BadField, match="Unknown district “Sheffield”. Districts: Bradford"):
        add_item(here, "CSE13", ItemFields(text="x", districts=("Sheffield",)))


def test_form_text_is_cleaned_and_implausible_dates_refused(cse13_store):
    added = add_item(
        ctx(cse13_store),
        "CSE13",
        ItemFields(text="Brief \x1b[31mthe\x07 districts", due=date(2014, 6, 1)),
    )
    assert added.item.text == "Brief [31mthe districts"
    with pytest.raises(BadField, match="not a plausible due date"):
        add_item(ctx(cse13_store), "CSE13", ItemFields(text="x", due=date(9999, 12, 31)))
    with pytest.raises(BadField, match="not a plausible publication date"):
        add_item(
            ctx(cse13_store),
            NewSource("OLD1", "Old report", date(1066, 10, 14)),
            ItemFields(text="x", timescale="immediately"),
        )
