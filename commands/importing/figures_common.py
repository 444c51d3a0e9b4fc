"""Names shared by the figures parsers: metrics, parse results, errors and cell readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commands.districts import DEFAULT_DISTRICTS, Districts

METRICS: tuple[str, ...] = (
    "referrals",
    "offences",
    "charged_or_summonsed",
    "cautions",
    "live_investigations",
    "convictions",
)
SNAPSHOT_METRICS = frozenset({"live_investigations"})
_TOTAL_NAMES = frozenset({"total", "totals", "force total", "grand total"})
# OCR sometimes reads Latin letters as their Cyrillic twins ("Мау" for "May").
_LATIN_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХаеорсухіјѕ", "ABEKMHOPCTYXaeopcyxijs")
_FOOTNOTE_MARKS = re.compile(r"\^\{[^}]*\}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_METRIC_ALIASES: dict[str, str] = {
    **{metric.replace("_", " "): metric for metric in METRICS},
    "referral": "referrals",
    "offence": "offences",
    "charged or summonsed to court": "charged_or_summonsed",
    "caution": "cautions",
    "live investigation": "live_investigations",
    "active cse offences": "live_investigations",
    "active investigations": "live_investigations",
    "conviction": "convictions",
}


@dataclass(frozen=True)
class ParsedFigure:
    district: str
    metric: str
    period: str
    value: int
    line: int


@dataclass(frozen=True)
class PrintedTotal:
    metric: str
    period: str
    value: int
    line: int


@dataclass(frozen=True)
class FiguresParse:
    figures: tuple[ParsedFigure, ...]
    totals: tuple[PrintedTotal, ...]


class FiguresParseError(ValueError):
    """Bad figures input, with the 1-based line it was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class Collector:
    """Accumulates figures and printed totals, refusing the same key twice."""

    def __init__(self) -> None:
        self.figures: list[ParsedFigure] = []
        self.totals: list[PrintedTotal] = []
        self._seen: dict[tuple[str, str, str], int] = {}

    def add(self, district: str | None, metric: str, period: str, value: int, line: int) -> None:
        key = (district or "Total", metric, period)
        if key in self._seen:
            raise FiguresParseError(
                line, f"{' '.join(key)} appears twice (first on line {self._seen[key]})"
            )
        self._seen[key] = line
        if district is None:
            self.totals.append(PrintedTotal(metric, period, value, line))
        else:
            self.figures.append(ParsedFigure(district, metric, period, value, line))

    def result(self) -> FiguresParse:
        if not self.figures:
            raise FiguresParseError(1, "no figures found")
        return FiguresParse(tuple(self.figures), tuple(self.totals))


def normalise_district(name: str, districts: Districts = DEFAULT_DISTRICTS) -> str | None:
    """The canonical district for a name as printed, or None ("Total" is not a district)."""
    return districts.find(_district_key(name))


def is_total_label(name: str) -> bool:
    """Whether a row or column label names a printed total ("Total", "Force total")."""
    return _district_key(name) in _TOTAL_NAMES


def normalise_metric(name: str) -> str | None:
    """The metric for a header or name as printed, accepting unambiguous prefixes of 4+ letters."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name).lower()).split())
    if key in _METRIC_ALIASES:
        return _METRIC_ALIASES[key]
    matches = {metric for alias, metric in _METRIC_ALIASES.items() if alias.startswith(key)}
    return matches.pop() if len(key) >= 4 and len(matches) == 1 else None


def metric_in_text(text: str) -> str | None:
    """The one measure a heading or name mentions ("CSE referrals 2015/16" → referrals)."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text).lower()).split())
    exact = normalise_metric(key)
    if exact is not None:
        return exact
    found = {m for alias, m in _METRIC_ALIASES.items() if re.search(rf"\b{alias}\b", key)}
    return found.pop() if len(found) == 1 else None


def split_lines(text: str) -> list[str]:
    """The text's lines, without a byte-order mark or carriage returns."""
    # split("\n"), not splitlines(): form feeds in OCR text must not shift line numbers.
    return [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]


def fold(text: str) -> str:
    """The text with Cyrillic look-alikes of Latin letters read as Latin."""
    return text.translate(_LATIN_LOOKALIKES)


def _district_key(name: str) -> str:
    return _FOOTNOTE_MARKS.sub("", fold(name)).strip().lower()


def row_district(name: str, line: int, districts: Districts = DEFAULT_DISTRICTS) -> str | None:
    """The district a row is for, None for a total row; unknown names raise."""
    if is_total_label(name):
        return None
    district = normalise_district(name, districts)
    if district is None:
        raise FiguresParseError(line, unknown_district_message(name, districts))
    return district


def unknown_district_message(name: str, districts: Districts) -> str:
    """What to say about a district name that is not the force's: the closest, then the list."""
    hint = districts.closest(_district_key(name))
    did_you_mean = f"did you mean {hint}? " if hint else ""
    valid = ", ".join(districts.with_other)
    return f"unknown district {name!r} ({did_you_mean}valid: {valid}, or Total)"


def known_metric(name: str, line: int) -> str:
    """The metric for a name as printed; unknown names raise."""
    metric = normalise_metric(name)
    if metric is None:
        raise FiguresParseError(line, f"unknown metric {name!r} (valid: {', '.join(METRICS)})")
    return metric


def parse_count(text: str, line: int) -> int:
    """A whole, non-negative count, commas allowed as thousands separators."""
    if _COUNT.fullmatch(text):
        return int(text.replace(",", ""))
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        raise FiguresParseError(line, f"value must not be negative: {text!r}")
    raise FiguresParseError(line, f"value must be a whole number: {text!r}")


def is_real_period(text: str) -> bool:
    """Whether a YYYY-MM or YYYY-MM-DD period names a real month or day."""
    try:
        date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return False
    return True
