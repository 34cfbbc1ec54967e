"""The proxy's journal: one row per request id and external id, an audit trail of every step."""

import sqlite3

import pytest

from scs_hw_proxy.adapters.journal import Journal
from scs_hw_proxy.engine import twophase as tp


@pytest.fixture
def journal(tmp_path):
    clock = iter(range(1000, 2000))
    journal = Journal(tmp_path / "j" / "journal.sqlite3", clock=lambda: next(clock))
    yield journal
    journal.close()


def test_a_request_id_is_journaled_once(journal):
    assert journal.add_txn("0a1b2c3d", "sale", "Order 1", 150000, tp.AUTHORISING)
    assert not journal.add_txn("0a1b2c3d", "sale", "Order 2", 99, tp.AUTHORISING)
    txn = journal.txn("0a1b2c3d")
    assert (txn["order_ref"], txn["amount"], txn["state"]) == ("Order 1", 150000, tp.AUTHORISING)


def test_every_state_change_is_an_event(journal):
    journal.add_txn("0a1b2c3d", "sale", "Order 1", 150000, tp.AUTHORISING)
    journal.set_txn("0a1b2c3d", tp.AUTHORISED, {"rrn": "000000000001"}, detail="approved")
    journal.set_txn("0a1b2c3d", tp.COMMITTED)
    txn = journal.txn("0a1b2c3d")
    # a later write without a result keeps the terminal's answer
    assert txn["result"] == {"rrn": "000000000001"}
    assert [e["state"] for e in journal.events("0a1b2c3d")] == [
        tp.AUTHORISING,
        tp.AUTHORISED,
        tp.COMMITTED,
    ]
    assert [e["at"] for e in journal.events("0a1b2c3d")] == sorted(
        e["at"] for e in journal.events("0a1b2c3d")
    )


def test_receipts_keep_their_document_and_card_payments(journal):
    document = {"type": 3, "1054": 1, "1020": 5000}
    assert journal.add_receipt("sale-1", 1, 5000, document, ["0a1b2c3d"])
    assert not journal.add_receipt("sale-1", 1, 5000, document, [])
    journal.set_receipt("sale-1", tp.PRINTING, fd_before=41)
    journal.set_receipt("sale-1", tp.PRINTED, {"status": "done"})
    receipt = journal.receipt("sale-1")
    assert receipt["document"] == document
    assert receipt["txns"] == ["0a1b2c3d"]
    assert receipt["fd_before"] == 41
    assert [r["external_id"] for r in journal.receipts(tp.RECEIPT_OPEN)] == ["sale-1"]


def test_it_survives_a_reopen(tmp_path):
    path = tmp_path / "journal.sqlite3"
    first = Journal(path)
    first.add_txn("0a1b2c3d", "sale", "Order 1", 100, tp.AUTHORISED)
    # no close: a killed process never closes its connection
    second = Journal(path)
    assert second.txn("0a1b2c3d")["state"] == tp.AUTHORISED
    assert second.txns(tp.TXN_OPEN)[0]["request_id"] == "0a1b2c3d"


def test_amounts_must_be_positive(journal):
    with pytest.raises(sqlite3.IntegrityError):
        journal.add_txn("0a1b2c3d", "sale", "Order 1", 0, tp.AUTHORISING)
