"""/recs (SPEC sections 2, 4 and 5) on the 2013 CSE report as it is, through `run_recs`."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from bot.files import read_text
from bot.render.general import render
from commands.context import Context, Settings
from commands.errors import BadInput, NotAllowed, UnknownItem
from commands.imports import import_report
from commands.recs import run_recs
from commands.replies import FileExport, ItemDetail, ItemList, Notice, Summary, UpdateDone
from storage.models import Item
from storage.store import Store
from tests.conftest import CSE13, NCP15, reference
from tests.harness import ADMIN, LONDON

LEAD = "ULEAD001"
OTHER_LEAD = "ULEAD002"
STRANGER = "USTRANGE1"
NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)  # a Monday, 31 days after publication
IMMEDIATE = ["CSE13-01", "CSE13-02", "CSE13-03", "CSE13-04", "CSE13-05"]
THREE_MONTHS = ["CSE13-06", "CSE13-07", "CSE13-08", "CSE13-09"]


def _import(store: Store, path, source_id: str, published: date) -> None:
    import_report(
        store,
        read_text(reference(path)),
        file_name=path.name,
        source_id=source_id,
        title=f"{source_id} report",
        published=published,
        now=datetime(2014, 2, 1, 9, 0, tzinfo=LONDON),
    )


@pytest.fixture(scope="module")
def imported(module_stores) -> Store:
    """A database with CSE13 imported, made once: each test works on a copy."""
    store = module_stores.new()
    _import(store, CSE13, "CSE13", date(2014, 1, 31))
    return store


@pytest.fixture
def store(imported, stores) -> Store:
    return stores.copy(imported)


def recs(store: Store, text: str, user: str = ADMIN, when: datetime = NOW):
    return run_recs(Context(store, when, user, Settings(admins=frozenset({ADMIN}))), text)


def ids(reply: ItemList) -> list[str]:
    return [row.item.id for row in reply.rows]


def item(store: Store, item_id: str) -> Item:
    with store.transaction():
        found = store.items.get(item_id)
    assert found is not None
    return found


def history(store: Store, item_id: str) -> list:
    with store.transaction():
        return store.history.for_item(item_id)


# Summary, detail, overdue, due


def test_summary_counts_by_status_and_rag_per_source(store):
    for text in ("", "summary"):
        reply = recs(store, text)
        assert isinstance(reply, Summary)
        assert reply.total == 15
        assert reply.by_status == {"not started": 15}
        assert reply.by_rag == {"red": 5, "green": 10}
        (cse,) = reply.sources
        assert cse.source_id == "CSE13"
        assert cse.awaiting_allocation == 15
        assert cse.response_due == date(2014, 3, 28)
        assert cse.response_published is None


def test_summary_follows_changes(store):
    recs(store, "assign CSE13-06 @ULEAD001")
    recs(store, "set CSE13-06 blocked waiting for the data-sharing agreement")
    recs(store, "evidence CSE13-01 https://intranet.example/audit.pdf")
    recs(store, "set CSE13-01 closed signed off at GAB")
    reply = recs(store, "summary")
    assert reply.by_status == {"not started": 13, "blocked": 1, "closed": 1}
    assert reply.by_rag == {"red": 4, "amber": 1, "green": 9}  # closed items have no RAG
    assert reply.sources[0].awaiting_allocation == 13


def test_an_item_in_full_accepts_any_case_and_no_leading_zero(store):
    reply = recs(store, "cse13-4")
    assert isinstance(reply, ItemDetail)
    assert reply.item.id == "CSE13-04"
    assert reply.item.area == "Processes"
    assert reply.item.timescale == "immediately"
    assert reply.item.due == date(2014, 1, 31)
    assert reply.rag == "red"
    assert reply.source is not None and reply.source.id == "CSE13"
    assert [e.change for e in reply.history] == ["import"]


def test_a_month_after_publication_the_five_immediate_recommendations_are_overdue(store):
    reply = recs(store, "overdue")
    assert ids(reply) == IMMEDIATE
    assert [row.days_overdue for row in reply.rows] == [31] * 5
    assert all(not row.item.leads for row in reply.rows)  # awaiting allocation


def test_overdue_lists_open_items_past_due_most_overdue_first(store):
    recs(store, "due-date CSE13-09 2014-01-01 agreed at GAB to bring forward")
    recs(store, "due-date CSE13-02 2014-02-20 extension agreed with HMIC")
    recs(store, "assign CSE13-03 @ULEAD001")
    recs(store, "evidence CSE13-05 https://intranet.example/audit.pdf")
    recs(store, "set CSE13-05 closed audit complete")

    reply = recs(store, "overdue")
    assert isinstance(reply, ItemList)
    assert ids(reply) == ["CSE13-09", "CSE13-01", "CSE13-03", "CSE13-04", "CSE13-02"]
    assert [row.days_overdue for row in reply.rows] == [61, 31, 31, 31, 11]
    assert {row.rag for row in reply.rows} == {"red"}
    assert reply.rows[2].item.leads == (LEAD,)
    assert reply.total == 5


def test_nothing_overdue_says_so(store):
    reply = recs(store, "overdue", when=datetime(2014, 1, 31, 9, 0, tzinfo=LONDON))
    assert reply.rows == ()
    assert reply.empty_text == "Nothing is overdue. 🎉"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("due 58", THREE_MONTHS),  # 2014-04-30 is 58 days after 2014-03-03
        ("due 57", []),
        ("due", []),  # 30 days by default
        ("due 150", THREE_MONTHS + [f"CSE13-{n}" for n in range(10, 16)]),
    ],
)
def test_due_lists_open_items_due_in_the_next_n_days(store, text, expected):
    reply = recs(store, text)
    assert ids(reply) == expected  # never the overdue ones


def test_due_in_n_days_says_so_when_empty(store):
    assert recs(store, "due").empty_text == "Nothing open is due in the next 30 days."


# Filters


@pytest.fixture(scope="module")
def allocated(imported, module_stores) -> Store:
    """Leads and statuses set; the tests using it only read."""
    store = module_stores.copy(imported)
    for item_id in ("CSE13-06", "CSE13-07", "CSE13-10"):
        recs(store, f"assign {item_id} @{LEAD}")
    recs(store, f"assign CSE13-11 @{OTHER_LEAD}")
    recs(store, "set CSE13-06 in progress comms plan drafted", user=LEAD)
    recs(store, "set CSE13-10 started training needs analysis", user=LEAD)
    with store.transaction():
        store.items.save(
            Item(
                "GAB14-01",
                "GAB14",
                1,
                kind="action",
                text="Staff the Sheffield CSE hub",
                districts=("Sheffield",),
            )
        )
    return store


@pytest.mark.parametrize(
    ("text", "user", "expected"),
    [
        ("mine", LEAD, ["CSE13-06", "CSE13-07", "CSE13-10"]),
        ("mine", STRANGER, []),
        ("mine status in progress", LEAD, ["CSE13-06", "CSE13-10"]),
        ("my status in progress search training", LEAD, ["CSE13-10"]),
        (f"lead @{LEAD} status not started", ADMIN, ["CSE13-07"]),
        (f"lead @{OTHER_LEAD}", ADMIN, ["CSE13-11"]),
        ("status in progress source CSE13", ADMIN, ["CSE13-06", "CSE13-10"]),
        ("source CSE13 district Rotherham search rotherham", ADMIN, ["CSE13-03", "CSE13-15"]),
        ("district Rotherham source GAB14", ADMIN, []),  # a Sheffield action
        ("district Sheffield source GAB14", ADMIN, ["GAB14-01"]),
        ("sheffield source gab14", ADMIN, ["GAB14-01"]),
        ("district sheff search hub", ADMIN, ["GAB14-01"]),
        ("source GAB14 status not started mine", LEAD, []),
    ],
)
def test_filters_combine(allocated, text, user, expected):
    assert ids(recs(allocated, text, user=user)) == expected


def test_a_district_filter_shows_the_items_that_name_it(allocated):
    assert ids(recs(allocated, "district Rotherham")) == ["CSE13-03", "CSE13-15"]
    assert ids(recs(allocated, "district doncaster")) == ["CSE13-15"]
    empty = recs(allocated, "district Barnsley")
    assert empty.total == 0 and "force-wide items apply" in empty.empty_text


def test_the_list_title_names_the_filters(allocated):
    reply = recs(allocated, "mine status in progress district Rotherham", user=LEAD)
    assert reply.title == "Your items · Status: in progress · District: Rotherham"


@pytest.fixture(scope="module")
def both_reports(imported, module_stores) -> Store:
    store = module_stores.copy(imported)
    _import(store, NCP15, "NCP15", date(2015, 3, 1))
    return store


def test_long_lists_are_paged_by_20(both_reports):
    first = recs(both_reports, "status not started")
    second = recs(both_reports, "status not started page 2")
    assert (first.total, first.page, first.pages) == (31, 1, 2)
    assert len(first.rows) == 20
    assert first.more_hint == "add `page 2` to see more"
    assert (second.page, len(second.rows), second.more_hint) == (2, 11, "")
    assert ids(first) + ids(second) == [
        *(f"CSE13-{n:02d}" for n in range(1, 16)),
        *(f"NCP15-{n:02d}" for n in range(1, 17)),
    ]


def test_a_full_page_fits_in_one_slack_message(both_reports):
    message = render(recs(both_reports, "status not started"))
    assert len(message["blocks"]) <= 50


def test_a_page_beyond_the_last_is_refused(both_reports):
    with pytest.raises(BadInput, match=r"only 2 page\(s\)"):
        recs(both_reports, "status not started page 3")


# Errors: each a message for the person who typed the command


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("CSE13-99", UnknownItem, "No item “CSE13-99”. Did you mean CSE13-09?"),
        ("CSE31-04", UnknownItem, "Did you mean CSE13-04?"),
        ("set CSE13-16 done", UnknownItem, "No item “CSE13-16”."),
        ("status finished", BadInput, "Unknown status “finished”. Statuses: not started,"),
        ("set CSE13-04 finished", BadInput, "Which status?"),
        ("district Rotherum", UnknownItem, "Did you mean Rotherham?"),
        ("district", BadInput, "Which district? Barnsley, Doncaster, Rotherham, Sheffield."),
        ("source XYZ", UnknownItem, "No source “XYZ”. Sources: CSE13."),
        ("overdeu", BadInput, "Did you mean “overdue”?"),
        ("due-date CSE13-04 2014-13-45 late", BadInput, "“2014-13-45” is not a due date"),
        ("due-date CSE13-04 31/02/2014 late", BadInput, "no such day"),
        ("response CSE13 published yesterday", BadInput, "write it as 2016-03-31, 31/03/2016"),
        ("assign CSE13-04 bob", BadInput, "Name the lead with an @mention"),
        ("lead bob", BadInput, "Whose items?"),
        ("set", BadInput, "Which item? Usage: `/recs set CSE13-04 in progress note…`"),
        ("search", BadInput, "Search for what?"),
        ("page 0", BadInput, "Which page?"),
    ],
)
def test_every_error_says_what_was_wrong(store, text, error, message):
    with pytest.raises(error) as raised:
        recs(store, text)
    assert message in raised.value.message
    assert "\n" not in raised.value.message


def test_an_unknown_id_on_an_empty_register_says_to_import_first(stores):
    with pytest.raises(UnknownItem, match="the register is empty. Import a report first."):
        recs(stores.new(), "CSE13-04")


def test_help_lists_every_form(store):
    reply = recs(store, "help")
    assert isinstance(reply, Notice)
    for form in ("summary", "overdue", "due [N]", "mine", "set", "assign", "due-date", "export"):
        assert form in reply.text


# Changes and who may make them (SPEC section 5)


def test_a_lead_updates_their_own_item(store):
    recs(store, f"assign CSE13-06 @{LEAD}")
    reply = recs(store, "set CSE13-06 in progress: comms plan drafted", user=LEAD)
    assert isinstance(reply, UpdateDone)
    assert reply.text == f"CSE13-06: not started → in progress, by @{LEAD}"
    assert item(store, "CSE13-06").status == "in progress"
    last = history(store, "CSE13-06")[-1]
    assert (last.by, last.old, last.new, last.note) == (
        LEAD,
        "not started",
        "in progress",
        "comms plan drafted",
    )

    recs(store, "set CSE13-06 done", user=LEAD)
    assert item(store, "CSE13-06").status == "implemented"


def test_someone_else_is_told_who_can_and_nothing_changes(store):
    with pytest.raises(NotAllowed, match=r"awaiting allocation"):
        recs(store, "set CSE13-06 in progress", user=STRANGER)
    recs(store, f"assign CSE13-06 @{LEAD}")
    for text in ("set CSE13-06 in progress", "evidence CSE13-06 https://example.org/x.pdf"):
        with pytest.raises(NotAllowed, match=f"its lead \\(@{LEAD}\\) or a governance admin"):
            recs(store, text, user=STRANGER)
    with pytest.raises(NotAllowed, match="can only be updated by"):
        recs(store, "set CSE13-07 in progress", user=LEAD)  # not their item
    assert item(store, "CSE13-06").status == "not started"
    assert not item(store, "CSE13-06").has_evidence
    assert [e.change for e in history(store, "CSE13-06")] == ["import", "lead"]


@pytest.mark.parametrize("status", ["closed", "superseded", "not accepted"])
def test_only_admins_close_supersede_or_decline(store, status):
    recs(store, f"assign CSE13-06 @{LEAD}")
    recs(store, "evidence CSE13-06 https://intranet.example/comms.pdf", user=LEAD)
    with pytest.raises(NotAllowed, match=f"Only a governance admin can mark CSE13-06 {status}"):
        recs(store, f"set CSE13-06 {status} because", user=LEAD)
    recs(store, f"set CSE13-06 {status} because the board agreed")
    assert item(store, "CSE13-06").status == status


def test_closing_needs_evidence_on_record(store):
    with pytest.raises(BadInput, match="CSE13-04 has no evidence on record"):
        recs(store, "set CSE13-04 closed")
    assert item(store, "CSE13-04").status == "not started"
    recs(store, "evidence CSE13-04 https://intranet.example/hi-tech-review.pdf")
    assert item(store, "CSE13-04").has_evidence
    reply = recs(store, "set CSE13-04 closed signed off at GAB")
    assert reply.text == f"CSE13-04: not started → closed, by @{ADMIN}"


@pytest.mark.parametrize(
    ("status", "asks_for"),
    [
        ("blocked", "what it is blocked on"),
        ("superseded", "a reason"),
        ("not accepted", "the reason the force gave"),
    ],
)
def test_blocked_superseded_and_not_accepted_need_a_note(store, status, asks_for):
    with pytest.raises(BadInput, match=f"Please say {asks_for}"):
        recs(store, f"set CSE13-08 {status}")
    assert item(store, "CSE13-08").status == "not started"
    recs(store, f"set CSE13-08 {status}: the force's reason")
    assert item(store, "CSE13-08").status == status
    assert history(store, "CSE13-08")[-1].note == "the force's reason"


def test_assigning_is_for_admins_and_takes_escaped_mentions(store):
    with pytest.raises(NotAllowed, match="Only a governance admin can assign leads"):
        recs(store, f"assign CSE13-04 @{LEAD}", user=LEAD)
    reply = recs(store, f"assign CSE13-04 @{LEAD} @{OTHER_LEAD}")
    assert reply.text == f"CSE13-04: lead set to @{LEAD}, @{OTHER_LEAD}, by @{ADMIN}"
    assert item(store, "CSE13-04").leads == (LEAD, OTHER_LEAD)
    recs(store, "set CSE13-04 in progress", user=OTHER_LEAD)


def test_moving_a_due_date_is_for_admins_needs_a_reason_and_keeps_the_original(store):
    with pytest.raises(NotAllowed, match="Only a governance admin can move due dates"):
        recs(store, "due-date CSE13-07 2014-06-30 more time", user=LEAD)
    with pytest.raises(BadInput, match="Give a reason"):
        recs(store, "due-date CSE13-07 2014-06-30")
    reply = recs(store, "due-date CSE13-07 2014-06-30 risk tool procurement delayed")
    assert reply.text == (
        "CSE13-07: due date moved to 2014-06-30 (originally 2014-04-30), "
        f"by @{ADMIN}: risk tool procurement delayed"
    )
    recs(store, "due-date CSE13-07 2014-08-31 second extension")
    moved = item(store, "CSE13-07")
    assert (moved.due, moved.original_due) == (date(2014, 8, 31), date(2014, 4, 30))
    due_changes = [(e.old, e.new, e.note) for e in history(store, "CSE13-07") if e.change == "due"]
    assert due_changes == [
        ("2014-04-30", "2014-06-30", "risk tool procurement delayed"),
        ("2014-06-30", "2014-08-31", "second extension"),
    ]


def test_recording_the_pccs_response_is_for_admins(store):
    with pytest.raises(NotAllowed, match="Only a governance admin can record the PCC's response"):
        recs(store, "response CSE13 published 2014-03-20", user=LEAD)
    with pytest.raises(UnknownItem, match="No source “XYZ”"):
        recs(store, "response XYZ published")
    reply = recs(store, "response cse13 published 2014-03-20")
    assert reply.text == "CSE13: PCC response recorded as published on 2014-03-20."
    assert recs(store, "summary").sources[0].response_published == date(2014, 3, 20)


# Export


def test_export_is_for_admins(store):
    with pytest.raises(NotAllowed, match="Only a governance admin can export the register"):
        recs(store, "export", user=LEAD)


def test_export_is_the_register_as_a_valid_csv(store):
    recs(store, f"assign CSE13-04 @{LEAD}")
    recs(store, "due-date CSE13-04 2014-02-28 agreed")
    reply = recs(store, "export")
    assert isinstance(reply, FileExport)
    assert reply.filename == "govbot-register-2014-03-03.csv"
    rows = list(csv.DictReader(io.StringIO(reply.content)))
    assert [r["Ref"] for r in rows] == [f"CSE13-{n:02d}" for n in range(1, 16)]
    with store.transaction():
        texts = {i.id: i.text for i in store.items.all()}
    assert all(r["Recommendation"] == texts[r["Ref"]] for r in rows)  # commas and quotes survive
    row = rows[3]
    assert (row["Due"], row["Original due"], row["Lead"], row["RAG"]) == (
        "2014-02-28",
        "2014-01-31",
        LEAD,
        "red",
    )
    assert reply.summary == "15 items exported."


def test_export_takes_the_same_filters(allocated):
    reply = recs(allocated, "export status in progress")
    rows = list(csv.DictReader(io.StringIO(reply.content)))
    assert [r["Ref"] for r in rows] == ["CSE13-06", "CSE13-10"]


def test_export_cells_cannot_run_as_spreadsheet_formulas():
    from commands.export import cell_safe

    assert cell_safe('=HYPERLINK("https://evil.example")') == '\'=HYPERLINK("https://evil.example")'
    assert cell_safe("@SUM(A1)") == "'@SUM(A1)"
    assert cell_safe("The force should review") == "The force should review"
