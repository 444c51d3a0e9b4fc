"""Block Kit for an uploaded workbook of figures: the dry-run preview with Import / Cancel."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, HeaderBlock, SectionBlock

from bot.escape import escape_mrkdwn, truncate

FIGURES_IMPORT, FIGURES_CANCEL = "figures_import", "figures_cancel"
SECTION_CHARS = 2900
MAX_SECTIONS = 10  # well inside Slack's 50 blocks a message


def figures_preview_blocks(file_name: str, count: int, lines: list[str], state: str) -> list[dict]:
    """What a dry run of the workbook found (measures, periods, districts, totals) and buttons."""
    blocks: list[Block] = [
        HeaderBlock(text=truncate(f"Figures import preview: {file_name}", 150)),
        SectionBlock(
            text=f"*{count} figure{'s' * (count != 1)}* found in {escape_mrkdwn(file_name)}. "
            "Nothing is stored until you press *Import*."
        ),
        *_code_sections(lines),
        ActionsBlock(
            block_id="figures_import_actions",
            elements=[
                ButtonElement(
                    text="Import", action_id=FIGURES_IMPORT, value=state, style="primary"
                ),
                ButtonElement(text="Cancel", action_id=FIGURES_CANCEL, value=state),
            ],
        ),
    ]
    return [b.to_dict() for b in blocks]


def _code_sections(lines: list[str]) -> list[SectionBlock]:
    sections: list[SectionBlock] = []
    chunk: list[str] = []
    for line in (truncate(escape_mrkdwn(line), SECTION_CHARS) for line in lines):
        if chunk and len("\n".join([*chunk, line])) > SECTION_CHARS:
            sections.append(SectionBlock(text="```" + "\n".join(chunk) + "```"))
            chunk = []
        chunk.append(line)
    if chunk:
        sections.append(SectionBlock(text="```" + "\n".join(chunk) + "```"))
    if len(sections) > MAX_SECTIONS:
        left_out = SectionBlock(
            text="… more lines: `govbot import-figures FILE --dry-run` lists all"
        )
        sections = [*sections[: MAX_SECTIONS - 1], left_out]
    return sections
