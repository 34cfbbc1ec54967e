"""Refunds: how much of a line may still be refunded, and which tenders get the money back.

Policy (the same in the POS proposal, the back office and the server's check):

1. A line is refunded by quantity; all refunds of a line never add up to more
   units or more money than it sold (a refund line is priced like the sold
   one, rounded to kopecks once, so the last unit may get a kopeck less).
2. The refund goes back to the order's own tenders, never to more than a
   tender still holds (what it paid less what earlier refunds took from it,
   wherever they were made). Tenders are served in the order of their kind's
   priority, then in the order they were paid: card first (to the same card,
   by the original RRN), then certificate and voucher (re-credited), then
   bonus points (reversed), cash last.
3. The cashier may change the proposed split, but only within the rules: no
   tender gets more than it holds, the split adds up to the refund, and money
   of a tender is given out as cash only if its kind allows it: card money
   with a manager's approval, certificate, voucher and points money never.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from .errors import CodedError
from .money import KOPECK, to_decimal

CASH = "cash"
CARD = "card"
CERTIFICATE = "certificate"
VOUCHER = "voucher"
POINTS = "points"
OTHER = "other"

#: refund as cash of a tender's money
TO_CASH_FREE = "free"
TO_CASH_APPROVAL = "approval"
TO_CASH_NEVER = "never"


class RefundError(CodedError):
    """A refund that breaks the policy; ``code`` and ``params`` word the message."""

    MESSAGES = {
        "amount": "{amount} is not an amount in kopecks greater than zero",
        "line_qty": "{qty} of {line} cannot be refunded: {left} left to refund",
        "line_amount": "{amount} for {line} is more than the {left} left to refund",
        "exceeds_paid": "refund of {amount} is more than the {left} the order's tenders still hold",
        "tender_exceeded": "{amount} back to {tender} is more than the {left} it still holds",
        "split_total": "the split adds up to {split}, the refund is {amount}",
        "unknown_tender": "{tender} is not a tender of the refunded order",
        "not_cashable": "money paid by {tender} cannot be given back as cash",
        "unknown_kind": "no refund rule for tender kind {kind}",
        "wrong_tender": "a {kind} refund cannot return money paid by {tender}",
        "no_tender": "{amount} back by {kind}: no {kind} tender of the order has it left",
    }


@dataclass(frozen=True)
class TenderRule:
    priority: int
    to_cash: str


#: the documented policy; add-ons add kinds by passing their own mapping
DEFAULT_RULES = MappingProxyType(
    {
        CARD: TenderRule(10, TO_CASH_APPROVAL),
        CERTIFICATE: TenderRule(20, TO_CASH_NEVER),
        VOUCHER: TenderRule(30, TO_CASH_NEVER),
        POINTS: TenderRule(40, TO_CASH_NEVER),
        OTHER: TenderRule(80, TO_CASH_NEVER),
        CASH: TenderRule(90, TO_CASH_FREE),
    }
)


@dataclass(frozen=True)
class Tender:
    """A payment of the original order."""

    key: object
    kind: str
    paid: Decimal
    refunded: Decimal = Decimal(0)
    label: str = ""

    @property
    def left(self):
        return self.paid - self.refunded

    def __str__(self):
        return self.label or str(self.key)


@dataclass(frozen=True)
class Share:
    """Part of a refund going back to ``tender_key``; ``as_cash`` gives it out as cash."""

    tender_key: object
    amount: Decimal
    as_cash: bool = False


def _kopecks_amount(amount, positive=True):
    value = to_decimal(amount)
    if value != value.quantize(KOPECK) or (positive and value <= 0) or value < 0:
        raise RefundError("amount", amount=amount)
    return value


def _rule(rules, kind):
    rules = DEFAULT_RULES if rules is None else rules
    try:
        return rules[kind]
    except KeyError:
        raise RefundError("unknown_kind", kind=kind) from None


def check_line(qty, refunded_qty, total, refunded_amount, refund_qty, refund_amount, line=""):
    """Refuse refunding ``refund_qty`` for ``refund_amount`` more of a line of ``qty``
    for ``total`` when earlier refunds took ``refunded_qty`` for ``refunded_amount``.

    The line's refunds may never add up to more units or more money than it sold.
    """
    qty, refunded_qty, refund_qty = (to_decimal(x) for x in (qty, refunded_qty, refund_qty))
    left_qty = qty - refunded_qty
    if refund_qty <= 0 or refund_qty > left_qty:
        raise RefundError("line_qty", qty=refund_qty, line=line, left=left_qty)
    left = _kopecks_amount(abs(to_decimal(total)), positive=False) - _kopecks_amount(
        refunded_amount, positive=False
    )
    if _kopecks_amount(refund_amount, positive=False) > left:
        raise RefundError("line_amount", amount=refund_amount, line=line, left=left)


def _ordered(tenders, rules=None):
    indexed = list(enumerate(tenders))
    indexed.sort(key=lambda pair: (_rule(rules, pair[1].kind).priority, pair[0]))
    return [tender for _index, tender in indexed]


def allocate(amount, tenders: Iterable[Tender], rules: Mapping | None = None):
    """Propose the split of a refund of ``amount`` over the original ``tenders``."""
    amount = _kopecks_amount(amount)
    tenders = list(tenders)
    left = sum((t.left for t in tenders), Decimal(0))
    if amount > left:
        raise RefundError("exceeds_paid", amount=amount, left=left)
    shares = []
    rest = amount
    for tender in _ordered(tenders, rules):
        if rest <= 0:
            break
        take = min(rest, tender.left)
        if take > 0:
            shares.append(Share(tender.key, take))
            rest -= take
    return shares


def check_split(amount, tenders: Iterable[Tender], shares: Iterable[Share], rules=None):
    """Check a split against the policy; return the shares that need a manager's approval."""
    amount = _kopecks_amount(amount)
    by_key = {tender.key: tender for tender in tenders}
    shares = list(shares)
    taken = {}
    for share in shares:
        _kopecks_amount(share.amount)
        tender = by_key.get(share.tender_key)
        if tender is None:
            raise RefundError("unknown_tender", tender=share.tender_key)
        taken[tender.key] = taken.get(tender.key, Decimal(0)) + share.amount
    split = sum((share.amount for share in shares), Decimal(0))
    if split != amount:
        raise RefundError("split_total", split=split, amount=amount)
    for key, value in taken.items():
        tender = by_key[key]
        if value > tender.left:
            raise RefundError("tender_exceeded", amount=value, tender=tender, left=tender.left)
    needs_approval = []
    for share in shares:
        tender = by_key[share.tender_key]
        if not share.as_cash or tender.kind == CASH:
            continue
        to_cash = _rule(rules, tender.kind).to_cash
        if to_cash == TO_CASH_NEVER:
            raise RefundError("not_cashable", tender=tender)
        if to_cash == TO_CASH_APPROVAL:
            needs_approval.append(share)
    return needs_approval


