"""/figures: published district figures by period, with computed totals and disclosure control."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from commands.context import Context
from commands.dates import month_name, month_number
from commands.disclosure import Disclosure, plan_disclosure
from commands.districts import Districts
from commands.errors import BadInput, UnknownItem
from commands.figures_grid import FigureGrid, is_snapshot, metric_label
from commands.figures_rolling import rolling_table
from commands.figures_tables import (
    district_series,
    district_table,
    metric_series,
    metric_table,
    period_table,
    ranked_table,
)
from commands.importing.figures_parser import METRICS, normalise_metric
from commands.matching import resolve_choice, suggest
from commands.replies import ChartRequest, Notice, Table

HELP = """/figures — published figures by district
/figures — the latest month: districts × metrics, with the force total
/figures 2015-07 — the same for another month (also July 2015, jul)
/figures Rotherham — one district's metrics by month, with a trend and the change on the month before
/figures Rotherham referrals  or  /figures Rotherham jul — one metric, or one month, of a district
/figures referrals — one metric by district and month, with the force total
/figures referrals jul — one month ranked, highest first, with each district's share
/figures referrals 12m — the last twelve months added up by district, against the twelve before
When the same month a year earlier is held, answers compare with it ("on a year").
/figures Rotherham chart  or  /figures referrals chart — the same as a chart
Districts: {districts}.
Metrics: referrals, offences, charged or summonsed, cautions, live investigations, convictions.
Names can be shortened: /figures roth, /figures live inv."""

NO_FIGURES = (
    "No figures have been imported yet. An admin can load them with "
    "`govbot import-figures FILE` (a workbook or CSV of districts by month, a long-form CSV, or a "
    "report's tables), or by uploading a workbook to my DM."
)
_METRIC_NAMES = {metric_label(m): m for m in METRICS}
_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
NO_DISTRICTS = Districts(())  # to read a phrase as a metric only
_ROLLING = (["12m"], ["12", "months"], ["rolling"], ["rolling", "12m"])


@dataclass(frozen=True)
class _PeriodSpec:
    month: int
    year: int | None = None
    day: int | None = None

    def matches(self, period: str) -> bool:
        day = int(period[8:10]) if len(period) == 10 else None
        return (
            int(period[5:7]) == self.month
            and self.year in (None, int(period[:4]))
            and self.day in (None, day)
        )

    def describe(self) -> str:
        day = f"{self.day} " if self.day else ""
        year = f" {self.year}" if self.year else ""
        return f"{day}{month_name(self.month)}{year}"


def run_figures(ctx: Context, text: str) -> Table | Notice | ChartRequest:
    """Answer one /figures command."""
    words = text.split()
    if [w.lower() for w in words] == ["help"]:
        districts = ", ".join(ctx.settings.districts.with_other)
        return Notice(HELP.format(districts=districts), title="/figures help")
    with ctx.store.transaction() as store:
        figures = store.figures.all()
    if not figures:
        return Notice(NO_FIGURES, title="/figures")
    districts = ctx.settings.districts
    grid = FigureGrid.from_figures(figures, districts)
    disclosure = _disclosure(ctx, grid)
    chart = bool(words) and words[-1].lower() == "chart"
    if chart:
        words = words[:-1]
    if not words:
        if chart:
            raise BadInput("Say what to chart: /figures Rotherham chart, /figures referrals chart.")
        return _latest(grid, disclosure)
    if _period_spec(" ".join(words)) is not None:
        if chart:
            raise BadInput(
                "A chart shows a district or metric across periods: try /figures referrals chart."
            )
        return _month(grid, disclosure, " ".join(words))
    subject, rest = _split_subject(words, districts)
    if subject in grid.all_districts:
        return _district(grid, disclosure, subject, rest, chart)
    return _metric(grid, disclosure, subject, rest, chart)


def _disclosure(ctx: Context, grid: FigureGrid) -> Disclosure:
    below = ctx.settings.suppress_below
    if below <= 0:
        return Disclosure()
    if ctx.is_dm and ctx.is_admin:
        return Disclosure(waived_below=below)
    return plan_disclosure(grid.values, grid.total_groups(), below)


def _latest(grid: FigureGrid, disclosure: Disclosure) -> Table:
    months = grid.months()
    snapshots = [(m, grid.periods(metric=m)[-1]) for m in grid.metrics() if is_snapshot(m)]
    return period_table(grid, disclosure, months[-1] if months else None, snapshots)


def _month(grid: FigureGrid, disclosure: Disclosure, text: str) -> Table:
    month = resolve_period(text, sorted({p[:7] for p in grid.periods()}), "")
    snapshots = [
        (m, max(p for p in grid.periods(metric=m) if p.startswith(month)))
        for m in grid.metrics()
        if is_snapshot(m) and any(p.startswith(month) for p in grid.periods(metric=m))
    ]
    return period_table(grid, disclosure, month, snapshots)


def _district(
    grid: FigureGrid, disclosure: Disclosure, district: str, rest: list[str], chart: bool
) -> Table | Notice | ChartRequest:
    if not grid.periods(district=district):
        return Notice(f"No figures have been published for {district}.", title="/figures")
    if rest and not chart:
        return _district_detail(grid, disclosure, district, " ".join(rest))
    if rest:
        raise BadInput(f"A chart shows every month: try /figures {district} chart.")
    if chart:
        return ChartRequest(
            title=f"{district}: figures by month{_hidden_note(disclosure)}",
            series=district_series(grid, disclosure, district),
            filename=f"figures-{district.lower()}.png",
        )
    return replace(district_table(grid, disclosure, district), chart=f"/figures {district} chart")


def _district_detail(grid: FigureGrid, disclosure: Disclosure, district: str, text: str) -> Table:
    """`/figures Rotherham referrals` (one metric by month) or `/figures Rotherham jul`."""
    if _period_spec(text) is not None:
        month = _month(grid, disclosure, text)
        rows = tuple(r for r in month.rows if r[0] == district)
        return replace(month, title=f"{district} · {month.title}", rows=rows)
    metric = _match_phrase(text, NO_DISTRICTS)
    if metric is None or metric not in grid.metrics():
        raise BadInput(
            f"/figures {district} shows every month; “{text}” is neither a metric held nor a "
            f"month. Try /figures {district} referrals or /figures {district} jul."
        )
    table = district_table(grid, disclosure, district)
    rows = tuple(r for r in table.rows if r[0] == metric_label(metric))
    return replace(table, title=f"{district}: {metric_label(metric)} by month", rows=rows)


def _metric(
    grid: FigureGrid, disclosure: Disclosure, metric: str, rest: list[str], chart: bool
) -> Table | Notice | ChartRequest:
    name = metric_label(metric)
    periods = grid.periods(metric=metric)
    if not periods:
        with_data = ", ".join(metric_label(m) for m in grid.metrics())
        return Notice(
            f"No {name} figures have been imported. Figures held: {with_data}.", title="/figures"
        )
    if chart:
        if rest:
            raise BadInput(f"A chart shows every period: try /figures {name} chart.")
        return ChartRequest(
            title=f"{name.capitalize()} by district{_hidden_note(disclosure)}",
            series=metric_series(grid, disclosure, metric),
            filename=f"figures-{metric.replace('_', '-')}.png",
        )
    if not rest:
        return replace(metric_table(grid, disclosure, metric), chart=f"/figures {name} chart")
    if [w.lower() for w in rest] in _ROLLING:
        if is_snapshot(metric):
            raise BadInput(
                f"{name.capitalize()} are counts on a date: adding up twelve of them means "
                f"nothing. Try /figures {name}."
            )
        return rolling_table(grid, disclosure, metric)
    period = resolve_period(" ".join(rest), periods, name)
    return ranked_table(grid, disclosure, metric, period)


def _hidden_note(disclosure: Disclosure) -> str:
    return f" (values below {disclosure.below} hidden)" if disclosure.below else ""


def _split_subject(words: list[str], districts: Districts) -> tuple[str, list[str]]:
    """The district or metric the command starts with (either may take several words)."""
    for count in range(len(words), 1, -1):
        subject = _match_phrase(" ".join(words[:count]), districts)
        if subject is not None:
            return subject, words[count:]
    return _resolve_word(words[0], districts), words[1:]


def _match_phrase(phrase: str, districts: Districts) -> str | None:
    key = phrase.replace("_", " ").lower()
    metric = normalise_metric(key)
    if metric is not None:
        return metric
    district = districts.find(key)
    if district is not None:
        return district
    names = [*districts.with_other, *_METRIC_NAMES]
    exact = [n for n in names if n.lower() == key]
    prefixed = [n for n in names if n.lower().startswith(key)]
    chosen = exact or prefixed
    return _METRIC_NAMES.get(chosen[0], chosen[0]) if len(chosen) == 1 else None


def _resolve_word(word: str, districts: Districts) -> str:
    subject = _match_phrase(word, districts)
    if subject is not None:
        return subject
    names = [*districts.with_other, *_METRIC_NAMES]
    key = word.replace("_", " ").lower()
    if any(n.lower().startswith(key) for n in names):
        return resolve_choice(key, names, "district or metric")  # raises: ambiguous prefix
    hint = suggest(key, names)
    did_you_mean = f" Did you mean {hint}?" if hint else ""
    raise UnknownItem(
        f"Unknown district or metric “{word}”.{did_you_mean} "
        f"Districts: {', '.join(districts.with_other)}. Metrics: {', '.join(_METRIC_NAMES)}."
    )


def resolve_period(text: str, periods: list[str], metric_name: str) -> str:
    """The period among `periods` that `text` names; a month alone means its latest year."""
    spec = _period_spec(text)
    held = f"Periods with {metric_name} figures" if metric_name else "Periods with figures"
    listing = f"{held}: {', '.join(periods)}."
    if spec is None:
        raise BadInput(f"“{text}” is not a period: try 2015-07, July 2015 or jul. {listing}")
    matches = [p for p in periods if spec.matches(p)]
    if not matches:
        what = f"{metric_name} figures" if metric_name else "figures"
        raise BadInput(f"No {what} for {spec.describe()}. {listing}")
    return max(matches)


def _period_spec(text: str) -> _PeriodSpec | None:
    """Read 2015-07, 2015-07-31, July 2015, jul 2015, 31 Jul 2015 or jul; None if not a period."""
    words = text.replace(",", " ").lower().split()
    if len(words) == 1 and (iso := _ISO.fullmatch(words[0])):
        month = int(iso[2])
        day = int(iso[3]) if iso[3] else None
        return _PeriodSpec(month, int(iso[1]), day) if 1 <= month <= 12 else None
    parts: dict[str, int] = {}
    for word in words:
        part, value = _period_part(word)
        if part is None or part in parts:
            return None
        parts[part] = value
    if "month" not in parts:
        return None
    return _PeriodSpec(parts["month"], parts.get("year"), parts.get("day"))


def _period_part(word: str) -> tuple[str | None, int]:
    if re.fullmatch(r"\d{4}", word):
        return "year", int(word)
    if day := _DAY.fullmatch(word):
        return ("day", int(day[1])) if 1 <= int(day[1]) <= 31 else (None, 0)
    month = month_number(word)
    return ("month", month) if month else (None, 0)
