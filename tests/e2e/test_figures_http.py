"""/figures end to end over signed HTTP, on the figures of the 2015 panel report."""

from __future__ import annotations

from bot.figure_files import import_figures_file
from commands.districts import DEFAULT_DISTRICTS
from tests.conftest import PANEL15, reference
from tests.harness import card_values, running_bot


def _all_text(answer: dict) -> str:
    return "\n".join(b["text"]["text"] for b in answer.get("blocks", []) if "text" in b)


def test_figures_answers_with_totals_and_trends(tmp_path, fake_slack, stores):
    store = stores.new()
    import_figures_file(store, reference(PANEL15), districts=DEFAULT_DISTRICTS, source_id="PANEL15")
    with running_bot(tmp_path, fake_slack, store=store) as bot:
        status, answer = bot.command("/figures referrals")
        assert status == 200
        assert card_values(answer, "Force total")[:4] == ["54", "64", "55", "68"]

        _, answer = bot.command("/figures rotherham")
        assert card_values(answer, "referrals")[:4] == ["20", "27", "15", "31"]

        _, answer = bot.command("/figures rotheram")
        assert "Did you mean Rotherham?" in _all_text(answer)


def test_chart_is_uploaded_or_explained(tmp_path, fake_slack, stores):
    store = stores.new()
    import_figures_file(store, reference(PANEL15), districts=DEFAULT_DISTRICTS, source_id="PANEL15")
    with running_bot(tmp_path, fake_slack, store=store) as bot:
        status, answer = bot.command("/figures rotherham chart")
        assert status == 200
        if "optional plotting extra" in answer["text"]:
            return
        fake_slack.wait_for("files.completeUploadExternal")
        (png,) = fake_slack.uploads().values()
        assert png.startswith(b"\x89PNG")
