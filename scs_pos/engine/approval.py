"""Role limits: what a user may do without a manager, and which approvals cover the rest.

A user's limit is the most generous of the limits of their groups; a group
with no limit row allows nothing without approval. ``None`` means no limit.
"""

from dataclasses import dataclass
from decimal import Decimal

from .money import to_decimal

DISCOUNT = "discount"
REFUND = "refund"
CARD_TO_CASH = "card_to_cash"


@dataclass(frozen=True)
class Limit:
    max_discount: Decimal | None = Decimal(0)
    max_refund: Decimal | None = Decimal(0)


@dataclass(frozen=True)
class Need:
    """An approval an order needs: ``value`` is a percent for discounts, else money."""

    kind: str
    value: Decimal


def _most(values):
    values = list(values)
    if any(value is None for value in values):
        return None
    return max(values, default=Decimal(0))


def combine(limits):
    """The most generous of ``limits`` (a user's groups)."""
    limits = list(limits)
    return Limit(
        max_discount=_most(limit.max_discount for limit in limits),
        max_refund=_most(limit.max_refund for limit in limits),
    )


def needs(limit, max_discount=0, refund=0, card_to_cash=0):
    """Approvals an order needs under ``limit``.

    ``max_discount`` is the largest line discount in percent, ``refund`` the
    money given back, ``card_to_cash`` card money given back as cash (always
    needs approval: the limit does not apply to it).
    """
    max_discount, refund, card_to_cash = (
        to_decimal(value) for value in (max_discount, refund, card_to_cash)
    )
    result = []
    if max_discount > 0 and limit.max_discount is not None and max_discount > limit.max_discount:
        result.append(Need(DISCOUNT, max_discount))
    if refund > 0 and limit.max_refund is not None and refund > limit.max_refund:
        result.append(Need(REFUND, refund))
    if card_to_cash > 0:
        result.append(Need(CARD_TO_CASH, card_to_cash))
    return result


def uncovered(required, approvals):
    """The needs in ``required`` that no approval covers.

    ``approvals`` are ``(kind, value)``; one approval covers a need of its kind
    up to its value (a discount approved at 15% covers 10%).
    """
    granted = {}
    for kind, value in approvals:
        value = to_decimal(value)
        granted[kind] = max(granted.get(kind, Decimal(0)), value)
    return [need for need in required if granted.get(need.kind, Decimal(-1)) < need.value]
