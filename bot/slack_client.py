"""The Slack Web API client: our base URL (GovSlack), retries on 429, 5xx and connection errors."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Config

DEFAULT_API_URL = "https://slack.com/api/"


def make_client(config: Config, timeout: int = 10) -> WebClient:
    base_url = config.api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(
        token=config.bot_token or None,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )
