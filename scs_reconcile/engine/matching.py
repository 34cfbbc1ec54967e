"""Matching one acquirer registry against the POS card payments.

Policy (rows are those of one registry; amounts are signed, see :mod:`.rows`):

1. The key is (terminal id, RRN). A purchase row matches an open POS sale, a
   refund row an open POS refund, with the same key and an amount within
   ``Tolerance.amount``: MATCHED, rule "tid+rrn" (``difference`` = row - payment).
   Same key and kind but the amount outside the tolerance: AMOUNT_MISMATCH with
   the difference; the payment is not consumed (it waits for the person who
   decides) and is not POS-only either.
2. When the row's key finds no payment of its kind at all, the fallback is
   (terminal, auth code, amount within tolerance, operation day and payment day
   at most ``Tolerance.days`` apart): MATCHED, rule "tid+auth+amount+date", only
   if the row has exactly one candidate and no other row claims that payment.
3. A reversal (a purchase cancelled) or a cancel_refund (a refund cancelled)
   pairs with the purchase / refund row of the same key whose amount it nets
   out. Both rows are REVERSED_PAIR, rule "reversal", and carry the POS payment
   of that RRN of kind void (or the payments of that RRN that net to zero
   together); with none, no key: the cashier cancelled before the POS recorded
   anything. A reversal with no row to pair in this registry goes to the
   earlier, reconciled sale (refund) it cancels, or to an open void of that RRN:
   REVERSED_PAIR, rule "reversal+earlier"; with neither: UNMATCHED_REGISTRY.
4. A chargeback (or its reversal) names the original sale by key; that sale is
   looked up among all payments, reconciled ones included, made up to
   ``Tolerance.reconciled_lookback_days`` before the row's settlement date (its
   operation date when there is none): CHARGEBACK with that key. It is a dispute
   on the sale, never a new match, and does not stop a purchase row matching
   it. With no such sale: UNMATCHED_REGISTRY, rule "chargeback".
5. A fee_only row (failed authorisation) is FEE_ONLY, with no key.
6. One registry row may stand for 2..4 open payments of its kind, on its
   terminal and its operation day, that share its RRN or its auth code and add
   up to its amount (the bank merged them): SPLIT, rule "merge". Several rows of
   one key may add up to one payment (the bank split it): each SPLIT with that
   key, rule "split". ``difference`` is what the rows add up to minus what the
   payments add up to. Searches stop at 4 items out of 12 candidates.
7. A row repeating the (terminal, RRN, kind, amount, operation time) of an
   earlier row of the registry is DUPLICATE, with no key; only the first counts.
8. A payment is consumed by one row only (rules 3, 4 and 6 excepted). Reconciled
   payments are never matched again: a purchase or refund row whose key finds
   only one is UNMATCHED_REGISTRY, rule "reconciled earlier", naming it.
9. POS-only: the payments not reconciled earlier that no outcome names.
10. Suggestions, for UNMATCHED_REGISTRY and AMOUNT_MISMATCH rows, among the
    payments neither reconciled, nor taken by a row, nor disputed (a mismatched
    payment stays open), on the row's terminal within 2 days: same terminal
    +30, same amount (within tolerance) +30 or within 1 % +15, same auth code
    +25, 0/1/2 days apart +15/+10/+5, card ending in the same 4 digits +10
    (``payment.extra["card_mask"]``). Scores below 40 are dropped; at most 3 per
    row, best first, ties to the nearer day, then to the smaller key.

Order of the passes, so that a looser rule never takes what a stricter one
would have matched: duplicates, fee rows, reversals, chargebacks, exact key
matches over the whole registry, split, fallback, merge, then the leftovers.
Every lookup goes through a dict index, so the run is linear in rows plus
payments, except for the suggestions, which read the same-terminal days only.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, islice

from . import rows as kind
from ._shared import errors, money

# outcome statuses
MATCHED = "MATCHED"
REVERSED_PAIR = "REVERSED_PAIR"
CHARGEBACK = "CHARGEBACK"
FEE_ONLY = "FEE_ONLY"
UNMATCHED_REGISTRY = "UNMATCHED_REGISTRY"
AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
DUPLICATE = "DUPLICATE"
SPLIT = "SPLIT"

# rules
RULE_RRN = "tid+rrn"
RULE_AUTH = "tid+auth+amount+date"
RULE_REVERSAL = "reversal"
RULE_EARLIER_REVERSAL = "reversal+earlier"
RULE_CHARGEBACK = "chargeback"
RULE_FEE = "fee_only"
RULE_SPLIT = "split"
RULE_MERGE = "merge"
RULE_DUPLICATE = "duplicate"
RULE_RECONCILED = "reconciled earlier"
RULE_NONE = "none"

# POS payment kinds
POS_SALE = "sale"
POS_REFUND = "refund"
POS_VOID = "void"
POS_KINDS = (POS_SALE, POS_REFUND, POS_VOID)

#: the POS payment kind a registry row of that kind matches
_POS_KIND = {kind.PURCHASE: POS_SALE, kind.REFUND: POS_REFUND}
#: the row kind a cancelling row cancels
_CANCELS = {kind.REVERSAL: kind.PURCHASE, kind.CANCEL_REFUND: kind.REFUND}
_CHARGEBACKS = (kind.CHARGEBACK, kind.CHARGEBACK_REVERSAL)
_MAX_PARTS = 4
_MAX_CANDIDATES = 12  # C(12,2) + C(12,3) + C(12,4) = 781 sums at most per search
_SUGGEST_DAYS = 2
_SUGGEST_MIN = 40
_SUGGEST_TOP = 3
_DAY_POINTS = (15, 10, 5)
_DAY_REASONS = ("same day", "1 day apart", "2 days apart")
_PERCENT = Decimal("0.01")


class MatchError(errors.CodedError):
    """Input the matcher cannot work with; ``code`` and ``params`` word the message."""

    MESSAGES = {
        "tolerance": "tolerance {name} cannot be {value}",
        "row_kind": "row {line}: unknown operation kind {kind!r}",
        "row_line": "row line {line} appears twice in the registry",
        "row_amount": "row {line}: {amount!r} is not an amount of money",
        "payment_kind": "payment {key}: unknown kind {kind!r}",
        "payment_key": "payment key {key} appears twice",
        "payment_amount": "payment {key}: {amount!r} is not an amount of money",
    }


@dataclass(frozen=True)
class Tolerance:
    amount: Decimal = Decimal("0.00")  # accepted difference between row and payment amounts
    days: int = 1  # date window for the fallback match (operation day vs payment day)
    reconciled_lookback_days: int = 45  # how far back a chargeback's original sale may be

    def __post_init__(self):
        try:
            amount = money.to_decimal(self.amount)
        except money.MoneyError:
            raise MatchError("tolerance", name="amount", value=self.amount) from None
        if amount < 0:
            raise MatchError("tolerance", name="amount", value=self.amount)
        object.__setattr__(self, "amount", amount)
        for name in ("days", "reconciled_lookback_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MatchError("tolerance", name=name, value=value)


@dataclass(frozen=True)
class Outcome:
    row_line: int  # RegistryRow.line (rows keyed by line within one registry)
    status: str
    payment_keys: tuple  # the POS payments this row belongs to (one, several, none)
    rule: str  # which rule decided
    difference: Decimal = Decimal(0)  # row amount - payments' amount


@dataclass(frozen=True)
class Suggestion:
    row_line: int
    payment_key: object
    score: int  # 0..100
    reasons: tuple  # e.g. ("same terminal", "same amount", "1 day apart", "auth code")


@dataclass(frozen=True)
class Result:
    outcomes: tuple[Outcome, ...]  # one per row, in row order
    pos_only: tuple  # keys of the open payments no outcome names, in payment order
    suggestions: tuple[Suggestion, ...]  # best first per row, rows in row order


DEFAULT_TOLERANCE = Tolerance()


def _amount(value, code, **params):
    # the fast path: parsers and the Odoo layer hand over Decimals already
    if type(value) is Decimal and value.is_finite():
        return value
    try:
        return money.to_decimal(value)
    except money.MoneyError:
        raise MatchError(code, amount=value, **params) from None


def _last4(mask):
    tail = (mask or "")[-4:]
    return tail if len(tail) == 4 and tail.isdigit() else ""


def _subset(items, value, target, tol, sizes):
    """The first combination of ``items`` of one of ``sizes`` adding up to ``target``."""
    for size in sizes:
        for combo in combinations(items, size):
            if abs(sum(value[i] for i in combo) - target) <= tol:
                return combo
    return None


class _Index(dict):
    """key -> positions. A lone position is kept bare: most keys have one, and a
    list for each would give the garbage collector 100,000 more objects to walk."""

    def add(self, key, position):
        found = self.get(key)
        if found is None:
            self[key] = position
        elif type(found) is int:
            self[key] = [found, position]
        else:
            found.append(position)

    def at(self, key):
        found = self.get(key, ())
        return (found,) if type(found) is int else found


class _Run:
    """One matching run: the indexes and what the passes decided so far."""

    def __init__(self, rows, payments, tolerance):
        self.rows = rows
        self.pays = payments
        self.tol = tolerance.amount
        self.tolerance = tolerance
        self.row_amount = []
        self.row_day = []
        lines = set()
        for row in rows:
            if row.kind not in kind.KINDS:
                raise MatchError("row_kind", line=row.line, kind=row.kind)
            if row.line in lines:
                raise MatchError("row_line", line=row.line)
            lines.add(row.line)
            self.row_amount.append(_amount(row.amount, "row_amount", line=row.line))
            self.row_day.append(row.operation_at.toordinal())
        self.pay_amount = []
        self.pay_day = []
        self.by_key = _Index()  # (tid, rrn) -> payments, reconciled included
        self.by_auth = _Index()  # (tid, auth) -> open payments
        keys = set()
        for p, pay in enumerate(payments):
            if pay.kind not in POS_KINDS:
                raise MatchError("payment_kind", key=pay.key, kind=pay.kind)
            if pay.key in keys:
                raise MatchError("payment_key", key=pay.key)
            keys.add(pay.key)
            self.pay_amount.append(_amount(pay.amount, "payment_amount", key=pay.key))
            self.pay_day.append(pay.at.toordinal())
            # an empty RRN or auth code is no evidence: it never forms a key
            if pay.rrn:
                self.by_key.add((pay.terminal_id, pay.rrn), p)
            if pay.auth_code and not pay.reconciled:
                self.by_auth.add((pay.terminal_id, pay.auth_code), p)
        self.outcomes = [None] * len(rows)
        # payments an outcome names: taken by a row (matched, pair, split), waiting
        # for a decision (amount mismatch), or disputed (chargeback)
        self.consumed = set()
        self.held = set()
        self.disputed = set()

    # helpers

    def _open_rows(self, *kinds):
        return [
            i for i, row in enumerate(self.rows) if self.outcomes[i] is None and row.kind in kinds
        ]

    def _keyed(self, i):
        row = self.rows[i]
        return self.by_key.at((row.terminal_id, row.rrn)) if row.rrn else ()

    def _free(self, p, pos_kind=None):
        pay = self.pays[p]
        return (
            not pay.reconciled
            and p not in self.consumed
            and (pos_kind is None or pay.kind == pos_kind)
        )

    def _seconds(self, i, p):
        return abs((self.rows[i].operation_at - self.pays[p].at).total_seconds())

    def _closest(self, i, candidates):
        """The candidate nearest to row ``i`` in amount, then in time, then first given."""
        amount = self.row_amount[i]
        return min(
            candidates,
            key=lambda p: (abs(amount - self.pay_amount[p]), self._seconds(i, p)),
        )

    def _decide(self, i, status, rule, pays=(), difference=Decimal(0), into=None):
        self.outcomes[i] = Outcome(
            self.rows[i].line, status, tuple(self.pays[p].key for p in pays), rule, difference
        )
        (self.consumed if into is None else into).update(pays)

    # passes

    def duplicates(self):
        seen = set()
        for i, row in enumerate(self.rows):
            signature = (row.terminal_id, row.rrn, row.kind, self.row_amount[i], row.operation_at)
            if signature in seen:
                self._decide(i, DUPLICATE, RULE_DUPLICATE)
            seen.add(signature)

    def fees(self):
        for i in self._open_rows(kind.FEE_ONLY):
            self._decide(i, FEE_ONLY, RULE_FEE)

    def reversals(self):
        cancelling = self._open_rows(kind.REVERSAL, kind.CANCEL_REFUND)
        wanted = {(self.rows[i].terminal_id, self.rows[i].rrn) for i in cancelling}
        originals = defaultdict(list)
        for j in self._open_rows(kind.PURCHASE, kind.REFUND) if wanted else ():
            row = self.rows[j]
            if (row.terminal_id, row.rrn) in wanted:
                originals[(row.terminal_id, row.rrn, row.kind)].append(j)
        for i in cancelling:
            row = self.rows[i]
            partner = next(
                (
                    j
                    for j in originals.get((row.terminal_id, row.rrn, _CANCELS[row.kind]), ())
                    if self.outcomes[j] is None
                    and abs(self.row_amount[j] + self.row_amount[i]) <= self.tol
                ),
                None,
            )
            if partner is None:
                self._earlier_reversal(i)
                continue
            pays = self._voided(i, partner)
            self._decide(partner, REVERSED_PAIR, RULE_REVERSAL, pays)
            self._decide(i, REVERSED_PAIR, RULE_REVERSAL, pays)

    def _voided(self, i, j):
        """The POS record of the cancelled operation ``j`` / ``i``: a void, or what nets out."""
        amount = abs(self.row_amount[j])
        free = [p for p in self._keyed(i) if self._free(p)]
        voids = [
            p
            for p in free
            if self.pays[p].kind == POS_VOID
            and (abs(abs(self.pay_amount[p]) - amount) <= self.tol or not self.pay_amount[p])
        ]
        if voids:
            return (min(voids, key=lambda p: self._seconds(i, p)),)
        if free and abs(sum(self.pay_amount[p] for p in free)) <= self.tol:
            return tuple(free)
        return ()

    def _within_lookback(self, i, p):
        row = self.rows[i]
        since = (row.settlement_date or row.operation_at).toordinal()
        days = since - self.pay_day[p]
        return -self.tolerance.days <= days <= self.tolerance.reconciled_lookback_days

    def _earlier_reversal(self, i):
        # the purchase (refund) was in an earlier registry: its POS payment is
        # reconciled, or still an open void when that registry did not match it
        pos_kind = _POS_KIND[_CANCELS[self.rows[i].kind]]
        amount = abs(self.row_amount[i])
        candidates = [
            p
            for p in self._keyed(i)
            if abs(abs(self.pay_amount[p]) - amount) <= self.tol
            and self._within_lookback(i, p)
            and (
                (self.pays[p].reconciled and self.pays[p].kind == pos_kind)
                or (self.pays[p].kind == POS_VOID and self._free(p))
            )
        ]
        if not candidates:
            self._decide(i, UNMATCHED_REGISTRY, RULE_REVERSAL)
            return
        best = min(candidates, key=lambda p: (not self.pays[p].reconciled, self._seconds(i, p)))
        self._decide(i, REVERSED_PAIR, RULE_EARLIER_REVERSAL, (best,))

    def chargebacks(self):
        for i in self._open_rows(*_CHARGEBACKS):
            amount = abs(self.row_amount[i])
            sales = [
                p
                for p in self._keyed(i)
                if self.pays[p].kind == POS_SALE and self._within_lookback(i, p)
            ]
            if not sales:
                self._decide(i, UNMATCHED_REGISTRY, RULE_CHARGEBACK)
                continue
            # a partial chargeback names a sale of a larger amount: same amount first
            best = min(
                sales,
                key=lambda p: (abs(self.pay_amount[p] - amount) > self.tol, self._seconds(i, p)),
            )
            self._decide(i, CHARGEBACK, RULE_CHARGEBACK, (best,), into=self.disputed)

    def exact(self):
        for i in self._open_rows(kind.PURCHASE, kind.REFUND):
            pos_kind = _POS_KIND[self.rows[i].kind]
            amount = self.row_amount[i]
            candidates = [
                p
                for p in self._keyed(i)
                if self._free(p, pos_kind) and abs(amount - self.pay_amount[p]) <= self.tol
            ]
            if candidates:
                p = candidates[0] if len(candidates) == 1 else self._closest(i, candidates)
                self._decide(i, MATCHED, RULE_RRN, (p,), amount - self.pay_amount[p])

    def split(self):
        groups = defaultdict(list)
        for i in self._open_rows(kind.PURCHASE, kind.REFUND):
            row = self.rows[i]
            if row.rrn:
                groups[(row.terminal_id, row.rrn, row.kind)].append(i)
        sizes = range(_MAX_PARTS, 1, -1)  # all the key's rows first: that is the usual split
        for members in groups.values():
            if len(members) < 2:
                continue
            pos_kind = _POS_KIND[self.rows[members[0]].kind]
            for p in self._keyed(members[0]):
                if len(members) < 2:
                    break
                if not self._free(p, pos_kind):
                    continue
                target = self.pay_amount[p]
                combo = _subset(members[:_MAX_CANDIDATES], self.row_amount, target, self.tol, sizes)
                if combo is None:
                    continue
                difference = sum(self.row_amount[i] for i in combo) - target
                for i in combo:
                    self._decide(i, SPLIT, RULE_SPLIT, (p,), difference)
                members = [i for i in members if i not in combo]

    def fallback(self):
        claims = defaultdict(int)
        wanted = []
        for i in self._open_rows(kind.PURCHASE, kind.REFUND):
            row = self.rows[i]
            pos_kind = _POS_KIND[row.kind]
            if not row.auth_code or any(self.pays[p].kind == pos_kind for p in self._keyed(i)):
                continue
            candidates = [
                p
                for p in self.by_auth.at((row.terminal_id, row.auth_code))
                if self._free(p, pos_kind)
                and abs(self.row_amount[i] - self.pay_amount[p]) <= self.tol
                and abs(self.row_day[i] - self.pay_day[p]) <= self.tolerance.days
            ]
            wanted.append((i, candidates))
            for p in candidates:
                claims[p] += 1
        # unique both ways: one candidate, and no other row wanting it
        for i, candidates in wanted:
            if len(candidates) == 1 and claims[candidates[0]] == 1:
                p = candidates[0]
                self._decide(i, MATCHED, RULE_AUTH, (p,), self.row_amount[i] - self.pay_amount[p])

    def merge(self):
        sizes = range(2, _MAX_PARTS + 1)  # the fewest payments that explain the row
        for i in self._open_rows(kind.PURCHASE, kind.REFUND):
            row = self.rows[i]
            pos_kind = _POS_KIND[row.kind]
            near = list(self._keyed(i))
            if row.auth_code:
                near += self.by_auth.at((row.terminal_id, row.auth_code))
            candidates = sorted(
                {p for p in near if self._free(p, pos_kind) and self.pay_day[p] == self.row_day[i]},
                key=lambda p: (self._seconds(i, p), p),
            )[:_MAX_CANDIDATES]
            if len(candidates) < 2:
                continue
            combo = _subset(candidates, self.pay_amount, self.row_amount[i], self.tol, sizes)
            if combo is not None:
                combo = sorted(combo)
                difference = self.row_amount[i] - sum(self.pay_amount[p] for p in combo)
                self._decide(i, SPLIT, RULE_MERGE, combo, difference)

    def leftovers(self):
        for i in self._open_rows(kind.PURCHASE, kind.REFUND):
            pos_kind = _POS_KIND[self.rows[i].kind]
            same = [p for p in self._keyed(i) if self.pays[p].kind == pos_kind]
            open_ = [p for p in same if self._free(p)]
            if open_:
                p = self._closest(i, open_)
                difference = self.row_amount[i] - self.pay_amount[p]
                self._decide(i, AMOUNT_MISMATCH, RULE_RRN, (p,), difference, into=self.held)
                continue
            earlier = [p for p in same if self.pays[p].reconciled]
            if earlier:
                # most likely the bank sent the row again: name the payment, match nothing
                p = self._closest(i, earlier)
                self._decide(i, UNMATCHED_REGISTRY, RULE_RECONCILED, (p,), into=self.held)
            else:
                self._decide(i, UNMATCHED_REGISTRY, RULE_NONE)

    # results

    def pos_only(self):
        named = self.consumed | self.held | self.disputed
        return tuple(
            pay.key for p, pay in enumerate(self.pays) if not pay.reconciled and p not in named
        )

    def suggestions(self):
        targets = [
            i
            for i, outcome in enumerate(self.outcomes)
            if outcome.status in (UNMATCHED_REGISTRY, AMOUNT_MISMATCH)
        ]
        if not targets:
            return ()
        # a mismatched payment is still open to suggestions; a disputed sale is not
        open_ = [p for p in range(len(self.pays)) if self._free(p) and p not in self.disputed]
        suggester = _Suggester(self, open_)
        return tuple(s for i in targets for s in suggester.suggest(i))


class _Suggester:
    """The payments open to suggestions, indexed by terminal and day.

    Only a payment sharing something with the row (auth code, card, an amount
    within 1 %) can beat one that is merely near in time, so those come from
    indexes, and of the others only the first few per day can make the top 3:
    a row never scores the whole of its terminal's days.
    """

    def __init__(self, run, payments):
        self.run = run
        pays = run.pays
        try:
            payments = sorted(payments, key=lambda p: pays[p].key)
        except TypeError:  # keys of mixed types: keep the order they were given in
            payments = sorted(payments)
        self.rank = {p: n for n, p in enumerate(payments)}
        self.by_day = defaultdict(list)  # (tid, day) -> payments, in key order
        self.by_auth = _Index()  # (tid, day, auth code)
        self.by_card = _Index()  # (tid, day, last 4 digits)
        self.last4 = {}
        amounts = defaultdict(list)
        for p in payments:
            pay = pays[p]
            day = (pay.terminal_id, run.pay_day[p])
            self.by_day[day].append(p)
            if pay.auth_code:
                self.by_auth.add((*day, pay.auth_code), p)
            last4 = _last4(pay.extra.get("card_mask"))
            if last4:
                self.by_card.add((*day, last4), p)
                self.last4[p] = last4
            amounts[day].append((run.pay_amount[p], p))
        self.by_amount = {}  # (tid, day) -> (sorted amounts, their payments)
        for day, pairs in amounts.items():
            pairs.sort()
            self.by_amount[day] = ([a for a, _p in pairs], [p for _a, p in pairs])

    def _related(self, i, last4):
        run = self.run
        row = run.rows[i]
        amount = run.row_amount[i]
        reach = max(abs(amount) * _PERCENT, run.tol)
        related = set()
        for delta in range(-_SUGGEST_DAYS, _SUGGEST_DAYS + 1):
            day = (row.terminal_id, run.row_day[i] + delta)
            if row.auth_code:
                related.update(self.by_auth.at((*day, row.auth_code)))
            if last4:
                related.update(self.by_card.at((*day, last4)))
            if day in self.by_amount:
                values, payments = self.by_amount[day]
                low = bisect_left(values, amount - reach)
                related.update(payments[low : bisect_right(values, amount + reach, low)])
        return related

    def _candidates(self, i, last4):
        related = self._related(i, last4)
        row = self.run.rows[i]
        nearby = []
        # near in time only: 2 days apart scores 35, so only 0 and 1 day count
        for delta in (0, -1, 1):
            day = (row.terminal_id, self.run.row_day[i] + delta)
            nearby.extend(
                islice((p for p in self.by_day.get(day, ()) if p not in related), _SUGGEST_TOP)
            )
        return [*related, *nearby]

    def suggest(self, i):
        run = self.run
        row = run.rows[i]
        amount = run.row_amount[i]
        percent = abs(amount) * _PERCENT
        last4 = _last4(row.card_mask)
        scored = []
        for p in self._candidates(i, last4):
            score, reasons = 30, ["same terminal"]
            gap = abs(amount - run.pay_amount[p])
            if gap <= run.tol:
                score += 30
                reasons.append("same amount")
            elif gap <= percent:
                score += 15
                reasons.append("amount within 1%")
            distance = abs(run.row_day[i] - run.pay_day[p])
            score += _DAY_POINTS[distance]
            reasons.append(_DAY_REASONS[distance])
            if row.auth_code and row.auth_code == run.pays[p].auth_code:
                score += 25
                reasons.append("auth code")
            if last4 and last4 == self.last4.get(p):
                score += 10
                reasons.append("card last 4")
            if score >= _SUGGEST_MIN:
                scored.append((-score, distance, self.rank[p], p, tuple(reasons)))
        scored.sort()
        return [
            Suggestion(row.line, run.pays[p].key, -neg, reasons)
            for neg, _distance, _rank, p, reasons in scored[:_SUGGEST_TOP]
        ]


def row_keys(rows: Sequence[kind.RegistryRow]) -> frozenset:
    """The (terminal id, RRN) keys of ``rows``. A reconciled payment counts only
    through the row key it shares (rules 3, 4 and 8, and the fallback's test that the
    key finds no payment of the row's kind): one whose key is not among these can be
    left out of :func:`match`'s payments, the result is the same."""
    return frozenset((row.terminal_id, row.rrn) for row in rows if row.rrn)


def match(
    rows: Sequence[kind.RegistryRow],
    payments: Sequence[kind.Payment],
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> Result:
    """Match the ``rows`` of one registry against the POS ``payments`` (see the policy)."""
    run = _Run(tuple(rows), tuple(payments), tolerance)
    run.duplicates()
    run.fees()
    run.reversals()
    run.chargebacks()
    run.exact()
    run.split()
    run.fallback()
    run.merge()
    run.leftovers()
    return Result(tuple(run.outcomes), run.pos_only(), run.suggestions())
