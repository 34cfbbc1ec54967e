"""A supplier's statement against our agent sales lines of that supplier.

Rules, in this order; a line settles one row (or one group) only:

1. ``duplicate``: a row repeating an earlier row of the file (same document, kind and
   amount), or naming a document whose lines an earlier statement has settled.
2. ``document``: a row with a document takes the free lines of that document and kind
   (a sale: the sales, a refund: the refunds): the one of its amount, else the set of
   them whose sum is its amount (a supplier may list a document once that we sold in
   two lines), else the closest, as ``AMOUNT_MISMATCH``.
3. ``item``: a row without a document (goods by item code) takes the free line of its
   item, kind, quantity and amount within the day window, closest first; the rows left
   of an item and day are compared with our lines left of that item and day as sums.
4. What stays is ``UNMATCHED_STATEMENT`` with ranked suggestions; our lines of the
   statement's period that no row took are ``missing`` (sold by us, not in the
   supplier's statement).

A matched row whose file gives the commission is checked against ours:
``COMMISSION_MISMATCH`` when they differ by more than the tolerance.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .statement import REFUND, SALE, document_key

ZERO = Decimal("0.00")

MATCHED = "MATCHED"
SPLIT = "SPLIT"
AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
COMMISSION_MISMATCH = "COMMISSION_MISMATCH"
DUPLICATE = "DUPLICATE"
UNMATCHED = "UNMATCHED_STATEMENT"
STATUSES = (MATCHED, SPLIT, AMOUNT_MISMATCH, COMMISSION_MISMATCH, DUPLICATE, UNMATCHED)
#: statuses whose lines are settled by the row
SETTLING = (MATCHED, SPLIT, COMMISSION_MISMATCH)
#: most lines of one document a split looks at (2**n subsets)
MAX_SPLIT = 8


@dataclass(frozen=True)
class AgentLine:
    """One of our agent sales lines (a refund: negative amount) of the supplier."""

    key: object
    day: datetime.date  # the office's local day of the order
    amount: Decimal  # what the customer paid for the line, tax included, signed
    document: str = ""
    item: str = ""
    quantity: Decimal = Decimal(1)  # positive
    commission: Decimal | None = None  # our commission, signed like the amount
    booking: str = ""
    settled: bool = False  # an earlier statement took it

    @property
    def kind(self):
        return REFUND if self.amount < 0 else SALE


@dataclass(frozen=True)
class Tolerance:
    amount: Decimal = ZERO  # roubles either way that still count as equal
    days: int = 3  # item rows: the supplier's day against ours

    def __post_init__(self):
        if self.amount < 0 or self.days < 0:
            raise ValueError("a tolerance is never negative")


@dataclass(frozen=True)
class Outcome:
    row_line: int
    status: str
    rule: str
    line_keys: tuple = ()
    difference: Decimal = ZERO  # the statement's amount less ours
    commission_difference: Decimal = ZERO


@dataclass(frozen=True)
class Suggestion:
    row_line: int
    line_key: object
    score: int
    reasons: tuple


@dataclass(frozen=True)
class Result:
    outcomes: tuple  # one per row, in file order
    missing: tuple  # keys of our lines of the period in no row
    suggestions: tuple


def match(rows, lines, tolerance=None, period=None):
    """Match ``rows`` (:class:`~.statement.StatementRow`) with ``lines``
    (:class:`AgentLine`); ``period`` (first day, last day) bounds ``missing``:
    None takes the rows' own days."""
    return _Run(rows, lines, tolerance or Tolerance(), period).run()


