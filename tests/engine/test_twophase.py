"""Decisions of the two-phase commit between card money and the fiscal receipt."""

import pytest

from scs_hw_proxy.engine import twophase as tp


@pytest.mark.parametrize(
    ("state", "age", "covered", "action"),
    [
        # the POS never heard of this money: ask the terminal, whatever its age
        (tp.AUTHORISING, 0, False, "resolve"),
        (tp.AUTHORISING, 10_000, True, "resolve"),
        # a cancel whose answer was lost is asked about, never sent again blindly
        (tp.CANCELLING, 0, False, "resolve_cancel"),
        # money waiting for its receipt: the receipt's recovery decides
        (tp.AUTHORISED, 10_000, True, "wait"),
        # money no receipt names: back to the card after the grace time
        (tp.AUTHORISED, 10, False, "wait"),
        (tp.AUTHORISED, 900, False, "cancel"),
        (tp.COMMITTED, 10_000, False, "none"),
        (tp.CANCELLED, 10_000, False, "none"),
        (tp.DECLINED, 10_000, False, "none"),
    ],
)
def test_txn_recovery(state, age, covered, action):
    assert tp.txn_recovery(state, age, covered, grace_seconds=900) == action


@pytest.mark.parametrize(
    ("state", "outcome", "after"),
    [
        (tp.AUTHORISING, "approved", tp.CANCELLING),
        (tp.AUTHORISING, "declined", tp.DECLINED),
        (tp.AUTHORISING, "unknown", tp.AUTHORISING),
        (tp.CANCELLING, "approved", tp.CANCELLED),
        (tp.CANCELLING, "declined", tp.AUTHORISED),
        (tp.CANCELLING, "unknown", tp.CANCELLING),
        (tp.COMMITTED, "approved", tp.COMMITTED),
    ],
)
def test_after_resolve(state, outcome, after):
    assert tp.after_resolve(state, outcome) == after


@pytest.mark.parametrize(
    ("outcome", "state", "action"),
    [
        ("done", tp.PRINTED, "commit"),
        ("failed", tp.FAILED, "cancel"),
        # paper out, cover open: certainly not registered, the money waits for the fix
        ("retry", tp.PENDING, "keep"),
        # the answer was lost: the register is asked before anything else happens
        ("ask", tp.PRINTING, "keep"),
    ],
)
def test_after_print(outcome, state, action):
    assert tp.after_print(outcome) == (state, action)


def test_receipt_recovery():
    assert tp.receipt_recovery(tp.PRINTING) == "resolve"
    assert tp.receipt_recovery(tp.PRINTED) == "commit"
    assert tp.receipt_recovery(tp.PENDING) == "none"
    assert tp.receipt_recovery(tp.DONE) == "none"
