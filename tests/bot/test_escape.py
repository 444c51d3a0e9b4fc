"""Escaping text into Slack mrkdwn and reading Slack's markup back (SPEC section 8)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.escape import escape_mrkdwn, plain_command_text, plain_links, truncate, unescape_slack

ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<!channel> look", "&lt;!channel&gt; look"),
        ("<!here>", "&lt;!here&gt;"),
        ("<!everyone>", "&lt;!everyone&gt;"),
        ("<@U123> and <#C123>", "&lt;@U123&gt; and &lt;#C123&gt;"),
        ("<https://evil.example|GOV.UK>", "&lt;https://evil.example|GOV.UK&gt;"),
        ("Q&A: 1 < 2 > 0", "Q&amp;A: 1 &lt; 2 &gt; 0"),
        ("typed &lt; literally", "typed &amp;lt; literally"),
        ("*bold* _it_ ~s~ `code` 👮", "*bold* _it_ ~s~ `code` 👮"),
        ("", ""),
    ],
)
def test_escape_mrkdwn(text, escaped):
    assert escape_mrkdwn(text) == escaped


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("&amp;lt; stays literal", "&lt; stays literal"),
        ("<https://x.y/z?a=1&amp;b=2>", "<https://x.y/z?a=1&b=2>"),
        ("&quot;other entities&quot; untouched", "&quot;other entities&quot; untouched"),
    ],
)
def test_unescape_slack(text, plain):
    assert unescape_slack(text) == plain


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("see <https://x.y/z|label>", "see https://x.y/z (label)"),
        ("see <https://x.y/z>", "see https://x.y/z"),
        ("<http://x.y|x.y>", "http://x.y"),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("ask <@U123|bob>", "ask @bob"),
        ("ask <@U123>", "ask @U123"),
        ("in <#C123|governance> and <#C456>", "in #governance and #C456"),
        ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
        ("<!subteam^S123|@leads> <!subteam^S456>", "@leads @S456"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<b>not markup</b>", "<b>not markup</b>"),
        ("no markup at all", "no markup at all"),
    ],
)
def test_plain_links(text, plain):
    assert plain_links(text) == plain


def test_plain_links_then_escape_cannot_ping_anyone():
    echoed = escape_mrkdwn(plain_links("<!channel> <@U1> <https://e.example|GOV.UK>"))
    assert echoed == "@channel @U1 https://e.example (GOV.UK)"


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("hello world", 8, "hello w…"),
        ("hello world", 7, "hello…"),  # trailing space trimmed before the ellipsis
        ("a &amp; b", 5, "a…"),  # "a &am" would split the entity
        ("a &amp; b", 8, "a &amp;…"),
        ("&lt;&lt;&lt;", 7, "&lt;…"),
        ("R&D budget", 4, "R&D…"),
        ("anything", 1, "…"),
        ("anything", 0, ""),
    ],
)
def test_truncate(text, limit, cut):
    assert truncate(text, limit) == cut


@given(st.text())
def test_escaped_text_has_no_angle_brackets(text):
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped
    assert ">" not in escaped


@given(st.text())
def test_unescape_undoes_escape(text):
    assert unescape_slack(escape_mrkdwn(text)) == text


@given(st.text(alphabet=st.sampled_from("ab &;<>ltgmp#x1")), st.integers(0, 60))
def test_truncate_fits_and_never_splits_an_entity(text, limit):
    escaped = escape_mrkdwn(text)
    for source in (text, escaped):
        cut = truncate(source, limit)
        assert len(cut) <= limit
        if cut == source:
            continue
        assert cut.endswith("…") or cut == ""
        kept = len(cut.removesuffix("…"))
        assert source.startswith(cut.removesuffix("…"))
        assert not any(m.start() < kept < m.end() for m in ENTITY.finditer(source))


@given(st.text(), st.integers(-5, 200))
def test_truncate_never_raises_and_fits(text, limit):
    assert len(truncate(text, limit)) <= max(limit, 0)


def test_slash_command_text_reaches_commands_as_plain_text():
    typed = "assign CSE13-04 <@ULEAD001|lee> <@W0TWO22> &lt;b&gt; Tom &amp; Jerry &amp;lt;"
    assert plain_command_text(typed) == "assign CSE13-04 @ULEAD001 @W0TWO22 <b> Tom & Jerry &lt;"
