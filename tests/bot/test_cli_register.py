"""`govbot add`, `edit`, `import-register` and `export` run in-process as a person would type them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from bot.cli import main
from storage.store import open_store
from tests.conftest import import_cse13
from tests.harness import ADMIN


@pytest.fixture
def db(tmp_path, monkeypatch, stores):
    path = stores.location()
    import_cse13(stores.open(path))
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "GOVBOT_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOVBOT_DB", path)
    monkeypatch.setenv("GOVBOT_ADMINS", f"{ADMIN},UZZZADMIN9")
    monkeypatch.chdir(tmp_path)
    return path


def item(db, item_id):  # noqa: ANN001, ANN201
    store = open_store(db)
    try:
        with store.transaction():
            return store.items.get(item_id), store.history.for_item(item_id)
    finally:
        store.close()


def test_add_then_edit_as_the_first_admin(db, capsys):
    code = main(
        [
            "add",
            "--source",
            "CSE13",
            "--text",
            "Audit the CSE flag on crime records",
            "--kind",
            "afi",
            "--timescale",
            "within six months",
            "--lead",
            "ULEAD001",
            "--districts",
            "rotherham,Sheffield",
            "--addressee",
            "the force",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "CSE13-16 added" in capsys.readouterr().out
    added, history = item(db, "CSE13-16")
    assert (added.kind, added.due, added.districts) == (
        "afi",
        date(2014, 7, 31),
        ("Rotherham", "Sheffield"),
    )
    assert {e.by for e in history} == {ADMIN}

    assert main(["edit", "cse13-16", "--due", "31/08/2014"]) == 2
    assert "give a reason" in capsys.readouterr().err
    assert (
        main(
            [
                "edit",
                "CSE13-16",
                "--due",
                "31/08/2014",
                "--reason",
                "agreed at GAB",
                "--area",
                "Data",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "CSE13-16 edited: area, due." in out and "due: 2014-07-31 → 2014-08-31" in out
    edited, later = item(db, "CSE13-16")
    assert (edited.due, edited.original_due, edited.area) == (
        date(2014, 8, 31),
        date(2014, 7, 31),
        "Data",
    )
    assert later[: len(history)] == history


def test_add_to_a_new_source_and_bad_input_is_one_line(db, capsys):
    assert main(["add", "--source", "GAB1403", "--text", "x", "--title", "GAB March 2014"]) == 2
    assert "Give the date GAB1403 was published." in capsys.readouterr().err
    assert (
        main(
            [
                "add",
                "--source",
                "GAB1403",
                "--text",
                "Report back",
                "--title",
                "GAB March 2014",
                "--published",
                "2014-03-25",
                "--source-kind",
                "meeting",
                "--due",
                "2014-04-29",
            ]
        )
        == 0
    )
    assert "GAB1403-01 added (new source GAB1403)" in capsys.readouterr().out
    assert main(["add", "--source", "CSE13", "--text", "x", "--districts", "Leeds"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govbot: Unknown district “Leeds”") and err.count("\n") == 1


def test_export_and_import_register_from_the_command_line(db, capsys, tmp_path):
    assert main(["edit", "CSE13-05", "--lead", "ULEAD002"]) == 0
    assert main(["export", "register.csv"]) == 0
    assert "15 items exported." in capsys.readouterr().out
    text = (tmp_path / "register.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[4]["Lead"] == "ULEAD002"

    rows[4]["Status"] = "Complete"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / "changed.csv").write_text(out.getvalue(), encoding="utf-8")
    assert main(["import-register", "changed.csv", "--dry-run"]) == 0
    assert (
        "Would import sheet “changed” of changed.csv: 0 new, 1 updated, 14 unchanged"
        in capsys.readouterr().out
    )
    assert item(db, "CSE13-05")[0].status == "not started"
    assert main(["import-register", "changed.csv"]) == 0
    assert "0 new, 1 updated, 14 unchanged" in capsys.readouterr().out
    closed, history = item(db, "CSE13-05")
    assert closed.status == "closed" and history[-1].by == "import"

    assert main(["export", "register.xlsx"]) == 0
    assert main(["import-register", "register.xlsx"]) == 0
    assert "0 new, 0 updated, 15 unchanged" in capsys.readouterr().out
    assert main(["export", "register.pdf"]) == 2
    assert "export to a .csv or .xlsx file" in capsys.readouterr().err


def test_ask_for_the_form_offline_points_to_the_commands(db, capsys):
    assert main(["ask", "/recs add"]) == 0
    assert "govbot add" in capsys.readouterr().out


def test_a_configured_force_adds_items_for_its_own_districts(db, capsys, monkeypatch):
    monkeypatch.setenv("GOVBOT_DISTRICTS", "Bradford;Calderdale;Kirklees;Leeds;Wakefield")
    assert main(["add", "--source", "CSE13", "--text", "Brief Leeds", "--districts", "leeds"]) == 0
    assert item(db, "CSE13-16")[0].districts == ("Leeds",)
    assert main(["add", "--source", "CSE13", "--text", "x", "--districts", "Sheffield"]) == 2
    assert "Sheffield" in capsys.readouterr().err
