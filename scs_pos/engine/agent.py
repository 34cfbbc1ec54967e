"""Agent sales: the commission in force on a date, and the split of an agent line.

An agent line's total belongs to the principal (credited to 76.05) except the
agent's commission, which is revenue. Commission percentages come from supplier
contracts with validity dates; on any date at most one contract may apply.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import CodedError
from .money import MoneyError, to_decimal


class CommissionError(CodedError):
    """Contracts that cannot give one commission for a date.

    ``code`` and ``params`` let the caller word the message in the user's language.
    """

    MESSAGES = {
        "percent": "commission {percent}% of {contract} is not within 0-100%",
        "inverted": "contract {contract} ends before it starts",
        "overlap": "contracts {contract} and {other} overlap",
        "uncovered": "no commission contract covers {day}",
    }


@dataclass(frozen=True)
class Contract:
    percent: Decimal
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    name: str = ""

    def covers(self, day):
        return (self.date_from is None or self.date_from <= day) and (
            self.date_to is None or day <= self.date_to
        )


def _as_date(day):
    return day.date() if isinstance(day, datetime.datetime) else day


def check_contracts(contracts):
    """Raise CommissionError on bad percents, inverted or overlapping periods."""
    ordered = sorted(contracts, key=lambda c: c.date_from or datetime.date.min)
    for contract in ordered:
        percent = to_decimal(contract.percent)
        if not Decimal(0) <= percent <= Decimal(100):
            raise CommissionError("percent", percent=percent, contract=contract.name)
        if contract.date_from and contract.date_to and contract.date_to < contract.date_from:
            raise CommissionError("inverted", contract=contract.name)
    for prev, nxt in zip(ordered, ordered[1:], strict=False):
        prev_end = prev.date_to or datetime.date.max
        if nxt.date_from is None or nxt.date_from <= prev_end:
            raise CommissionError("overlap", contract=prev.name, other=nxt.name)


def commission_percent(contracts, day):
    """The commission percent in force on ``day``; CommissionError when none is."""
    day = _as_date(day)
    check_contracts(contracts)
    for contract in contracts:
        if contract.covers(day):
            return to_decimal(contract.percent)
    raise CommissionError("uncovered", day=day.isoformat())


def split_agent_amount(total_kopecks, percent):
    """(commission, principal) kopecks of an agent line total; commission rounded half up.

    Refunds are negative totals and split the same way, so a full refund
    reverses the sale to the kopeck.
    """
    if isinstance(total_kopecks, bool) or not isinstance(total_kopecks, int):
        raise MoneyError("an agent line total must be integer kopecks")
    percent = to_decimal(percent)
    sign = -1 if total_kopecks < 0 else 1
    commission = (Decimal(abs(total_kopecks)) * percent / 100).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    commission = sign * int(commission)
    return commission, total_kopecks - commission
