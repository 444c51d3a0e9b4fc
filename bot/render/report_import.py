"""Block Kit for an uploaded report: the dry-run preview with its buttons, the outcome, the modal."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.escape import escape_mrkdwn, truncate
from commands.report_details import ImportDetails

IMPORT, CHANGE, CANCEL = "report_import", "report_change", "report_cancel"
DETAILS_VIEW = "report_details"
# Slack allows 50 blocks a message and 3,000 characters a section: ten sections of lines at most.
LINE_SECTIONS = 10
SECTION_CHARS = 2900
FIELD_LABELS = {"source": "Source id", "title": "Title", "published": "Published"}


def preview_blocks(
    file_name: str, details: ImportDetails, count: int, lines: list[str], state: str
) -> list[dict]:
    """What a dry run found, the details it will use, and Import / Change details / Cancel."""
    blocks: list[Block] = [
        HeaderBlock(text=truncate(f"Import preview: {file_name}", 150)),
        SectionBlock(
            text=f"*{count} item{'s' * (count != 1)}* found in "
            f"{escape_mrkdwn(file_name)}. Nothing is stored until you press *Import*."
        ),
        SectionBlock(fields=_detail_fields(details)),
    ]
    if details.guessed:
        names = ", ".join(FIELD_LABELS[g].lower() for g in details.guessed)
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f":warning: *Guessed — check before importing:* {names}. "
                        "Press *Change details* to correct them."
                    )
                ]
            )
        )
    blocks += _line_sections(lines)
    blocks.append(
        ActionsBlock(
            block_id="report_import_actions",
            elements=[
                ButtonElement(text="Import", action_id=IMPORT, value=state, style="primary"),
                ButtonElement(text="Change details", action_id=CHANGE, value=state),
                ButtonElement(text="Cancel", action_id=CANCEL, value=state),
            ],
        )
    )
    return [b.to_dict() for b in blocks]


def outcome_blocks(mrkdwn: str) -> list[dict]:
    """The preview replaced by what happened: no buttons left to press twice."""
    return [SectionBlock(text=truncate(mrkdwn, SECTION_CHARS)).to_dict()]


def details_modal(details: ImportDetails, metadata: str) -> dict:
    """The four details as a form, pre-filled with the ones the preview uses."""
    inputs = [
        ("source", "Source id (letters and digits, e.g. CSE13)", details.source_id),
        ("title", "Title", details.title),
        ("publisher", "Publisher", details.publisher),
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id=name,
            label=label,
            element=PlainTextInputElement(action_id=name, initial_value=value, max_length=150),
        )
        for name, label, value in inputs
    ]
    blocks.insert(
        2,
        InputBlock(
            block_id="published",
            label="Published",
            element=DatePickerElement(
                action_id="published", initial_date=details.published.isoformat()
            ),
        ),
    )
    view = View(
        type="modal",
        callback_id=DETAILS_VIEW,
        private_metadata=metadata,
        title="Report details",
        submit="Preview again",
        close="Back",
        blocks=blocks,
    )
    return view.to_dict()


def _detail_fields(details: ImportDetails) -> list[MarkdownTextObject]:
    values = {
        "source": details.source_id,
        "title": details.title,
        "published": details.published.strftime("%-d %B %Y"),
    }
    fields = [
        MarkdownTextObject(
            text=f"*{label}*\n{escape_mrkdwn(values[name])}"
            + (" _(guessed)_" if name in details.guessed else "")
        )
        for name, label in FIELD_LABELS.items()
    ]
    fields.append(MarkdownTextObject(text=f"*Publisher*\n{escape_mrkdwn(details.publisher)}"))
    return fields


def _line_sections(lines: list[str]) -> list[SectionBlock]:
    """The preview lines in code sections, as many as fit; a note says how many were left out."""
    sections: list[SectionBlock] = []
    chunk: list[str] = []
    shown = 0
    for line in lines:
        text = escape_mrkdwn(line)
        if chunk and len("\n".join([*chunk, text])) > SECTION_CHARS:
            if len(sections) == LINE_SECTIONS - 1:
                break
            sections.append(_code(chunk))
            chunk = []
        chunk.append(truncate(text, SECTION_CHARS))
        shown += 1
    if chunk:
        sections.append(_code(chunk))
    if shown < len(lines):
        note = f"… and {len(lines) - shown} more lines (`govbot import-report --dry-run` lists all)"
        sections.append(SectionBlock(text=note))
    return sections


def _code(lines: list[str]) -> SectionBlock:
    return SectionBlock(text="```" + "\n".join(lines) + "```")
