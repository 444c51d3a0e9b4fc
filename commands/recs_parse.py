"""Reading the text of a /recs command into a request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from commands.dates import date_prefix, parse_date
from commands.errors import BadInput
from commands.items import looks_like_item_id, normalise_item_id
from commands.matching import resolve_choice, suggest
from commands.thread_grammar import status_from_word
from commands.timescales import timescale_length
from storage.models import DISTRICTS

ACTIONS = (
    "summary",
    "overdue",
    "due",
    "mine",
    "lead",
    "status",
    "district",
    "districts",
    "source",
    "search",
    "set",
    "assign",
    "due-date",
    "evidence",
    "post",
    "export",
    "report",
    "response",
    "add",
    "edit",
    "page",
    "help",
    "remind",
    "subscribe",
    "unsubscribe",
    "subscriptions",
)
MAX_COUNT_DIGITS = 6
_MENTION = re.compile(r"^@?([UW][A-Z0-9]{5,})$")


@dataclass(frozen=True)
class Filters:
    mine: bool = False
    leads: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    overdue: bool = False
    due_within: int | None = None
    page: int = 1


@dataclass(frozen=True)
class RecsRequest:
    # summary | list | detail | set | assign | due-date | evidence | post | export | response
    # | add | edit | help
    action: str
    item_id: str = ""
    status: str | None = None
    text: str = ""
    users: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()  # `districts`: the item's districts, none for force-wide
    on: date | None = None
    filters: Filters = field(default_factory=Filters)


_PAGE = re.compile(r"(?i)(?:^|\s)page\s+\S+")


def without_page(text: str) -> str:
    """The command text with any `page N` taken out."""
    return " ".join(_PAGE.sub(" ", text).split())


def with_page(text: str, page: int) -> str:
    """The list command text asking for page `page` (first, as `search` takes the words after it)."""
    return f"page {page} {without_page(text)}".strip()


def mention_user(token: str) -> str | None:
    """The user id in “@U123” (the listener turns Slack's “<@U123|name>” into it), or None."""
    match = _MENTION.match(token)
    return match.group(1) if match else None


def parse_recs(text: str, districts: tuple[str, ...] = DISTRICTS) -> RecsRequest:
    """Parse the words after /recs (`districts`: the force's, for the district filter)."""
    words = text.split()
    if not words or words[0].lower() == "summary" and len(words) == 1:
        return RecsRequest("summary")
    head = words[0].lower()
    rest = words[1:]
    if head == "help":
        return RecsRequest("help")
    if head == "add":
        if rest:
            raise BadInput("`/recs add` opens a form and takes no words (offline: `govbot add …`).")
        return RecsRequest("add")
    if head in ("set", "assign", "due-date", "evidence", "post", "edit"):
        return _parse_change(head, rest)
    if head == "export":
        fmt = rest[0].lower() if rest and rest[0].lower() in ("csv", "xlsx") else ""
        filters = _parse_filters(rest[1:] if fmt else rest, districts)
        return RecsRequest("export", text=fmt, filters=filters)
    if head == "response":
        return _parse_response(rest)
    if head == "districts":
        return _parse_districts(rest, districts)
    if head == "report":
        if len(rest) != 1:
            raise BadInput("Which source? Usage: `/recs report CSE13`")
        return RecsRequest("report", item_id=rest[0].upper())
    if head in ("remind", "subscribe", "unsubscribe", "subscriptions"):
        return RecsRequest(head, text=" ".join(rest))
    if looks_like_item_id(head) and len(words) == 1:
        return RecsRequest("detail", item_id=normalise_item_id(head) or head)
    return RecsRequest("list", filters=_parse_filters(words, districts))


def _parse_change(action: str, rest: list[str]) -> RecsRequest:
    usage = {
        "set": "`/recs set CSE13-04 in progress note…`",
        "assign": "`/recs assign CSE13-04 @user`",
        "due-date": "`/recs due-date CSE13-04 2026-12-31 reason…`",
        "evidence": "`/recs evidence CSE13-04 https://… or a description`",
        "post": "`/recs post CSE13-04`",
        "edit": "`/recs edit CSE13-04`",
    }[action]
    if not rest or not looks_like_item_id(rest[0]):
        raise BadInput(f"Which item? Usage: {usage}")
    item_id = normalise_item_id(rest[0]) or rest[0]
    args = rest[1:]
    if action in ("post", "edit"):
        return RecsRequest(action, item_id=item_id)
    if action == "assign":
        users = tuple(u for u in (mention_user(a) for a in args) if u)
        if not users or len(users) != len(args):
            raise BadInput(f"Name the lead with an @mention. Usage: {usage}")
        return RecsRequest("assign", item_id=item_id, users=users)
    if action == "due-date":
        if not args:
            raise BadInput(f"Give the new date and a reason. Usage: {usage}")
        on, used = date_prefix(args, "due date")
        if on is None:
            on, used = parse_date(args[0], "due date"), 1  # refuses it, naming the forms
        return RecsRequest("due-date", item_id=item_id, on=on, text=" ".join(args[used:]))
    if action == "evidence":
        if not args:
            raise BadInput(f"What is the evidence? Usage: {usage}")
        return RecsRequest("evidence", item_id=item_id, text=" ".join(args))
    status, used = _status_prefix(args)
    if status is None:
        raise BadInput(f"Which status? Usage: {usage}. Statuses: {_status_choices()}.")
    note = " ".join(args[used:]).lstrip(":-–— ").strip()
    return RecsRequest("set", item_id=item_id, status=status, text=note)


FORCE_WIDE_WORDS = ("force-wide", "forcewide", "all", "none")


def _parse_districts(rest: list[str], districts: tuple[str, ...]) -> RecsRequest:
    usage = f"`/recs districts CSE13-04 Rotherham Sheffield` or `… force-wide`. Districts: {', '.join(districts)}."
    if not rest or not looks_like_item_id(rest[0]):
        raise BadInput(f"Which item? Usage: {usage}")
    names = " ".join(rest[1:]).replace(",", " ").split()
    if not names:
        raise BadInput(f"Which districts? Usage: {usage}")
    item_id = normalise_item_id(rest[0]) or rest[0]
    if len(names) == 1 and names[0].lower() in FORCE_WIDE_WORDS:
        return RecsRequest("districts", item_id=item_id)
    chosen = tuple(dict.fromkeys(resolve_choice(n, districts, "district") for n in names))
    return RecsRequest("districts", item_id=item_id, districts=chosen)


def _parse_response(rest: list[str]) -> RecsRequest:
    usage = "`/recs response CSE13 published [YYYY-MM-DD]`"
    if len(rest) < 2 or rest[1].lower() != "published":
        raise BadInput(f"Usage: {usage}")
    on = parse_date(" ".join(rest[2:]), "publication date") if len(rest) > 2 else None
    return RecsRequest("response", item_id=rest[0].upper(), on=on)


def _status_choices() -> str:
    return "not started, in progress, blocked, done (implemented), closed, superseded, not accepted"


def _status_prefix(words: list[str]) -> tuple[str | None, int]:
    """The status the first one to three words name, and how many words it took."""
    for length in (3, 2, 1):
        if len(words) >= length:
            phrase = " ".join(words[:length]).rstrip(":,-").lower()
            status = status_from_word(phrase)
            if status:
                return status, length
    return None, 0


def _parse_filters(words: list[str], districts: tuple[str, ...]) -> Filters:
    f: dict = {"leads": [], "statuses": [], "districts": [], "sources": [], "words": []}
    flags: dict = {}
    i = 0
    while i < len(words):
        word = words[i].lower()
        nxt = words[i + 1] if i + 1 < len(words) else None
        if word == "search":
            if i + 1 >= len(words):
                raise BadInput("Search for what? e.g. `/recs search training`")
            f["words"].extend(w.lower() for w in words[i + 1 :])
            break
        if word in ("mine", "my"):
            flags["mine"] = True
        elif word == "overdue":
            flags["overdue"] = True
        elif word == "due":
            days, used = _due_window(words[i + 1 : i + 3])
            flags["due_within"] = days
            i += used
        elif word == "page":
            page = _count(nxt)
            if not page:
                raise BadInput("Which page? e.g. `/recs overdue page 2`")
            flags["page"] = page
            i += 1
        elif word == "lead":
            user = mention_user(nxt or "")
            if not user:
                raise BadInput("Whose items? e.g. `/recs lead @name`")
            f["leads"].append(user)
            i += 1
        elif word == "status":
            status, used = _status_prefix(words[i + 1 :])
            if status is None:
                raise BadInput(f"Unknown status “{nxt or ''}”. Statuses: {_status_choices()}.")
            f["statuses"].append(status)
            i += used
        elif word == "district":
            if nxt is None:
                raise BadInput(f"Which district? {', '.join(districts)}.")
            f["districts"].append(resolve_choice(nxt, districts, "district"))
            i += 1
        elif word == "source":
            if nxt is None:
                raise BadInput("Which source? e.g. `/recs source CSE13`")
            f["sources"].append(nxt.upper())
            i += 1
        elif word in (known := {d.lower(): d for d in districts}):
            f["districts"].append(known[word])
        else:
            raise BadInput(_unknown_word(words[i], districts))
        i += 1
    return Filters(**{k: tuple(v) for k, v in f.items()}, **flags)


_UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def _due_window(words: list[str]) -> tuple[int, int]:
    """Days ahead that “due …” asks about (30 if it says none), and how many words it took.

    `due 90`, `due 2 weeks`, `due three months`, `due next month`: the counting words are the
    timescale parser's, so they read as a report's "within three months" does.
    """
    days = _count(words[0] if words else None)
    if days is not None and (len(words) < 2 or words[1].lower().rstrip("s") not in _UNIT_DAYS):
        return days, 1
    phrase = " ".join(words[:2]).lower().replace("next ", "one ").replace("this ", "one ")
    length = timescale_length(f"within {phrase}")
    if length is None and words and words[0].lower() in ("next", "this"):
        raise BadInput("Due when? e.g. `/recs due next month`, `/recs due 2 weeks`, `/recs due 90`")
    if length is None:
        return 30, 0
    count, unit = length
    return count * _UNIT_DAYS[unit], 2


def _count(word: str | None) -> int | None:
    """A number of days or a page typed in digits, or None."""
    # isdigit() accepts "²", which int() refuses, and int() refuses 4,301 digits or more
    if word is None or not word.isdecimal() or len(word) > MAX_COUNT_DIGITS:
        return None
    return int(word)


def _unknown_word(word: str, districts: tuple[str, ...]) -> str:
    hint = suggest(word, ACTIONS + districts)
    did_you_mean = f" Did you mean “{hint}”?" if hint else ""
    return (
        f"I don't know “{word}”.{did_you_mean} Try `/recs help`: summary, overdue, due [N], "
        "an item id, mine, lead @user, status …, district …, source …, search …"
    )
