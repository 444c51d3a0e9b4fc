"""A workbook of figures uploaded to the bot's DM, and a force other than South Yorkshire,
end to end: signed events, clicks and slash commands against the running bot and a fake Slack."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from openpyxl import Workbook

from bot.render.figures_import import FIGURES_CANCEL, FIGURES_IMPORT
from commands.districts import parse_districts
from tests.e2e.test_report_upload import click, previews, updates, upload
from tests.harness import RunningBot, answer_text, card_values, running_bot

WEST_YORKSHIRE = "Bradford;Calderdale;Kirklees;Leeds=Leeds District|Leeds LPA;Wakefield"
DISTRICTS = ("Bradford", "Calderdale", "Kirklees", "Leeds District", "Wakefield")
MONTHS = ("Apr-15", "May-15", "Jun-15")


def workbook(wrong_total: bool = False) -> bytes:
    """Referrals and offences for West Yorkshire's five districts, each with a Total row."""
    book = Workbook()
    for sheet_index, title in enumerate(("Referrals", "Offences")):
        sheet = book.active if sheet_index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(["District", *MONTHS])
        rows = [[10 * (n + 1) + m + sheet_index for m in range(3)] for n in range(5)]
        for name, values in zip(DISTRICTS, rows, strict=True):
            sheet.append([name, *values])
        totals = [sum(column) for column in zip(*rows, strict=True)]
        if wrong_total and title == "Referrals":
            totals[2] += 1
        sheet.append(["Total", *totals])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.fixture
def bot(tmp_path, fake_slack, stores) -> Iterator[RunningBot]:
    districts = parse_districts(WEST_YORKSHIRE)
    with running_bot(tmp_path, fake_slack, store=stores.new(), districts=districts) as running:
        yield running


def _lines(answer: dict) -> list[str]:
    return answer_text(answer).splitlines()


def test_upload_preview_import_then_figures_for_five_other_districts(bot):
    upload(bot, "wy-monthly.xlsx", workbook(wrong_total=True))
    [preview] = previews(bot)
    shown = answer_text(preview)
    assert "*30 figures* found in wy-monthly.xlsx" in shown
    assert 'Sheet "Referrals" A1: referrals, Apr 2015 – Jun 2015 (3 months), 5 districts' in shown
    assert "Districts: Bradford, Calderdale, Kirklees, Leeds, Wakefield" in shown
    assert (
        'TOTAL MISMATCH wy-monthly.xlsx: Sheet "Referrals" D7: printed 161, computed 160' in shown
    )
    with bot.store.transaction() as store:
        assert store.figures.all() == []  # a preview stores nothing

    click(bot, FIGURES_IMPORT, preview)
    click(bot, FIGURES_IMPORT, preview)  # a second press counts for nothing
    [outcome] = updates(bot)
    assert outcome.startswith("Imported 30 figures as source wy-monthly. 1 printed totals differ.")
    with bot.store.transaction() as store:
        assert len(store.figures.all()) == 30

    status, answer = bot.command("/figures referrals")
    assert status == 200
    assert card_values(answer, "Leeds")[:3] == ["40", "41", "42"]
    assert card_values(answer, "Wakefield")[:3] == ["50", "51", "52"]
    assert card_values(answer, "Force total")[:3] == ["150", "155", "160"]

    _, answer = bot.command("/figures leeds lpa")
    assert "Leeds: figures by month" in answer_text(answer)
    _, answer = bot.command("/figures sheffield")
    assert "Unknown district or metric “sheffield”" in answer_text(answer)
    _, answer = bot.command("/figures kirklee")
    assert "Kirklees: figures by month" in answer_text(answer)
    _, answer = bot.command("/figures help")
    assert "Districts: Bradford, Calderdale, Kirklees, Leeds, Wakefield, Other." in answer_text(
        answer
    )


def test_cancel_imports_nothing(bot):
    upload(bot, "wy.xlsx", workbook())
    [preview] = previews(bot)
    click(bot, FIGURES_CANCEL, preview)
    click(bot, FIGURES_IMPORT, preview)  # too late: the preview was cancelled
    [outcome] = updates(bot)
    assert outcome.startswith("Cancelled — nothing imported.")
    with bot.store.transaction() as store:
        assert store.figures.all() == []


def test_a_workbook_naming_another_forces_district_is_refused_in_one_line(bot):
    book = Workbook()
    book.active.title = "Referrals"
    book.active.append(["District", "Apr-15"])
    book.active.append(["Rotherham", 3])
    data = io.BytesIO()
    book.save(data)
    upload(bot, "sy.xlsx", data.getvalue())
    assert previews(bot) == []
    [message] = [call.args["text"] for call in bot.fake.calls("chat.postMessage")]
    assert message.startswith("sy.xlsx: Sheet \"Referrals\" A2: unknown district 'Rotherham'")
    assert message.endswith("Nothing was imported.")
    assert "\n" not in message


def test_what_the_workbook_says_is_escaped_in_the_preview(bot):
    book = Workbook()
    book.active.title = "<!channel> referrals"
    book.active.append(["District", "Apr-15"])
    book.active.append(["Leeds LPA", 3])
    data = io.BytesIO()
    book.save(data)
    upload(bot, "<@U0BOSS>.xlsx", data.getvalue())
    [preview] = previews(bot)
    mrkdwn = "\n".join(b["text"]["text"] for b in preview["blocks"] if b["type"] == "section")
    assert "&lt;!channel&gt; referrals" in mrkdwn and "&lt;@U0BOSS&gt;" in mrkdwn
    assert "<!channel>" not in mrkdwn and "<@U0BOSS>" not in mrkdwn


def test_the_upload_message_can_name_the_measure_and_the_year(bot):
    csv = b",Jan,Feb,Mar\nKirklees,1,2,3\nWakefield,4,5,6\n"
    upload(bot, "q4.csv", csv, "metric cautions year 2015/16")
    [preview] = previews(bot)
    assert "cautions, Jan 2016 – Mar 2016 (3 months)" in answer_text(preview)
    click(bot, FIGURES_IMPORT, preview)
    with bot.store.transaction() as store:
        stored = {(f.district, f.metric, f.period): f.value for f in store.figures.all()}
    assert stored[("Wakefield", "cautions", "2016-03")] == 6
    assert len(stored) == 6
