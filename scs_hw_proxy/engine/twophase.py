"""The two-phase commit between card money and the fiscal receipt, as decisions.

A card sale is authorised on the terminal (phase one), then its order's fiscal
receipt is printed, then the authorisation is confirmed (phase two). A
receipt that certainly failed cancels the authorisations it covered. The
proxy journals each step *before* it acts, so that a proxy killed at any point
finds, on restart, every transaction in a state that says what is left to do;
this module decides it, from the journal and from what the devices answer
when asked. No device is ever asked to do a money or fiscal operation twice:
a step whose answer was lost is resolved by asking the device about it.

Invariants (the kill tests check them at every step):

- no money without a receipt: an authorisation whose receipt never came, or
  certainly failed, is cancelled;
- no receipt without money: a receipt is printed only while every
  authorisation it covers stands;
- no duplicate: a receipt is identified by its external id and a card
  operation by its request id; a repeated request answers what was done.
"""

# card transaction states
AUTHORISING = "authorising"  # the terminal was (maybe) asked: its answer is not journaled
AUTHORISED = "authorised"  # money held, waiting for its receipt
DECLINED = "declined"  # no money taken
COMMITTED = "committed"  # its receipt is printed: the money stands for good
CANCELLING = "cancelling"  # the terminal was (maybe) asked to cancel
CANCELLED = "cancelled"  # the money went back to the card
TXN_OPEN = (AUTHORISING, AUTHORISED, CANCELLING)

# receipt states
PENDING = "pending"  # journaled, not sent to the register
PRINTING = "printing"  # frames (maybe) sent: the register knows whether it registered it
PRINTED = "printed"  # registered, its authorisations not yet all committed
DONE = "done"  # registered and its authorisations committed
FAILED = "failed"  # certainly not registered, and a person must act
RECEIPT_OPEN = (PENDING, PRINTING, PRINTED)

#: how long an authorisation waits for its receipt before the money is given back
DEFAULT_GRACE_SECONDS = 15 * 60


def txn_recovery(state, age_seconds, covered_by_receipt, grace_seconds=DEFAULT_GRACE_SECONDS):
    """What to do with an open card transaction found in the journal on restart.

    ``covered_by_receipt``: a receipt in the journal names this transaction.
    Answers ``"resolve"`` (ask the terminal by request id), ``"cancel"``,
    ``"wait"`` (leave it for its receipt) or ``"none"``.
    """
    if state == AUTHORISING:
        # the POS never heard of this money: resolve, and cancel if it was taken
        return "resolve"
    if state == CANCELLING:
        return "resolve_cancel"
    if state == AUTHORISED:
        if covered_by_receipt:
            return "wait"  # the receipt's own recovery commits or cancels it
        return "cancel" if age_seconds >= grace_seconds else "wait"
    return "none"


def after_resolve(state, terminal_outcome):
    """The next state of a transaction once the terminal said what became of it.

    ``terminal_outcome`` is the bridge's "approved", "declined" or "unknown"
    answer about the transaction's own request (for a cancelling one, about the
    cancel request). Unknown keeps the state: it is asked again later.
    """
    if terminal_outcome == "unknown":
        return state
    if state == AUTHORISING:
        # approved money the POS never got must go back: cancel it next
        return CANCELLING if terminal_outcome == "approved" else DECLINED
    if state == CANCELLING:
        return CANCELLED if terminal_outcome == "approved" else AUTHORISED
    return state


def receipt_recovery(state):
    """What to do with an open receipt found in the journal on restart."""
    if state == PRINTING:
        return "resolve"  # ask the register whether it registered it since fd_before
    if state == PRINTED:
        return "commit"
    return "none"  # pending: the POS sends it again under the same external id


def after_print(outcome):
    """Receipt and transaction steps after the register's answer.

    ``outcome``: the driver's ``status`` ("done", "retry", "ask", "failed").
    Returns ``(receipt state, transaction action)`` where the action is
    ``"commit"``, ``"cancel"`` or ``"keep"``.
    """
    if outcome == "done":
        return PRINTED, "commit"
    if outcome == "failed":
        return FAILED, "cancel"
    if outcome == "retry":
        # certainly not registered, but fixable (paper, cover, shift): the money waits
        return PENDING, "keep"
    return PRINTING, "keep"  # ask: resolved before anything else happens to it
