"""Who may change what: leads their own open items, admins everything."""

from __future__ import annotations

import pytest

from commands.errors import NotAllowed
from commands.permissions import check_may_update, who_can_update
from storage.models import Item

ADMINS = frozenset({"UADMIN"})


def _item(**kw) -> Item:
    return Item(id="CSE13-04", source="CSE13", number=4, **kw)


def test_lead_may_move_their_item_but_not_sign_it_off():
    item = _item(leads=("ULEAD",))
    check_may_update("ULEAD", item, "in progress", ADMINS)
    check_may_update("ULEAD", item, "implemented", ADMINS)
    for status in ("closed", "superseded", "not accepted"):
        with pytest.raises(NotAllowed, match="Only a governance admin"):
            check_may_update("ULEAD", item, status, ADMINS)


def test_stranger_is_told_who_can():
    item = _item(leads=("ULEAD",))
    with pytest.raises(NotAllowed, match=r"its lead \(@ULEAD\) or a governance admin"):
        check_may_update("USTRANGER", item, "implemented", ADMINS)
    assert "awaiting allocation" in who_can_update(_item())


def test_a_signed_off_item_is_reopened_only_by_an_admin():
    closed = _item(leads=("ULEAD",), status="closed")
    with pytest.raises(NotAllowed, match="only a governance admin can reopen"):
        check_may_update("ULEAD", closed, "in progress", ADMINS)
    check_may_update("ULEAD", closed, None, ADMINS)  # evidence is still welcome
    check_may_update("UADMIN", closed, "in progress", ADMINS)


def test_admins_may_do_anything():
    for status in ("not started", "blocked", "closed", "not accepted", None):
        check_may_update("UADMIN", _item(), status, ADMINS)
