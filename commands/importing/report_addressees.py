"""Who a recommendation is addressed to, as the report writes it (pure, no I/O).

A national report addresses some recommendations to chief constables or all forces (the force
delivers them) and others to the Home Office, the College of Policing or an NPCC lead (kept on
the register to watch, but not the force's to deliver).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOCAL = (
    r"chief\s+constables?",
    r"all\s+(?:police\s+)?forces",
    r"(?:every|each)\s+(?:police\s+)?force",
    r"(?:all\s+)?(?:police\s+|fire\s+and\s+rescue\s+)?forces",
    r"the\s+(?:police\s+)?force",
    r"the\s+constabulary",
    r"(?:the|all|fire\s+and\s+rescue)\s+services",
    r"the\s+(?:fire\s+and\s+rescue\s+)?service",
    r"chief\s+fire\s+officers?",
    r"(?:all\s+)?(?:police(?:,\s+fire)?\s+and\s+crime\s+commissioners|PCCs|PFCCs|the\s+PCC)",
    r"fire\s+and\s+rescue\s+authorities",
)
_NATIONAL = (
    r"the\s+Home\s+Office",
    r"the\s+Home\s+Secretary",
    r"the\s+(?:UK\s+)?Government",
    r"the\s+College\s+of\s+Policing",
    r"the\s+NPCC(?:\s+leads?(?:\s+for\s+[a-z ,'-]+?(?=\s*(?:,|$)|\s+(?:should|must|and|needs)))?)?",
    r"the\s+National\s+Police\s+Chiefs['’]?\s+Council(?:\s+lead(?:\s+for\s+[a-z ,'-]+?)?)?",
    r"(?:the\s+)?NPCC\s+leads?(?:\s+for\s+[a-z ,'-]+?(?=\s*(?:,|$)|\s+(?:should|must|and|needs)))?",
    r"the\s+National\s+Fire\s+Chiefs\s+Council|the\s+NFCC",
    r"the\s+Ministry\s+of\s+Justice",
    r"the\s+Crown\s+Prosecution\s+Service|the\s+CPS",
    r"the\s+Independent\s+Office\s+for\s+Police\s+Conduct|the\s+IOPC",
    r"(?:the\s+)?HM\s+Prison\s+and\s+Probation\s+Service|HMPPS",
    r"the\s+Department\s+(?:for|of)\s+[A-Z][A-Za-z ,]+?(?=\s+(?:should|must|and|,)|\s*$)",
    r"NHS\s+England",
    r"the\s+National\s+Crime\s+Agency|the\s+NCA",
    r"the\s+Association\s+of\s+Police\s+and\s+Crime\s+Commissioners|the\s+APCC",
    r"the\s+Office\s+of\s+the\s+Police\s+Chief\s+Scientific\s+Adviser",
    r"local\s+authorities",
)
# "South Yorkshire Police", "Blankshire Fire and Rescue Service": a named force is the force.
_NAMED_FORCE = re.compile(
    r"\b(?:[A-Z][a-z]+(?:\s+and|\s+&)?\s+){1,4}"
    r"(?:Police(?:\s+Service)?|Constabulary|Fire\s+and\s+Rescue\s+Service|Fire\s+&\s+Rescue\s+Service)\b"
)
_BODY = re.compile(
    "|".join(f"(?P<l{i}>\\b{p}\\b)" for i, p in enumerate(_LOCAL))
    + "|"
    + "|".join(f"(?P<n{i}>\\b{p}\\b)" for i, p in enumerate(_NATIONAL)),
    re.I,
)
_RECOMMEND_THAT = re.compile(r"\brecommends?\s+that\b[,\s]*", re.I)
_VERB = re.compile(
    r"\b(?:should|must|needs?\s+to|ought\s+to|is\s+to|are\s+to|will|to\s+work)\b|:|\.\s", re.I
)
_CLAUSE_WORDS = 24
_JOINER = re.compile(r"\s*(?:,|,?\s*(?:and|&|or|with|(?:working|together)\s+with))?\s*", re.I)


@dataclass(frozen=True)
class Addressee:
    """Who is asked to act, as written, and whether that is the force (or service) itself."""

    text: str = ""
    force_delivers: bool = True


def addressee_of(text: str) -> Addressee:
    """The body or bodies the recommendation's opening clause asks to act."""
    clause = _subject_clause(text)
    bodies = [(m.start(), m.end(), (m.lastgroup or "l")[0]) for m in _BODY.finditer(clause)]
    bodies += [(m.start(), m.end(), "l") for m in _NAMED_FORCE.finditer(clause)]
    bodies.sort()
    if not bodies:
        return Addressee()
    run = [bodies[0]]
    for body in bodies[1:]:
        between = clause[run[-1][1] : body[0]]
        if body[0] < run[-1][1]:
            run[-1] = max(run[-1], body, key=lambda b: b[1] - b[0])
        elif _JOINER.fullmatch(between):
            run.append(body)
        else:
            break
    written = " ".join(clause[run[0][0] : run[-1][1]].split())
    if written.startswith(("The ", "All ")):  # capitalised only because it opens the sentence
        written = written[0].lower() + written[1:]
    national_only = all(kind == "n" for _, _, kind in run)
    return Addressee(written, force_delivers=not national_only)


def _subject_clause(text: str) -> str:
    """The words naming who acts: after "recommend(s) that", up to the first "should"/":"."""
    start = 0
    if match := _RECOMMEND_THAT.search(text):
        start = match.end()
    else:
        for sentence in re.finditer(r"[^.]+", text):
            if _VERB.search(sentence.group(0)) and _BODY.search(sentence.group(0)):
                start = sentence.start()
                break
    rest = text[start:]
    verb = _VERB.search(rest)
    clause = rest[: verb.start()] if verb else rest
    return " ".join(clause.split()[:_CLAUSE_WORDS])