class _Run:
    def __init__(self, rows, lines, tolerance, period):
        self.rows = list(rows)
        self.lines = list(lines)
        self.tol = tolerance
        if period is None and self.rows:
            period = (min(r.day for r in self.rows), max(r.day for r in self.rows))
        self.period = period
        self.outcomes = {}
        self.free = {i for i, line in enumerate(self.lines) if not line.settled}
        self.by_document = defaultdict(list)
        self.by_item = defaultdict(list)
        for i, line in enumerate(self.lines):
            if line.document:
                self.by_document[document_key(line.document)].append(i)
            if line.item:
                self.by_item[line.item].append(i)

    def run(self):
        self.duplicates()
        self.documents()
        self.items()
        self.item_groups()
        suggestions = []
        for row in self.rows:
            if row.line not in self.outcomes:
                self.decide(row, UNMATCHED, "none")
                suggestions.extend(self.suggest(row))
        missing = ()
        if self.period:
            first, last = self.period
            missing = tuple(
                self.lines[i].key for i in sorted(self.free) if first <= self.lines[i].day <= last
            )
        return Result(
            outcomes=tuple(self.outcomes[r.line] for r in self.rows),
            missing=missing,
            suggestions=tuple(suggestions),
        )

    # decisions

    def equal(self, a, b):
        return abs(a - b) <= self.tol.amount

    def decide(self, row, status, rule, taken=(), difference=ZERO):
        commission_difference = ZERO
        if status in (MATCHED, SPLIT) and row.commission is not None:
            ours = [self.lines[i].commission for i in taken]
            if all(c is not None for c in ours):
                commission_difference = row.commission - sum(ours, ZERO)
                if not self.equal(commission_difference, ZERO):
                    status = COMMISSION_MISMATCH
        self.free.difference_update(taken)
        self.outcomes[row.line] = Outcome(
            row_line=row.line,
            status=status,
            rule=rule,
            line_keys=tuple(self.lines[i].key for i in taken),
            difference=difference,
            commission_difference=commission_difference,
        )

    def open_rows(self, with_document):
        return [
            r
            for r in self.rows
            if r.line not in self.outcomes and bool(r.document_key) == with_document
        ]

    # rules

    def duplicates(self):
        seen = set()
        for row in self.open_rows(True):
            ident = (row.document_key, row.kind, row.amount)
            of_document = [
                i
                for i in self.by_document.get(row.document_key, ())
                if self.lines[i].kind == row.kind
            ]
            if ident in seen:
                self.decide(row, DUPLICATE, "repeated in the file")
            elif of_document and all(self.lines[i].settled for i in of_document):
                self.decide(row, DUPLICATE, "settled by an earlier statement")
            seen.add(ident)

    def documents(self):
        for row in self.open_rows(True):
            candidates = [
                i
                for i in self.by_document.get(row.document_key, ())
                if i in self.free and self.lines[i].kind == row.kind
            ]
            if not candidates:
                continue
            candidates.sort(key=lambda i: (abs((self.lines[i].day - row.day).days), i))
            exact = [i for i in candidates if self.equal(self.lines[i].amount, row.amount)]
            if exact:
                self.decide(row, MATCHED, "document", [exact[0]])
                continue
            subset = _subset(candidates[:MAX_SPLIT], self.lines, row.amount, self.equal)
            if subset:
                self.decide(row, SPLIT, "document, lines summed", subset)
                continue
            closest = min(candidates, key=lambda i: abs(self.lines[i].amount - row.amount))
            self.decide(
                row,
                AMOUNT_MISMATCH,
                "document",
                [closest],
                row.amount - self.lines[closest].amount,
            )

    def near(self, row, i):
        return abs((self.lines[i].day - row.day).days) <= self.tol.days

    def items(self):
        for row in self.open_rows(False):
            candidates = [
                i
                for i in self.by_item.get(row.item, ())
                if i in self.free
                and self.lines[i].kind == row.kind
                and self.lines[i].quantity == row.quantity
                and self.equal(self.lines[i].amount, row.amount)
                and self.near(row, i)
            ]
            if candidates:
                best = min(candidates, key=lambda i: (abs((self.lines[i].day - row.day).days), i))
                self.decide(row, MATCHED, "item", [best])

    def item_groups(self):
        groups = defaultdict(list)
        for row in self.open_rows(False):
            groups[(row.item, row.kind, row.day)].append(row)
        for (item, kind, day), group in sorted(groups.items(), key=lambda g: g[1][0].line):
            ours = [
                i
                for i in self.by_item.get(item, ())
                if i in self.free and self.lines[i].kind == kind and self.lines[i].day == day
            ]
            if not ours:
                continue
            theirs = sum((r.amount for r in group), ZERO)
            total = sum((self.lines[i].amount for i in ours), ZERO)
            same_quantity = sum(r.quantity for r in group) == sum(
                self.lines[i].quantity for i in ours
            )
            first, others = group[0], group[1:]
            if self.equal(theirs, total) and same_quantity:
                self.decide(first, SPLIT, "item and day, summed", ours)
                for row in others:
                    self.decide(row, SPLIT, "item and day, summed")
            else:
                self.decide(first, AMOUNT_MISMATCH, "item and day, summed", ours, theirs - total)
                for row in others:
                    self.decide(row, AMOUNT_MISMATCH, "item and day, summed")

    # what stays

    def suggest(self, row):
        """Free lines that may be the row's: a document differing in a digit or two,
        the same booking, the same amount within the day window."""
        found = []
        for i in sorted(self.free):
            line = self.lines[i]
            reasons, score = [], 0
            if row.document_key and line.document:
                distance = _distance(row.document_key, document_key(line.document))
                if distance <= 2:
                    reasons.append(f"document differs in {distance}")
                    score += 50 - 10 * distance
            if row.booking and line.booking and row.booking.upper() == line.booking.upper():
                reasons.append("same booking")
                score += 30
            if self.equal(line.amount, row.amount) and self.near(row, i):
                reasons.append("same amount")
                score += 20
            if row.item and line.item == row.item:
                reasons.append("same item")
                score += 10
            if score >= 30:
                found.append(Suggestion(row.line, line.key, score, tuple(reasons)))
        found.sort(key=lambda s: -s.score)
        return found[:5]


def _subset(candidates, lines, target, equal):
    for size in range(2, len(candidates) + 1):
        for combo in itertools.combinations(candidates, size):
            if equal(sum((lines[i].amount for i in combo), ZERO), target):
                return list(combo)
    return None


def _distance(a, b):
    """Edit distance of two document numbers, capped at 3 (only small ones matter)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return min(previous[-1], 3)
