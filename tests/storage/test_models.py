"""Item records: the second release's fields default so documents stored before them load."""

from __future__ import annotations

from storage.models import Item


def test_an_item_stored_before_addressees_loads_as_the_forces_to_deliver():
    old = {"id": "CSE13-01", "source": "CSE13", "number": 1, "text": "The force should act."}
    item = Item.from_doc(old)
    assert (item.addressee, item.force_delivers) == ("", True)


def test_addressee_and_force_delivers_round_trip():
    item = Item("DIG25-02", "DIG25", 2, addressee="the College of Policing", force_delivers=False)
    assert Item.from_doc(item.to_doc()) == item
