"""Importing reports and figures (SPEC section 3): what is stored, idempotence, and bad input
that changes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from bot.files import read_text
from commands.context import Context, Settings
from commands.errors import BadInput
from commands.imports import import_figures, import_report
from commands.recs import run_recs
from storage.store import Store
from tests.conftest import CSE13, NCP15, contents, reference
from tests.harness import ADMIN, LONDON

LEAD = "ULEAD001"
PUBLISHED = date(2014, 1, 31)
IMPORTED_AT = datetime(2014, 2, 1, 9, 0, tzinfo=LONDON)
TIMESCALE_DUE = {
    "immediately": date(2014, 1, 31),
    "within three months": date(2014, 4, 30),
    "within six months": date(2014, 7, 31),
}


@pytest.fixture
def store(stores) -> Store:
    return stores.new()


@pytest.fixture(scope="module")
def imported(module_stores) -> Store:
    """A database with CSE13 imported, made once."""
    store = module_stores.new()
    import_cse13(store)
    return store


@pytest.fixture
def cse13_store(imported, stores) -> Store:
    """A copy of the imported database, for tests that start from it."""
    return stores.copy(imported)


def import_cse13(store: Store, **kw):
    return import_report(
        store,
        read_text(reference(CSE13)),
        file_name=CSE13.name,
        source_id="CSE13",
        title="South Yorkshire Police: response to child sexual exploitation",
        published=PUBLISHED,
        now=IMPORTED_AT,
        **kw,
    )


def recs(store: Store, text: str, user: str = ADMIN):
    when = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
    return run_recs(Context(store, when, user, Settings(admins=frozenset({ADMIN}))), text)


def snapshot(store: Store) -> tuple:
    with store.transaction():
        items = store.items.all()
        sources = store.sources.all()
        entries = [e for i in items for e in store.history.for_item(i.id)]
    return items, sources, entries


# The 2013 CSE report


def test_cse13_gives_15_recommendations_5_4_6_with_their_due_dates(store):
    result = import_cse13(store)
    assert (result.created, result.updated, result.unchanged) == (15, 0, 0)
    assert result.counts_by_timescale() == {
        "immediately": 5,
        "within three months": 4,
        "within six months": 6,
    }
    with store.transaction():
        items = store.items.all()
        source = store.sources.get("CSE13")
    assert [i.id for i in items] == [f"CSE13-{n:02d}" for n in range(1, 16)]
    assert all(i.due == TIMESCALE_DUE[i.timescale] for i in items)
    assert all(i.status == "not started" and not i.leads and i.area for i in items)
    assert source is not None and source.published == PUBLISHED


def test_each_imported_item_starts_its_history(store):
    import_cse13(store)
    with store.transaction():
        (entry,) = store.history.for_item("CSE13-04")
    assert (entry.change, entry.by, entry.new) == ("import", "import", "not started")
    assert entry.note == f"imported from {CSE13.name}"


def test_immediately_with_a_grace_period(store):
    import_cse13(store, grace_days=28)
    with store.transaction():
        assert store.items.get("CSE13-01").due == date(2014, 2, 28)
        assert store.items.get("CSE13-06").due == date(2014, 4, 30)


def test_reimporting_keeps_status_leads_history_and_moved_due_dates(cse13_store):
    store = cse13_store
    recs(store, f"assign CSE13-07 @{LEAD}")
    recs(store, "set CSE13-07 in progress risk tool under review", user=LEAD)
    recs(store, "evidence CSE13-07 https://intranet.example/risk-tool.pdf", user=LEAD)
    recs(store, "due-date CSE13-07 2014-06-30 procurement delayed")
    recs(store, "response CSE13 published 2014-03-20")
    before = snapshot(store)

    again = import_cse13(store)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)
    assert snapshot(store) == before
    with store.transaction():
        moved = store.items.get("CSE13-07")
        assert len(store.items.all()) == 15
        assert store.sources.get("CSE13").response_published == date(2014, 3, 20)
    assert (moved.status, moved.leads, moved.has_evidence) == ("in progress", (LEAD,), True)
    assert (moved.due, moved.original_due) == (date(2014, 6, 30), date(2014, 4, 30))


def test_reimporting_with_a_new_publication_date_moves_only_unmoved_due_dates(cse13_store):
    store = cse13_store
    recs(store, "due-date CSE13-07 2014-06-30 procurement delayed")
    import_report(
        store,
        read_text(CSE13),
        file_name=CSE13.name,
        source_id="cse13",
        title="corrected",
        published=date(2014, 2, 28),
        now=IMPORTED_AT,
    )
    with store.transaction():
        unmoved = store.items.get("CSE13-06")
        moved = store.items.get("CSE13-07")
    assert unmoved.due == date(2014, 5, 28)
    assert (moved.due, moved.original_due) == (date(2014, 6, 30), date(2014, 5, 28))


def test_dry_run_stores_nothing(store):
    result = import_cse13(store, dry_run=True)
    assert result.dry_run and result.created == 15 and len(result.items) == 15
    assert snapshot(store) == ([], [], [])

    import_cse13(store)
    recs(store, "set CSE13-04 in progress started")
    before = contents(store)
    again = import_cse13(store, dry_run=True)
    assert (again.created, again.unchanged) == (0, 15)
    assert contents(store) == before


# The 2015 post-inspection review: "We recommend that, within three months, …" paragraphs


def test_the_2015_findings_give_the_inspection_recommendations_with_their_areas(store):
    result = import_report(
        store,
        read_text(reference(NCP15)),
        file_name=NCP15.name,
        source_id="NCP15",
        title="National child protection post-inspection review",
        published=date(2015, 3, 1),
        now=IMPORTED_AT,
    )
    items = result.items
    assert len(items) == 16
    areas = [i.area for i in items]
    for area in (
        "Initial contact",
        "Assessment and help",
        "Investigation",
        "Decision making",
        "Police detention",
        "Leadership, management and governance",
    ):
        assert area in areas
    assert Counter(i.timescale for i in items) == {
        "immediately": 7,
        "within three months": 4,
        "within six months": 4,
        "": 1,
    }
    by_timescale = {i.timescale: i.due for i in items}
    assert by_timescale == {
        "immediately": date(2015, 3, 1),
        "within three months": date(2015, 6, 1),
        "within six months": date(2015, 9, 1),
        "": None,  # the review's own closing recommendation has no timescale: never overdue
    }
    # bullets after a lead-in are separate recommendations, each a whole sentence
    assessment = [i for i in items if i.area == "Assessment and help"]
    assert len(assessment) == 5
    assert all(i.text.startswith("We recommend that") for i in assessment)


def test_a_due_date_given_to_an_item_without_a_timescale_survives_reimport(store):
    def import_ncp15():
        return import_report(
            store,
            read_text(reference(NCP15)),
            file_name=NCP15.name,
            source_id="NCP15",
            title="review",
            published=date(2015, 3, 1),
            now=IMPORTED_AT,
        )

    import_ncp15()
    recs(store, "due-date NCP15-16 2015-12-31 agreed at GAB")
    import_ncp15()
    with store.transaction():
        item = store.items.get("NCP15-16")
    assert (item.timescale, item.due, item.original_due) == ("", date(2015, 12, 31), None)


# Bad input: one line naming the file, and nothing changed


@pytest.mark.parametrize(
    "text", ["Minutes of the Governance and Assurance Board\n\nApologies: none.\n", ""]
)
def test_a_report_with_no_items_still_records_its_source(store, text):
    result = import_report(
        store,
        text,
        file_name="letter.txt",
        source_id="LETTER14",
        title="x",
        published=PUBLISHED,
        now=IMPORTED_AT,
    )
    assert (result.items, result.created) == ((), 0)
    items, sources, entries = snapshot(store)
    assert (items, entries) == ([], [])
    assert [s.id for s in sources] == ["LETTER14"]


def test_a_dry_run_of_a_report_with_no_items_records_nothing(store):
    result = import_report(
        store,
        "Nothing to see.\n",
        file_name="letter.txt",
        source_id="LETTER14",
        title="x",
        published=PUBLISHED,
        now=IMPORTED_AT,
        dry_run=True,
    )
    assert result.items == () and result.dry_run
    assert snapshot(store) == ([], [], [])


def test_a_bad_source_id_is_refused(store):
    with pytest.raises(BadInput, match="--source 'CSE-13': use letters and digits only"):
        import_report(
            store,
            read_text(reference(CSE13)),
            file_name=CSE13.name,
            source_id="CSE-13",
            title="x",
            published=PUBLISHED,
            now=IMPORTED_AT,
        )
    assert snapshot(store) == ([], [], [])


# Figures


FIGURES = """district,metric,period,value
Barnsley,referrals,2015-04,9
Doncaster,referrals,2015-04,5
Rotherham,referrals,2015-04,20
Sheffield,referrals,2015-04,15
Total,referrals,2015-04,50
"""


def test_figures_are_stored_and_a_printed_total_is_checked_not_stored(store):
    result = import_figures(store, FIGURES, file_name="in/referrals.csv", source_id="PANEL15")
    assert len(result.figures) == 4
    assert result.mismatches and "in/referrals.csv" in result.mismatches[0]  # 49, not 50
    with store.transaction():
        stored = store.figures.all()
    assert sorted((f.district, f.value) for f in stored) == [
        ("Barnsley", 9),
        ("Doncaster", 5),
        ("Rotherham", 20),
        ("Sheffield", 15),
    ]


def test_reimporting_figures_replaces_them(store):
    import_figures(store, FIGURES, file_name="referrals.csv", source_id="PANEL15")
    corrected = FIGURES.replace("Barnsley,referrals,2015-04,9", "Barnsley,referrals,2015-04,10")
    again = import_figures(store, corrected, file_name="referrals.csv", source_id="PANEL15")
    assert again.replaced == 4 and not again.mismatches
    with store.transaction():
        assert sorted(f.value for f in store.figures.all()) == [5, 10, 15, 20]


def test_figures_dry_run_and_bad_lines_store_nothing(store):
    path = "in/referrals.csv"
    dry = import_figures(store, FIGURES, file_name=path, dry_run=True)
    assert len(dry.figures) == 4 and dry.source == "referrals" and dry.file_name == "referrals.csv"
    bad = FIGURES.replace("Rotherham,referrals,2015-04,20", "Rotherham,referrals,2015-04,lots")
    with pytest.raises(BadInput) as raised:
        import_figures(store, bad, file_name=path)
    assert raised.value.message.startswith(f"{path}: line 4: ")
    with store.transaction():
        assert store.figures.all() == []


def test_districts_named_in_a_recommendation_are_recorded():
    from commands.imports import districts_named

    text = "the multi-agency teams at Doncaster and Rotherham (because of incompatible IT)"
    assert districts_named(text) == ("Doncaster", "Rotherham")
    assert districts_named("The force should review its training plan.") == ()
