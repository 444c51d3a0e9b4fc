"""Files people upload to the bot: which were shared in a DM, and their bytes from Slack."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.errors import BadInput

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30


@dataclass(frozen=True)
class SlackFile:
    id: str
    name: str
    data: bytes


def is_dm_upload(event: dict) -> bool:
    """A file shared in a DM with the bot, not in a thread (thread files are evidence)."""
    thread_ts = event.get("thread_ts")
    return (
        event.get("subtype") == "file_share"
        and event.get("channel_type") == "im"
        and bool(event.get("files"))
        and (not thread_ts or thread_ts == event.get("ts"))
    )


def shared_file_ids(event: dict) -> list[str]:
    """The ids of the files a message shares (Slack Connect ones carry only the id)."""
    return [f["id"] for f in event.get("files") or () if isinstance(f, dict) and f.get("id")]


def download_file(client: WebClient, file_id: str, max_bytes: int = MAX_UPLOAD_BYTES) -> SlackFile:
    """The file's name and bytes, via files.info and its private download URL; BadInput if not."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as err:
        raise BadInput(
            f"Slack would not give me file {file_id} ({err.response.get('error', 'error')})"
        ) from None
    name = Path(info.get("name") or info.get("title") or file_id).name
    limit = f"the limit is {max_bytes // (1024 * 1024)} MB"
    if int(info.get("size") or 0) > max_bytes:
        raise BadInput(f"{name}: {info['size'] / (1024 * 1024):.0f} MB is too large; {limit}")
    url = info.get("url_private_download") or info.get("url_private") or ""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(max_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except (URLError, OSError, ValueError) as err:
        raise BadInput(f"{name}: the download from Slack failed ({err})") from None
    if len(data) > max_bytes:
        raise BadInput(f"{name}: too large; {limit}")
    if content_type.startswith("text/html") and not name.lower().endswith((".html", ".htm")):
        # Slack answers a download it will not authorise with its sign-in page
        raise BadInput(f"{name}: Slack sent a sign-in page, not the file (is files:read granted?)")
    return SlackFile(file_id, name, data)
