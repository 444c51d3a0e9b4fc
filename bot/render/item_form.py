"""The modal that adds or edits an item, built with slack_sdk's Block Kit classes."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.escape import escape_mrkdwn, truncate
from commands.replies import ItemForm
from storage.models import SOURCE_KINDS

CALLBACK_ID = "item_form"
MAX_OPTIONS = 100  # a select menu holds at most 100 options
OPTION_TEXT = 75  # and each option's text at most 75 characters
TEXT_INPUT = 3000  # the longest a plain-text input may be


def item_form_view(form: ItemForm, channel: str = "") -> dict[str, Any]:
    """The add or edit modal; private metadata says which, and where to confirm."""
    item = form.item
    meta = {"item_id": item.id if item else "", "channel": channel, "leads": _leads(form)}
    blocks: list[Block] = []
    if item is None:
        blocks += _source_blocks(form)
    else:
        source = form.sources[0].title if form.sources else item.source
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=escape_mrkdwn(f"{item.id} · from {source}"))]
            )
        )
    blocks += [
        _input(
            "kind",
            "Kind",
            StaticSelectElement(
                action_id="kind",
                options=[_option(k, k) for k in form.kinds],
                initial_option=_option(item.kind if item else "recommendation"),
            ),
        ),
        _text_block(form),
        _input(
            "timescale",
            "Timescale",
            _text("timescale", item.timescale if item else ""),
            hint="“immediately”, “within three months”… The due date is counted from "
            "the source's publication date.",
            optional=True,
        ),
        _input(
            "due",
            "Due date",
            DatePickerElement(
                action_id="due",
                initial_date=form.explicit_due.isoformat() if form.explicit_due else None,
            ),
            hint="Instead of a timescale, or to override it.",
            optional=True,
        ),
        _input("area", "Area (report section)", _text("area", item.area if item else ""), True),
        _input(
            "lead",
            "Lead",
            UserSelectElement(
                action_id="lead", initial_user=item.leads[0] if item and item.leads else None
            ),
            optional=True,
        ),
        _input(
            "districts",
            "Districts",
            StaticMultiSelectElement(
                action_id="districts",
                options=[_option(d) for d in form.districts],
                initial_options=[_option(d) for d in item.districts] if item else None,
            ),
            hint="None chosen: force-wide.",
            optional=True,
        ),
        _input(
            "addressee",
            "Addressee",
            _text("addressee", item.addressee if item else ""),
            hint="Who the recommendation is made to, when it is not the force.",
            optional=True,
        ),
    ]
    if item is not None:
        blocks.append(
            _input(
                "reason",
                "Reason for the change",
                _text("reason", ""),
                hint="Needed when the due date changes; it goes in the history.",
                optional=True,
            )
        )
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=PlainTextObject(text=f"Edit {item.id}"[:24] if item else "Add an item"),
        submit=PlainTextObject(text="Save" if item else "Add"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps(meta),
        blocks=blocks,
    )
    return view.to_dict()


def _leads(form: ItemForm) -> list[str]:
    return list(form.item.leads) if form.item else []


def _text_block(form: ItemForm) -> Block:
    item = form.item
    if item is not None and len(item.text) > TEXT_INPUT:
        # cut to fit, saving the form would cut the text: leave it to the command line
        note = (
            f"The text is longer than a form holds: edit it with `govbot edit {item.id} --text …`."
        )
        return ContextBlock(elements=[MarkdownTextObject(text=escape_mrkdwn(note))])
    return _input(
        "text",
        "Text",
        _text("text", item.text if item else "", multiline=True, max_length=TEXT_INPUT),
    )


def _source_blocks(form: ItemForm) -> list[Block]:
    existing = [_option(s.id, f"{s.id}: {s.title}") for s in form.sources[:MAX_OPTIONS]]
    blocks: list[Block] = []
    if existing:
        blocks.append(
            _input(
                "source",
                "Source",
                StaticSelectElement(action_id="source", options=existing),
                hint="Or name a new source below.",
                optional=True,
            )
        )
    blocks += [
        _input(
            "source_id",
            "New source id",
            _text("source_id", ""),
            optional=True,
            hint="Letters and digits, e.g. GAB1403.",
        ),
        _input("source_title", "New source title", _text("source_title", ""), optional=True),
        _input(
            "source_published",
            "New source published on",
            DatePickerElement(action_id="source_published"),
            optional=True,
        ),
        _input(
            "source_kind",
            "New source kind",
            StaticSelectElement(
                action_id="source_kind",
                options=[_option(k) for k in SOURCE_KINDS],
                initial_option=_option(SOURCE_KINDS[0]),
            ),
            optional=True,
        ),
    ]
    return blocks


def _input(
    block_id: str, label: str, element: Any, optional: bool = False, hint: str = ""
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=element,
        optional=optional,
        hint=PlainTextObject(text=hint) if hint else None,
    )


def _text(
    action_id: str, value: str, multiline: bool = False, max_length: int | None = None
) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id=action_id,
        initial_value=truncate(value, TEXT_INPUT) if value else None,
        multiline=multiline,
        max_length=max_length,
    )


def _option(value: str, text: str | None = None) -> Option:
    return Option(value=value, text=PlainTextObject(text=truncate(text or value, OPTION_TEXT)))
