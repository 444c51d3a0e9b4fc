"""The thread-update grammar of SPEC section 5."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commands.thread_grammar import (
    STATUS_WORDS,
    ParsedUpdate,
    near_miss,
    normalise_item_id,
    parse_update,
    status_from_word,
)
from storage.models import STATUSES


def thread(text: str) -> ParsedUpdate | None:
    return parse_update(text, expect_id=False)


def digest(text: str) -> ParsedUpdate | None:
    return parse_update(text, expect_id=True)


# The four examples of SPEC section 5, exactly.


def test_spec_example_in_progress():
    text = "in progress: vulnerability training rolled out to 1,700 frontline staff"
    assert thread(text) == ParsedUpdate(
        None, "in progress", "vulnerability training rolled out to 1,700 frontline staff", ""
    )


def test_spec_example_id_done_in_digest_thread():
    text = "CSE13-04 done - review of PPU workloads completed, see evidence"
    assert digest(text) == ParsedUpdate(
        "CSE13-04", "implemented", "review of PPU workloads completed, see evidence", ""
    )


def test_spec_example_blocked():
    text = "blocked: waiting for the local authority data-sharing agreement"
    assert thread(text) == ParsedUpdate(
        None, "blocked", "waiting for the local authority data-sharing agreement", ""
    )


def test_spec_example_evidence():
    text = "evidence: https://intranet.example/ppu-review.pdf"
    assert thread(text) == ParsedUpdate(None, None, "", "https://intranet.example/ppu-review.pdf")


# Status words.

EVERY_WORD = [
    ("done", "implemented"),
    ("implemented", "implemented"),
    ("complete", "implemented"),
    ("completed", "implemented"),
    ("in progress", "in progress"),
    ("in-progress", "in progress"),
    ("started", "in progress"),
    ("underway", "in progress"),
    ("under way", "in progress"),
    ("blocked", "blocked"),
    ("not started", "not started"),
    ("closed", "closed"),
    ("close", "closed"),
    ("superseded", "superseded"),
    ("not accepted", "not accepted"),
    ("declined", "not accepted"),
]


def test_status_words_constant_covers_the_spec():
    assert dict(EVERY_WORD).items() <= STATUS_WORDS.items()
    assert set(STATUS_WORDS.values()) == set(STATUSES)


@pytest.mark.parametrize(("word", "status"), EVERY_WORD)
def test_every_status_word_with_a_note(word, status):
    assert thread(f"{word}: the note") == ParsedUpdate(None, status, "the note", "")


@pytest.mark.parametrize(("word", "status"), EVERY_WORD)
def test_every_status_word_alone_and_shouted(word, status):
    assert thread(word) == ParsedUpdate(None, status, "", "")
    assert thread(f"  {word.upper()}  ") == ParsedUpdate(None, status, "", "")


@pytest.mark.parametrize(("word", "status"), EVERY_WORD)
def test_every_status_word_after_an_id_in_a_digest_thread(word, status):
    assert digest(f"cse13-4 {word} - ok") == ParsedUpdate("CSE13-04", status, "ok", "")


@pytest.mark.parametrize("separator", [": ", ":", " - ", " -", " – ", " — ", "—", " : "])
def test_separators_between_word_and_note(separator):
    assert thread(f"done{separator}training delivered") == ParsedUpdate(
        None, "implemented", "training delivered", ""
    )


@pytest.mark.parametrize("separator", [", ", ",", " ", "\n", ". ", "! ", "; "])
def test_a_status_word_followed_by_anything_else_is_not_an_update(separator):
    assert thread(f"done{separator}training delivered") is None


@pytest.mark.parametrize(
    "text", ["*done*: all signed off", "*done:* all signed off", "*Done* - all signed off"]
)
def test_bold_status_word_is_tolerated(text):
    assert thread(text) == ParsedUpdate(None, "implemented", "all signed off", "")


@pytest.mark.parametrize("text", ["<@U0BOT> done: delivered", "<@U0BOT|govbot>: done: delivered"])
def test_leading_mention_of_the_bot_is_skipped(text):
    assert thread(text) == ParsedUpdate(None, "implemented", "delivered", "")
    assert parse_update(text, expect_id=False, bot_user_id="U0BOT") is not None


def test_leading_mention_of_someone_else_is_conversation_when_the_bot_is_known():
    assert parse_update("<@U0BOB> blocked by what?", expect_id=False, bot_user_id="U0BOT") is None


def test_blocked_alone_parses_with_an_empty_note():
    # The caller enforces that "blocked" carries a note.
    assert thread("blocked") == ParsedUpdate(None, "blocked", "", "")


# Ids.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CSE13-04", "CSE13-04"),
        ("cse13-4", "CSE13-04"),
        ("Cse13-004", "CSE13-04"),
        (" cse13-15 ", "CSE13-15"),
        ("GAB-7", "GAB-07"),
        ("PEEL2122-123", "PEEL2122-123"),
        ("CSE13-0", None),
        ("CSE13", None),
        ("13-04", None),
        ("CSE13-04a", None),
        ("CSE 13-04", None),
        ("", None),
    ],
)
def test_normalise_item_id(text, expected):
    assert normalise_item_id(text) == expected


def test_normalise_item_id_survives_absurdly_long_numbers():
    assert normalise_item_id("X-" + "9" * 5000) == "X-" + "9" * 5000


@pytest.mark.parametrize(
    "text",
    [
        "CSE13-04 done - review completed",
        "cse13-4 done - review completed",
        "CSE13-004: done - review completed",
        "*CSE13-04* done - review completed",
        "<@U0BOT> CSE13-04 done - review completed",
    ],
)
def test_id_then_status_works_in_both_kinds_of_thread(text):
    expected = ParsedUpdate("CSE13-04", "implemented", "review completed", "")
    assert digest(text) == expected
    assert thread(text) == expected


def test_digest_thread_needs_the_id():
    assert digest("done - review completed") is None


def test_id_without_a_status_is_conversation():
    assert digest("CSE13-04 is going well, thanks") is None
    assert digest("CSE13-04") is None
    assert thread("CSE13-0 done") is None


def test_evidence_after_an_id():
    assert digest("CSE13-04 evidence: <https://intranet.example/x.pdf>") == ParsedUpdate(
        "CSE13-04", None, "", "https://intranet.example/x.pdf"
    )


# Notes.


def test_note_keeps_colons_dashes_and_newlines_verbatim():
    note = "phase 1: done - phase 2: 10:30 meeting — see minutes\n  - item A\n  - item B"
    assert thread(f"in progress: {note}  \n") == ParsedUpdate(None, "in progress", note, "")


def test_note_keeps_unicode_and_emoji():
    note = "Café Ōsaka 👮‍♀️ ✅ naïve – “quoted”"
    assert thread(f"Completed — {note}") == ParsedUpdate(None, "implemented", note, "")


def test_admin_words_with_reasons():
    assert thread("not accepted: force declined, see letter") == ParsedUpdate(
        None, "not accepted", "force declined, see letter", ""
    )
    assert thread("superseded: by CSE16-02") == ParsedUpdate(None, "superseded", "by CSE16-02", "")
    assert thread("superseded by CSE16-02") is None


# Conversation that must be ignored.


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t ",
        "donegal office says hi",
        "doneness",
        "done-ness",
        "Done?",
        "blocked?",
        "I think we're in progress",
        "we are done: finally",
        "thanks, will do",
        "not yet",
        "in progressive steps",
        "close to finishing, nearly there",
        "evidence is on the shared drive",
        "startedness",
        "*bold remark*",
        "<@U0BOB> done?",
        "done what we can but more is needed",
        "started looking at it yesterday",
        "complete nonsense, this one",
        "blocked by the council again?",
        "Status: done",
        "finished",
        "✅ done",
        "Done.",
    ],
)
def test_conversation_is_not_an_update(text):
    assert thread(text) is None
    assert digest(text) is None


# Evidence.


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "evidence: https://intranet.example/ppu-review.pdf",
            "https://intranet.example/ppu-review.pdf",
        ),
        (
            "Evidence: <https://intranet.example/ppu-review.pdf>",
            "https://intranet.example/ppu-review.pdf",
        ),
        ("evidence: <https://intranet.example/r.pdf|PPU review>", "https://intranet.example/r.pdf"),
        ("*evidence:* <https://a.example/q?x=1&y=2>", "https://a.example/q?x=1&y=2"),
        ("evidence - minutes of GAB, 25 Aug", "minutes of GAB, 25 Aug"),
        (
            "evidence: signed letter from ACC, filed in <https://sp.example/f|SharePoint>",
            "signed letter from ACC, filed in https://sp.example/f",
        ),
    ],
)
def test_evidence_only_updates(text, evidence):
    assert thread(text) == ParsedUpdate(None, None, "", evidence)


def test_empty_evidence_is_still_an_evidence_update_for_the_caller_to_refuse():
    assert thread("evidence:") == ParsedUpdate(None, None, "", "")


def test_urls_in_a_status_note_become_evidence():
    text = "done - see <https://a.example/r|report> and https://b.example/m.pdf."
    parsed = thread(text)
    assert parsed is not None
    assert parsed.note == "see <https://a.example/r|report> and https://b.example/m.pdf."
    assert parsed.evidence == "https://a.example/r https://b.example/m.pdf"


def test_evidence_colon_in_a_status_note():
    parsed = thread("done - training complete, evidence: <https://a.example/t|training log>")
    assert parsed is not None
    assert parsed.status == "implemented"
    assert parsed.evidence == "https://a.example/t"


def test_mentions_and_channels_are_not_evidence():
    parsed = thread("blocked - waiting on <@U0LA|la-lead> in <#C0GOV|governance>")
    assert parsed is not None
    assert parsed.evidence == ""


# status_from_word, as /recs set and /recs status use it.


@pytest.mark.parametrize(
    ("word", "status"),
    [
        *EVERY_WORD,
        *((s, s) for s in STATUSES),
        ("not-started", "not started"),
        ("Not_Started", "not started"),
        ("In  Progress", "in progress"),
        ("not-accepted", "not accepted"),
        ("*done*", "implemented"),
    ],
)
def test_status_from_word(word, status):
    assert status_from_word(word) == status


@pytest.mark.parametrize("word", ["", "finished", "evidence", "progress", "open", "donegal"])
def test_status_from_word_unknown(word):
    assert status_from_word(word) is None


# Properties.


@given(st.text(), st.booleans())
def test_parse_update_never_raises_and_only_yields_known_statuses(text, expect_id):
    parsed = parse_update(text, expect_id=expect_id)
    if parsed is not None:
        assert parsed.status is None or parsed.status in STATUSES
        assert parsed.note == parsed.note.strip()
        assert not expect_id or parsed.item_id is not None


@given(st.sampled_from(sorted(STATUS_WORDS)), st.text())
def test_any_note_after_a_status_word_and_colon_is_kept(word, note):
    parsed = parse_update(f"{word}: {note}", expect_id=False)
    assert parsed is not None
    assert parsed.status == STATUS_WORDS[word]
    assert parsed.note == note.strip()


# Near misses: a private hint with the form that works; conversation gets nothing.


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Status: done", "done"),
        ("status - in progress - training booked", "in progress: training booked"),
        ("finished", "done"),
        ("Finished!", "done"),
        ("✅ done", "done"),
        (":white_check_mark: done, all signed off", "done: all signed off"),
        ("Done.", "done"),
        ("done, thanks all", "done: thanks all"),
        ("in progress. Training booked", "in progress: Training booked"),
        ("stuck", "blocked: what it is waiting for"),
        ("CSE13-4 finished", "CSE13-04 done"),
    ],
)
def test_near_misses_get_the_form_that_works(text, form):
    assert thread(text) is None
    assert near_miss(text, expect_id=False) == form


def test_a_near_miss_in_a_thread_of_several_items_shows_the_id_first():
    assert near_miss("done: review completed", expect_id=True) == "ITEM-ID done: review completed"
    assert near_miss("Status: done", expect_id=True) == "ITEM-ID done"
    assert near_miss("CSE13-04 Done.", expect_id=True) == "CSE13-04 done"
    assert near_miss("Status: blocked", expect_id=False, item_id="CSE13-06") == (
        "blocked: what it is waiting for"
    )


@pytest.mark.parametrize(
    "text",
    [
        "done what we can but more is needed",
        "Done?",
        "thanks, will do",
        "finished the draft but not the review",
        "stuck on data sharing?",
        "close to finishing, nearly there",
        "in progressive steps",
        "done: training delivered",  # a real update is not a near miss
        "CSE13-04 in progress: on track",
        "",
    ],
)
def test_conversation_and_real_updates_are_not_near_misses(text):
    assert near_miss(text, expect_id=False) is None
