"""The force's districts: configured, with aliases, defaulting to South Yorkshire's four."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.cli import main
from bot.config import ConfigError, read_config
from bot.files import read_text
from bot.services import Services
from commands.districts import DEFAULT_DISTRICTS, parse_districts, save_districts
from commands.errors import BadInput, UnknownItem
from commands.imports import districts_named, import_report
from commands.recs_parse import parse_recs
from tests.conftest import CSE13, reference

WEST_YORKSHIRE = "Bradford;Calderdale;Kirklees;Leeds=Leeds District|Leeds LPA;Wakefield"


def test_a_list_with_aliases_reads_and_writes_back():
    districts = parse_districts(f" {WEST_YORKSHIRE} ;")
    assert districts.names == ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield")
    assert districts.find("leeds  lpa") == "Leeds"
    assert districts.find("OTHER") == "Other"
    assert districts.find("Sheffield") is None
    assert districts.closest("Kirklee") == "Kirklees"
    assert parse_districts(districts.spec()) == districts


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "no districts given"),
        ("Leeds;leeds", "leeds is already Leeds"),
        ("Leeds=Wakefield;Wakefield", "Wakefield is already Leeds"),
        ("Leeds;Total", "Total is reserved"),
        ("Leeds;<!channel>", "use letters"),
    ],
)
def test_a_bad_list_is_refused(spec, problem):
    with pytest.raises(BadInput, match=problem):
        parse_districts(spec)


def test_item_tagging_uses_the_configured_names_and_aliases():
    districts = parse_districts(WEST_YORKSHIRE)
    text = "Leeds LPA and Kirklees should share a team; Sheffield is not ours."
    assert districts_named(text, districts) == ("Kirklees", "Leeds")
    assert districts_named(text) == ("Sheffield",)


def test_config_reads_govbot_districts_and_names_it_when_wrong():
    assert read_config({}).districts == DEFAULT_DISTRICTS
    assert read_config({"GOVBOT_DISTRICTS": WEST_YORKSHIRE}).districts.names[0] == "Bradford"
    with pytest.raises(ConfigError, match="GOVBOT_DISTRICTS: .*Leeds is already"):
        read_config({"GOVBOT_DISTRICTS": "Leeds;Leeds"})


def test_stored_list_wins_over_the_environment_which_wins_over_the_default(stores):
    store = stores.new()
    assert Services(read_config({}), store).districts() == DEFAULT_DISTRICTS
    services = Services(read_config({"GOVBOT_DISTRICTS": WEST_YORKSHIRE}), store)
    assert services.districts().names[0] == "Bradford"
    save_districts(store, "North;South=South LPA")
    assert services.districts().names == ("North", "South")
    assert services.context("U1").settings.districts.find("south lpa") == "South"


def test_cli_sets_shows_and_resets_the_list(stores, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVBOT_DB", stores.location())
    monkeypatch.delenv("GOVBOT_DISTRICTS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["districts", "set", WEST_YORKSHIRE]) == 0
    assert "Leeds (also Leeds District, Leeds LPA)" in capsys.readouterr().out
    assert main(["districts"]) == 0
    assert "stored with the register" in capsys.readouterr().out
    assert main(["districts", "set", "Leeds;leeds"]) == 2
    assert "leeds is already Leeds" in capsys.readouterr().err
    assert main(["districts", "reset"]) == 0
    assert "the default (South Yorkshire): Barnsley" in capsys.readouterr().out


def test_imported_recommendations_are_tagged_with_the_configured_districts(stores):
    store = stores.new()
    text = read_text(reference(CSE13))
    details = dict(
        file_name=CSE13.name,
        source_id="CSE13",
        title="CSE",
        published=date(2014, 1, 31),
        now=datetime(2014, 2, 1, tzinfo=UTC),
        dry_run=True,
    )
    default = {i.id: i.districts for i in import_report(store, text, **details).items}
    assert default["CSE13-15"] == ("Doncaster", "Rotherham")
    configured = parse_districts("Barnsley;Donny=Doncaster")
    tagged = {
        i.id: i.districts for i in import_report(store, text, **details, districts=configured).items
    }
    assert tagged["CSE13-15"] == ("Donny",)  # by its alias; Rotherham is not this force's
    assert {d for districts in tagged.values() for d in districts} == {"Donny"}


def test_recs_district_filters_use_the_configured_names():
    names = parse_districts(WEST_YORKSHIRE).names
    assert parse_recs("district kirk", names).filters.districts == ("Kirklees",)
    assert parse_recs("overdue leeds", names).filters.districts == ("Leeds",)
    with pytest.raises(UnknownItem, match="Valid districts: Bradford, Calderdale"):
        parse_recs("district rotherham", names)