def link_payments(payments, tenders: Iterable[Tender], rules=None):
    """Tie refund payments that name no tender to the tenders they come from.

    ``payments`` are ``(kind, amount, tender_key or None)``; a payment of a
    non-cash kind goes back to tenders of its own kind, a cash payment first to
    the cash tenders and then, as cash, to the others in policy order.
    Return the shares, one or more per payment, in the order of ``payments``.
    """
    tenders = _ordered(list(tenders), rules)
    left = {tender.key: tender.left for tender in tenders}
    by_key = {tender.key: tender for tender in tenders}
    shares = []
    pending = []
    for index, (kind, amount, tender_key) in enumerate(payments):
        amount = _kopecks_amount(amount)
        if tender_key is not None:
            tender = by_key.get(tender_key)
            if tender is None:
                raise RefundError("unknown_tender", tender=tender_key)
            if kind not in (tender.kind, CASH):
                raise RefundError("wrong_tender", kind=kind, tender=tender)
            left[tender_key] -= amount
            shares.append((index, Share(tender_key, amount, kind != tender.kind)))
        else:
            pending.append((index, kind, amount))
    # own kind first for every payment, then cash over whatever is left
    rests = []
    for index, kind, amount in pending:
        rest = amount
        for tender in tenders:
            if rest <= 0:
                break
            if tender.kind != kind or left[tender.key] <= 0:
                continue
            take = min(rest, left[tender.key])
            shares.append((index, Share(tender.key, take)))
            left[tender.key] -= take
            rest -= take
        if rest > 0:
            rests.append((index, kind, rest))
    for index, kind, rest in rests:
        if kind != CASH:
            raise RefundError("no_tender", amount=rest, kind=kind)
        for tender in tenders:
            if rest <= 0:
                break
            if left[tender.key] <= 0:
                continue
            take = min(rest, left[tender.key])
            shares.append((index, Share(tender.key, take, tender.kind != CASH)))
            left[tender.key] -= take
            rest -= take
        if rest > 0:
            raise RefundError("exceeds_paid", amount=rest, left=Decimal(0))
    shares.sort(key=lambda pair: pair[0])
    return [share for _index, share in shares]
