from collections import Counter
from pathlib import Path

import pytest

from commands.importing.report_items import Candidate
from commands.importing.report_parser import extract_items

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference"
CSE_2013 = REFERENCE / "2013_hmic-syp-response-to-cse.txt"
REVIEW_2015 = REFERENCE / "2015_hmic-ncp-post-inspection-review_findings.txt"


def parse_report(text: str) -> list[Candidate]:
    return list(extract_items(text).items)


def _read(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"reference report not found: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cse13() -> list[Candidate]:
    return parse_report(_read(CSE_2013))


@pytest.fixture(scope="module")
def review15() -> list[Candidate]:
    return parse_report(_read(REVIEW_2015))


def _containing(recs: list[Candidate], phrase: str) -> Candidate:
    (rec,) = [r for r in recs if phrase in r.text]
    return rec


# The 2013 CSE report: a closing "Recommendations" section grouped by timescale


def test_cse13_yields_exactly_15_recommendations_by_timescale(
    cse13: list[Candidate],
) -> None:
    assert [r.number for r in cse13] == list(range(1, 16))
    assert Counter(r.timescale for r in cse13) == {
        "immediately": 5,
        "within three months": 4,
        "within six months": 6,
    }
    assert [r.timescale for r in cse13] == sorted(
        (r.timescale for r in cse13),
        key=["immediately", "within three months", "within six months"].index,
    )


def test_cse13_takes_the_closing_section_not_the_contents_list(
    cse13: list[Candidate],
) -> None:
    assert cse13[0].line == 741
    assert cse13[0].text.startswith("The force should review the management of cases by staff")
    assert cse13[-1].line == 773
    assert cse13[-1].text.endswith(
        "(because of incompatible information and intelligence IT systems) should be resolved."
    )


def test_cse13_keeps_each_paragraph_whole(cse13: list[Candidate]) -> None:
    assert cse13[2].text == (
        "Failure to fill a vacant post in the Rotherham team that manages sex offenders means "
        "that the remaining officers face an unmanageable workload. The force should review "
        "the team to ensure that it has sufficient staff to manage sex offenders in line with "
        "national guidance."
    )
    assert cse13[2].line == 745


@pytest.mark.parametrize(
    ("phrase", "area"),
    [
        ("review the management of cases by staff", "Compliance"),
        ("delay in deploying the ten additional", "Structures"),
        ("Failure to fill a vacant post in the Rotherham team", "Structures"),
        ("staffing arrangements within the Hi-Tech Crime Unit", "Processes"),
        ("audit its response to child sexual exploitation", "Strategies"),
        ("review its internal communication", "Leadership"),
        ("review the tool used to assess the risk", "Processes"),
        ("translate the PCC's strategic priorities", "Strategies"),
        ("review the workloads of all staff within public protection units", "Structures"),
        ("review its training plan", "Training"),
        ("review the processes in place to respond", "Structures"),
        ("operation of its local intelligence units", "Strategies"),
        ("better use of research and analysis", "Strategies"),
        ("monitors the internet", "Intelligence gathering"),
        ("The force and its partners should examine", "Intelligence gathering"),
    ],
)
def test_cse13_area_is_the_section_whose_area_for_improvement_it_repeats(
    cse13: list[Candidate], phrase: str, area: str
) -> None:
    assert _containing(cse13, phrase).area == area


# The 2015 post-inspection review: OCR'd "We recommend that ..." paragraphs


EXPECTED_2015 = [
    ("Initial contact", "immediately"),
    ("Initial contact", "within three months"),
    ("Initial contact", "within six months"),
    *[("Assessment and help", "immediately")] * 3,
    *[("Assessment and help", "within six months")] * 2,
    *[("Investigation", "immediately")] * 2,
    *[("Decision making", "within three months")] * 3,
    ("Police detention", "immediately"),
    ("Leadership, management and governance", "within six months"),
    ("Recommendations", ""),
]


def test_review15_yields_15_inspection_recommendations_and_the_reviews_own(
    review15: list[Candidate],
) -> None:
    assert [(r.area, r.timescale) for r in review15] == EXPECTED_2015
    assert [r.number for r in review15] == list(range(1, 17))
    assert [r.line for r in review15] == [
        28,
        33,
        38,
        91,
        96,
        100,
        109,
        113,
        244,
        248,
        285,
        289,
        299,
        351,
        437,
        512,
    ]


def test_review15_each_bullet_after_a_lead_in_completes_the_sentence(
    review15: list[Candidate],
) -> None:
    first, second, third = review15[3:6]
    assert first.text == (
        "We recommend that South Yorkshire Police immediately undertakes a review of any "
        "concerns raised about children in care homes across the force area and brought to "
        "the attention of the police, to ensure that there are safeguarding plans in place for "
        "those children at risk of serious harm to themselves or to others"
    )
    assert second.text.startswith(
        "We recommend that South Yorkshire Police immediately takes action"
    )
    assert second.text.endswith("against children in care homes")
    assert third.text.endswith("with the local safeguarding children board.")


def test_review15_lead_in_after_a_page_break_and_hyphenated_wrap(
    review15: list[Candidate],
) -> None:
    adolescents = review15[7]
    assert adolescents.text == (
        "We recommend that, within six months, South Yorkshire Police improves staff awareness "
        "of their responsibilities for protecting adolescent children — in particular, where "
        "cases are complex and require a multi-agency approach."
    )


def test_review15_heading_with_a_leading_space_after_a_footnote(
    review15: list[Candidate],
) -> None:
    assert review15[8].text.startswith(
        "We recommend that South Yorkshire Police immediately ensures that joint investigation "
        "teams involve health expertise in their decision making, and that the health needs"
    )
    assert review15[8].area == "Investigation"


def test_review15_sub_bullets_stay_with_their_bullet(review15: list[Candidate]) -> None:
    records, guidance, quality = review15[10:13]
    assert records.text.endswith("to improve their risk assessments")
    assert guidance.text == (
        "We recommend that, within three months, South Yorkshire Police ensures that all "
        "relevant information is properly recorded in all cases where there are concerns about "
        "the welfare of children and, as a minimum, provides guidance to staff on:\n"
        "- what information (and in what form) should be recorded on systems to enable good "
        "decisions\n"
        "- maintaining up-to-date and timely records\n"
        "- recording and communicating decisions reached at meetings"
    )
    assert quality.text == (
        "We recommend that, within three months, South Yorkshire Police ensures that managers "
        "carry out quality assurance checks on records and provide feedback to police officers "
        "and staff."
    )


def test_review15_police_detention_is_one_recommendation_with_seven_parts(
    review15: list[Candidate],
) -> None:
    detention = review15[13]
    head, *parts = detention.text.split("\n- ")
    assert head == (
        "We recommend that South Yorkshire Police immediately undertakes a review (with other "
        "relevant agencies) of how the force manages the detention of children. This review "
        "should include, as a minimum, how best to:"
    )
    assert len(parts) == 7
    assert parts[1].endswith("ensure that the details are recorded on the custody record")
    assert parts[5].endswith("to achieve the best option for the child")
    assert parts[6] == (
        "work with its constituent local authorities to ensure that no child who is looked "
        "after by a local authority is refused accommodation by them."
    )
    assert "11" not in detention.text


def test_review15_closing_recommendation_has_no_timescale(
    review15: list[Candidate],
) -> None:
    closing = review15[-1]
    assert closing.text.startswith("We recommend that South Yorkshire Police continues to work")
    assert closing.text.endswith(
        "provide regular reports on progress to the Police and Crime Commissioner."
    )
    assert (closing.area, closing.timescale) == ("Recommendations", "")


def test_review15_has_no_ocr_noise_or_review_findings(review15: list[Candidate]) -> None:
    for rec in review15:
        assert "  " not in rec.text
        assert not any(part.startswith(("e ", "¢ ")) for part in rec.text.split("\n- ")[1:])
        assert "Summary" not in rec.text
        assert "Inspectors" not in rec.text


# Small texts of each shape


GROUPED = """Contents

Executive summary\t1
Custody\t2
Cells\t2
Area for improvement\t2
Training\t3
Courses\t3
Area for improvement\t3
Recommendations\t4
Immediately\t4

Executive summary

Area for improvement

The force should evaluate its custody training and record cell checks.

Custody

Cells

The cells are clean.

Area for improvement

Nobody records cell checks. The force should record every cell check.

Courses

Officers have had one session.

Area for improvement

Nobody checks what was learnt. The force should evaluate its custody training.

Recommendations

Immediately

The force should evaluate its custody training.

Within twelve months

The force should record every cell check
in the custody suites.

Within 3 months

The force should
brief all staff, and

make sure the briefing is recorded.

Annex A: Terms of reference

The inspection will examine custody.
"""


def test_grouped_section_with_wrapped_paragraphs_and_digit_timescales() -> None:
    recs = parse_report(GROUPED)
    assert [(r.number, r.timescale, r.text, r.line) for r in recs] == [
        (1, "immediately", "The force should evaluate its custody training.", 41),
        (
            2,
            "within twelve months",
            "The force should record every cell check in the custody suites.",
            45,
        ),
        (
            3,
            "within three months",
            "The force should brief all staff, and make sure the briefing is recorded.",
            50,
        ),
    ]


def test_grouped_area_is_the_top_level_section_of_the_matching_improvement() -> None:
    # "Training" has no heading of its own in the body and "Custody" only a sub-heading; the
    # executive summary's restatement is not a source; nothing matches the third.
    assert [r.area for r in parse_report(GROUPED)] == ["Training", "Custody", ""]


PARAGRAPHS = """1. Findings

Custody
Recommendations from inspection report

We recommend that, within 12 months, the force:

• reviews how children are detained; and

• improves the recording of ‘appropriate adult’ calls.

Summary

The force reviewed detention.
"""


def test_paragraphs_split_on_unicode_bullets() -> None:
    recs = parse_report(PARAGRAPHS)
    assert [(r.area, r.timescale, r.text, r.line) for r in recs] == [
        (
            "Custody",
            "within twelve months",
            "We recommend that, within 12 months, the force reviews how children are detained",
            8,
        ),
        (
            "Custody",
            "within twelve months",
            "We recommend that, within 12 months, the force improves the recording of "
            "‘appropriate adult’ calls.",
            10,
        ),
    ]


def test_a_complete_recommendation_keeps_its_bullets_as_parts() -> None:
    text = (
        "Custody\nRecommendations from inspection report\n\n"
        "We recommend that the force immediately reviews custody. The review should cover:\n"
        "e  meals;\n¢ sleep; and\n\n14\n\n e release.\n"
    )
    (rec,) = parse_report(text)
    assert rec.timescale == "immediately"
    assert rec.text == (
        "We recommend that the force immediately reviews custody. The review should cover:\n"
        "- meals\n- sleep\n- release."
    )


def test_nested_bullets_end_when_a_top_level_verb_returns() -> None:
    text = (
        "We recommend that the force:\n"
        "e trains staff;\n"
        "e issues guidance on:\n"
        "e what to record;\n"
        "e when to record it; and\n"
        "e audits records.\n"
    )
    recs = parse_report(text)
    assert [r.text for r in recs] == [
        "We recommend that the force trains staff",
        "We recommend that the force issues guidance on:\n- what to record\n- when to record it",
        "We recommend that the force audits records.",
    ]
    assert [r.area for r in recs] == ["", "", ""]
    assert [r.timescale for r in recs] == ["", "", ""]


def test_a_text_without_recommendations_gives_no_items_and_no_error() -> None:
    assert extract_items("Summary\n\nThe force has improved.\n").items == ()
    assert extract_items("") == extract_items("\n\n")
    assert extract_items("").items == ()


def test_parsing_is_deterministic_and_ignores_line_endings() -> None:
    cse = _read(CSE_2013)
    assert parse_report(cse) == parse_report(cse)
    assert parse_report(cse.replace("\n", "\r\n")) == parse_report(cse)
    review = _read(REVIEW_2015)
    assert parse_report(review.replace("\n", "\r\n")) == parse_report(review)
